"""The integrated dataset (like the Kent Integrated Dataset): synthesise provider extracts,
ingest them through data contracts, pseudonymise at source, link per person, cost, segment
and query under governance. DuckDB on one machine, Spark at scale.
"""
