"""Run SQL on a DuckDB connection and always finish the result (DuckDB 2 requires it)."""

from __future__ import annotations

from typing import Any


def rows(con: Any, sql: str) -> list[Any]:
    """Execute `sql` and return all its rows (an empty list for statements)."""
    result = con.execute(sql)
    try:
        return list(result.fetchall())
    except Exception:  # a statement with no result set
        return []
