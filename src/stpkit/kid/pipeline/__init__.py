"""The build pipeline: contracts, ingest, pseudonymise, link, store, on DuckDB or Spark.

Provider extracts -> data contracts (`CONTRACTS`, code lists in `codes`) -> staged SQL
(`stages`, one text for both engines) -> HMAC pseudonyms at source (`PseudonymKey`) ->
Splink linkage -> a versioned store of Parquet tables (`build`, `current_version`,
`open_store` for a DuckDB connection over the current version). `DuckDBEngine` runs the
stages on one machine, `SparkEngine` at scale (PySpark is imported only when it starts).
"""

from stpkit.kid.pipeline import codes
from stpkit.kid.pipeline.build import BuildResult, Progress, StageTiming, build
from stpkit.kid.pipeline.contracts import (
    ACTIVITY_CONTRACTS,
    CONTRACTS,
    DATE_FORMATS,
    IDENTITY_FIELDS,
    SPARK_DATE_FORMATS,
    Contract,
)
from stpkit.kid.pipeline.duckdb_engine import DuckDBEngine, Engine, to_spark_sql
from stpkit.kid.pipeline.ingest import ExtractFile, check_header, discover
from stpkit.kid.pipeline.pseudonymise import (
    TOKEN_HEX_CHARS,
    PseudonymKey,
    load_key,
    nhs_digits_sql,
    nhs_valid_sql,
    token_sql,
    write_new_key,
)
from stpkit.kid.pipeline.quality import LinkageQuality, linkage_quality
from stpkit.kid.pipeline.spark_engine import SparkEngine, local_session
from stpkit.kid.pipeline.store import (
    TABLES,
    StoreVersion,
    current_version,
    open_store,
    store_manifest,
)

__all__ = [
    "ACTIVITY_CONTRACTS",
    "CONTRACTS",
    "DATE_FORMATS",
    "IDENTITY_FIELDS",
    "SPARK_DATE_FORMATS",
    "TABLES",
    "TOKEN_HEX_CHARS",
    "BuildResult",
    "Contract",
    "DuckDBEngine",
    "Engine",
    "ExtractFile",
    "LinkageQuality",
    "Progress",
    "PseudonymKey",
    "SparkEngine",
    "StageTiming",
    "StoreVersion",
    "build",
    "check_header",
    "codes",
    "current_version",
    "discover",
    "linkage_quality",
    "load_key",
    "local_session",
    "nhs_digits_sql",
    "nhs_valid_sql",
    "open_store",
    "store_manifest",
    "to_spark_sql",
    "token_sql",
    "write_new_key",
]
