"""Run SQL on a DuckDB connection (always finishing the result: DuckDB 2 requires it), and
write a blocking rule as the SQL it runs."""

from __future__ import annotations

from typing import Any


def rows(con: Any, sql: str) -> list[Any]:
    """Execute `sql` and return all its rows (an empty list for statements)."""
    result = con.execute(sql)
    try:
        return list(result.fetchall())
    except Exception:  # a statement with no result set
        return []


# A scored feed-to-registry pair names its two sides in either order; registry ids carry
# the prefix 'registry:'. The feed record's id, and the registered person's id without it:
RECORD_SIDE = (
    "CASE WHEN starts_with(unique_id_l, 'registry:') THEN unique_id_r ELSE unique_id_l END"
)
PERSON_SIDE = (
    "CASE WHEN starts_with(unique_id_l, 'registry:') THEN substr(unique_id_l, 10) "
    "ELSE substr(unique_id_r, 10) END"
)


def rule_sql(rule: Any) -> str:
    """A blocking rule as DuckDB SQL (a string or Splink's `block_on`)."""
    return rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
