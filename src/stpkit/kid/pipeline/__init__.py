"""The build pipeline: contracts, ingest, pseudonymise, link, store, on DuckDB or Spark."""
