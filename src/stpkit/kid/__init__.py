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
only inside the functions that use them, and this module imports a zone only when one of
its names is first used, so `import stpkit.kid` (or `from stpkit.kid import KidError`)
stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from stpkit.kid.errors import (
        ContractError,
        KidError,
        PseudonymKeyError,
        StoreError,
    )
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
    from stpkit.kid.sources import (
        SampleSpec,
        SynthResult,
        SynthSpec,
        synthesise,
        write_sample,
    )

ZONES = ("sources", "pipeline", "governed", "analyses")
# Each re-exported name and the module (a zone, or the kid-wide errors) that defines it.
_HOME: dict[str, str] = {
    "BRIDGES_SEGMENTS": "analyses",
    "TIER_BOUNDS": "analyses",
    "YEAR_OF_CARE_BANDS": "analyses",
    "YEAR_OF_CARE_CONDITIONS": "analyses",
    "Assumptions": "analyses",
    "Projection": "analyses",
    "Tiers": "analyses",
    "cost_summary": "analyses",
    "local_care_tiers": "analyses",
    "person_costs": "analyses",
    "practice_locations": "analyses",
    "project": "analyses",
    "segment_people": "analyses",
    "ContractError": "errors",
    "KidError": "errors",
    "PseudonymKeyError": "errors",
    "StoreError": "errors",
    "AGE_BANDS": "governed",
    "DATA_CONTROLLER": "governed",
    "DIMENSIONS": "governed",
    "MAX_GROUPS": "governed",
    "SETTINGS": "governed",
    "STORE_TABLES": "governed",
    "AccessRefused": "governed",
    "AggregateQuery": "governed",
    "Answer": "governed",
    "ExtractResult": "governed",
    "Governance": "governed",
    "GovernanceError": "governed",
    "InsightStore": "governed",
    "Purpose": "governed",
    "QueryError": "governed",
    "QueryService": "governed",
    "dashboards": "governed",
    "governance_dir": "governed",
    "open_store": "governed",
    "person_level_extract": "governed",
    "CONTRACTS": "pipeline",
    "BuildResult": "pipeline",
    "Contract": "pipeline",
    "DuckDBEngine": "pipeline",
    "Engine": "pipeline",
    "LinkageQuality": "pipeline",
    "PseudonymKey": "pipeline",
    "SparkEngine": "pipeline",
    "build": "pipeline",
    "current_version": "pipeline",
    "linkage_quality": "pipeline",
    "load_key": "pipeline",
    "local_session": "pipeline",
    "store_manifest": "pipeline",
    "write_new_key": "pipeline",
    "SampleSpec": "sources",
    "SynthResult": "sources",
    "SynthSpec": "sources",
    "synthesise": "sources",
    "write_sample": "sources",
}

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


def __getattr__(name: str) -> Any:
    """Import a zone, or the zone holding a re-exported name, when it is first used."""
    if name in ZONES:
        module = importlib.import_module(f"stpkit.kid.{name}")
        globals()[name] = module
        return module
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'stpkit.kid' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"stpkit.kid.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
