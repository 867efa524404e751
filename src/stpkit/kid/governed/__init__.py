"""Governed access: the only way counts leave the pseudonymised zone.

`Governance` holds purposes (approved, expiring, per table) and the hash-chained audit
log; `QueryService` answers `AggregateQuery`s under a purpose with disclosure control and
the differencing check; `dashboards` holds the population pages' disclosure-controlled
figures; `person_level_extract` writes a purpose's re-pseudonymised extract. `open_store`
opens a store (pipeline or sample) as the `InsightStore` views they all read.
"""

from stpkit.kid.governed import dashboards
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
from stpkit.kid.governed.query import (
    DIMENSIONS,
    MAX_GROUPS,
    AggregateQuery,
    Answer,
    Cell,
    QueryError,
    QueryService,
    protect_answer,
    run_raw,
)
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
    "DATA_CONTROLLER",
    "DIMENSIONS",
    "MAX_GROUPS",
    "SETTINGS",
    "STORE_TABLES",
    "UNKNOWN_LOCALITY",
    "AccessRefused",
    "AggregateQuery",
    "Answer",
    "Cell",
    "ExtractResult",
    "Governance",
    "GovernanceError",
    "InsightStore",
    "LogEntry",
    "Purpose",
    "QueryError",
    "QueryService",
    "Verification",
    "alive_from",
    "dashboards",
    "extract_token",
    "governance_dir",
    "lsoa_localities",
    "open_store",
    "person_level_extract",
    "protect_answer",
    "purpose_pseudonym_key",
    "run_raw",
]
