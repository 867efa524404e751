"""Analyses over the pseudonymised store: costing, segments, tiers, projection.

They read an `InsightStore` (see `stpkit.kid.governed`) and return person- or group-level
frames; nothing here is published as is: the governed layer applies disclosure control.
"""

from stpkit.kid.analyses.costing import cost_by_setting, cost_summary, person_costs
from stpkit.kid.analyses.projection import Assumptions, Projection, age_group, project
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
    "FRAILTY_BANDS",
    "TIER_BOUNDS",
    "YEAR_OF_CARE_BANDS",
    "YEAR_OF_CARE_CONDITIONS",
    "Assumptions",
    "Group",
    "Projection",
    "Tiers",
    "Unit",
    "adjacency",
    "age_group",
    "bridges_to_health",
    "cambridge_score",
    "condition_matrix",
    "connected",
    "cost_by_setting",
    "cost_summary",
    "frailty",
    "grow_regions",
    "local_care_tiers",
    "ltc_count",
    "person_costs",
    "practice_locations",
    "project",
    "segment_people",
    "year_of_care_band",
]
