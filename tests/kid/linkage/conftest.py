"""Small person feeds for linkage tests, built in DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa
import pytest


def load(con: Any, name: str, records: list[dict[str, Any]]) -> None:
    columns = sorted({k for r in records for k in r})
    table = pa.table({c: pa.array([r.get(c) for r in records], pa.string()) for c in columns})
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow").fetchall()
    con.unregister(f"{name}_arrow")


@pytest.fixture
def con() -> Iterator[Any]:
    connection = duckdb.connect()
    yield connection
    connection.close()
