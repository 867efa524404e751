"""Governed access: the only way counts leave the pseudonymised zone.

`Governance` holds purposes (approved, expiring, per table) and the hash-chained audit
log; `QueryService` answers `AggregateQuery`s under a purpose with disclosure control and
the differencing check; `published_answer` gives a standing page table's
disclosure-controlled answer; `inequalities`, `published_risk`, `demand_monte_carlo` and
`capitation` publish the population health outputs (docs/population-health.md);
`dashboards` (with `overview`) holds the population pages' figures, `demand_projection`
and `local_care` the planning pages'; `service_demand` an acute service's demand by LSOA for
the configuration model; `person_level_extract` writes a purpose's
re-pseudonymised extract. `open_store` opens a store (pipeline or sample) as the
`InsightStore` views that all of them read; `bound` caps a serving process's connection;
`per_version` keeps published figures per store version (`memo`).
"""

from stpkit.kid.governed import dashboards
from stpkit.kid.governed.dashboards import Overview, overview
from stpkit.kid.governed.extract import (
    ExtractResult,
    extract_token,
    person_level_extract,
    purpose_pseudonym_key,
)
from stpkit.kid.governed.governance import (
    DATA_CONTROLLER,
    STORE_TABLES,
    AccessRefused,
    Governance,
    GovernanceError,
    LogEntry,
    Purpose,
    Verification,
    governance_dir,
)
from stpkit.kid.governed.inequalities import POPULATIONS, Inequalities, inequalities
from stpkit.kid.governed.linkage_quality import GroupQuality, linkage_quality
from stpkit.kid.governed.measures import (
    EMERGENCY_RATE,
    INEQUALITY_GAP,
    LONG_STAY_BED_DAYS,
    long_stay_bed_days,
    system_measures,
)
from stpkit.kid.governed.memo import per_version
from stpkit.kid.governed.planning import (
    TIER_LIMITS,
    TIER_TITLES,
    LocalCare,
    PublishedProjection,
    demand_projection,
    local_care,
)
from stpkit.kid.governed.population_health import (
    CAPITATION_TIERS,
    PublishedCapitation,
    PublishedDemand,
    capitation,
    demand_monte_carlo,
)
from stpkit.kid.governed.population_health import MEASURES as DEMAND_MEASURES
from stpkit.kid.governed.query import (
    DIMENSIONS,
    MAX_GROUPS,
    AggregateQuery,
    Answer,
    Cell,
    Geography,
    QueryError,
    QueryService,
    differencing_risks,
    population_within,
    protect_answer,
    published_answer,
    run_raw,
)
from stpkit.kid.governed.risk import GROUPINGS as RISK_GROUPINGS
from stpkit.kid.governed.risk import PublishedRisk, published_risk, risk_model
from stpkit.kid.governed.service_demand import (
    SERVICE_DEFINITIONS,
    ServiceDefinition,
    ServiceDemand,
    service_demand,
)
from stpkit.kid.governed.serving import bound
from stpkit.kid.governed.warm import Warmed, warm
from stpkit.kid.pipeline.insight_store import (
    AGE_BANDS,
    ALIVE_NOW,
    SETTINGS,
    UNKNOWN_LOCALITY,
    InsightStore,
    alive_from,
    lsoa_localities,
    open_store,
)

__all__ = [
    "AGE_BANDS",
    "ALIVE_NOW",
    "CAPITATION_TIERS",
    "DATA_CONTROLLER",
    "DEMAND_MEASURES",
    "DIMENSIONS",
    "EMERGENCY_RATE",
    "INEQUALITY_GAP",
    "LONG_STAY_BED_DAYS",
    "MAX_GROUPS",
    "POPULATIONS",
    "RISK_GROUPINGS",
    "SERVICE_DEFINITIONS",
    "SETTINGS",
    "STORE_TABLES",
    "TIER_LIMITS",
    "TIER_TITLES",
    "UNKNOWN_LOCALITY",
    "AccessRefused",
    "AggregateQuery",
    "Answer",
    "Cell",
    "ExtractResult",
    "Geography",
    "Governance",
    "GovernanceError",
    "GroupQuality",
    "Inequalities",
    "InsightStore",
    "LocalCare",
    "LogEntry",
    "Overview",
    "PublishedCapitation",
    "PublishedDemand",
    "PublishedProjection",
    "PublishedRisk",
    "Purpose",
    "QueryError",
    "QueryService",
    "ServiceDefinition",
    "ServiceDemand",
    "Verification",
    "Warmed",
    "alive_from",
    "bound",
    "capitation",
    "dashboards",
    "demand_monte_carlo",
    "demand_projection",
    "differencing_risks",
    "extract_token",
    "governance_dir",
    "inequalities",
    "linkage_quality",
    "local_care",
    "long_stay_bed_days",
    "lsoa_localities",
    "open_store",
    "overview",
    "per_version",
    "person_level_extract",
    "population_within",
    "protect_answer",
    "published_answer",
    "published_risk",
    "purpose_pseudonym_key",
    "risk_model",
    "run_raw",
    "service_demand",
    "system_measures",
    "warm",
]
