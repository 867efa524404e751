"""The integrated dataset (like the Kent Integrated Dataset), in four zones.

- `stpkit.kid.sources`: synthetic provider extracts and sample stores (the only zone
  that invents people).
- `stpkit.kid.pipeline`: data contracts, ingest, pseudonymisation at source, linkage and
  the versioned store, on DuckDB (one machine) or Spark (at scale).
- `stpkit.kid.governed`: purposes, the audit log, governed aggregate queries, dashboards
  and extracts: the only way counts leave the pseudonymised zone.
- `stpkit.kid.analyses`: costing, segmentation, local care tiers, demand projection.

This module re-exports each zone's public API; code outside `stpkit.kid` imports from here
or from a zone package, never from a module inside a zone. Splink and PySpark are imported
only inside the functions that use them.
"""

from stpkit.kid import analyses, governed, pipeline, sources
from stpkit.kid.analyses import (
    BRIDGES_SEGMENTS,
    TIER_BOUNDS,
    YEAR_OF_CARE_BANDS,
    YEAR_OF_CARE_CONDITIONS,
    Assumptions,
    Projection,
    Tiers,
    cost_summary,
    local_care_tiers,
    person_costs,
    practice_locations,
    project,
    segment_people,
)
from stpkit.kid.errors import ContractError, KidError, PseudonymKeyError, StoreError
from stpkit.kid.governed import (
    AGE_BANDS,
    DATA_CONTROLLER,
    DIMENSIONS,
    MAX_GROUPS,
    SETTINGS,
    STORE_TABLES,
    AccessRefused,
    AggregateQuery,
    Answer,
    ExtractResult,
    Governance,
    GovernanceError,
    InsightStore,
    Purpose,
    QueryError,
    QueryService,
    dashboards,
    governance_dir,
    open_store,
    person_level_extract,
)
from stpkit.kid.pipeline import (
    CONTRACTS,
    BuildResult,
    Contract,
    DuckDBEngine,
    Engine,
    LinkageQuality,
    PseudonymKey,
    SparkEngine,
    build,
    current_version,
    linkage_quality,
    load_key,
    local_session,
    store_manifest,
    write_new_key,
)
from stpkit.kid.sources import SampleSpec, SynthResult, SynthSpec, synthesise, write_sample

__all__ = [
    "AGE_BANDS",
    "BRIDGES_SEGMENTS",
    "CONTRACTS",
    "DATA_CONTROLLER",
    "DIMENSIONS",
    "MAX_GROUPS",
    "SETTINGS",
    "STORE_TABLES",
    "TIER_BOUNDS",
    "YEAR_OF_CARE_BANDS",
    "YEAR_OF_CARE_CONDITIONS",
    "AccessRefused",
    "AggregateQuery",
    "Answer",
    "Assumptions",
    "BuildResult",
    "Contract",
    "ContractError",
    "DuckDBEngine",
    "Engine",
    "ExtractResult",
    "Governance",
    "GovernanceError",
    "InsightStore",
    "KidError",
    "LinkageQuality",
    "Projection",
    "PseudonymKey",
    "PseudonymKeyError",
    "Purpose",
    "QueryError",
    "QueryService",
    "SampleSpec",
    "SparkEngine",
    "StoreError",
    "SynthResult",
    "SynthSpec",
    "Tiers",
    "analyses",
    "build",
    "cost_summary",
    "current_version",
    "dashboards",
    "governance_dir",
    "governed",
    "linkage_quality",
    "load_key",
    "local_care_tiers",
    "local_session",
    "open_store",
    "person_costs",
    "person_level_extract",
    "pipeline",
    "practice_locations",
    "project",
    "segment_people",
    "sources",
    "store_manifest",
    "synthesise",
    "write_new_key",
    "write_sample",
]
