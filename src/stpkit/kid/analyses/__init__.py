"""Analyses over the pseudonymised store: costing, segments, tiers, projection.

They read an `InsightStore` (see `stpkit.kid.governed`) and return person- or group-level
frames; nothing here is published as is: the governed layer applies disclosure control.
"""

from stpkit.kid.analyses.capitation import budgets, need_weights
from stpkit.kid.analyses.costing import cost_by_setting, cost_summary, person_costs
from stpkit.kid.analyses.demand import (
    DEMAND_SETTINGS,
    DemandAssumptions,
    DemandInputs,
    DemandResult,
    Range,
    demand_inputs,
    simulate,
)
from stpkit.kid.analyses.inequalities import MEASURES as INEQUALITY_MEASURES
from stpkit.kid.analyses.inequalities import QUINTILE_NAMES, Slope, ridits, slope_index
from stpkit.kid.analyses.projection import Assumptions, Projection, age_group, project
from stpkit.kid.analyses.risk import TIERS as RISK_TIERS
from stpkit.kid.analyses.risk import RiskModel, fit_risk, risk_windows
from stpkit.kid.analyses.segment import (
    BRIDGES_SEGMENTS,
    CAMBRIDGE_CONDITIONS,
    FRAILTY_BANDS,
    YEAR_OF_CARE_BANDS,
    YEAR_OF_CARE_CONDITIONS,
    bridges_to_health,
    cambridge_score,
    condition_matrix,
    frailty,
    ltc_count,
    segment_people,
    year_of_care_band,
)
from stpkit.kid.analyses.tiers import (
    TIER_BOUNDS,
    Group,
    Tiers,
    Unit,
    adjacency,
    connected,
    grow_regions,
    local_care_tiers,
    practice_locations,
)

__all__ = [
    "BRIDGES_SEGMENTS",
    "CAMBRIDGE_CONDITIONS",
    "DEMAND_SETTINGS",
    "FRAILTY_BANDS",
    "INEQUALITY_MEASURES",
    "QUINTILE_NAMES",
    "RISK_TIERS",
    "TIER_BOUNDS",
    "YEAR_OF_CARE_BANDS",
    "YEAR_OF_CARE_CONDITIONS",
    "Assumptions",
    "DemandAssumptions",
    "DemandInputs",
    "DemandResult",
    "Group",
    "Projection",
    "Range",
    "RiskModel",
    "Slope",
    "Tiers",
    "Unit",
    "adjacency",
    "age_group",
    "bridges_to_health",
    "budgets",
    "cambridge_score",
    "condition_matrix",
    "connected",
    "cost_by_setting",
    "cost_summary",
    "demand_inputs",
    "fit_risk",
    "frailty",
    "grow_regions",
    "local_care_tiers",
    "ltc_count",
    "need_weights",
    "person_costs",
    "practice_locations",
    "project",
    "ridits",
    "risk_windows",
    "segment_people",
    "simulate",
    "slope_index",
    "year_of_care_band",
]
