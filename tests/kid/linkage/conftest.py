"""Small person feeds for linkage tests, built in DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from stpkit.kid.pipeline.linkage import ColumnMap

# The columns of `person_faults.person_records` (with the NHS number), without it, and of
# its `registry` (one row per person).
PERSON_COLUMNS = ColumnMap(
    unique_id="record_id",
    forename="forename",
    surname="surname",
    date_of_birth="date_of_birth",
    sex="sex",
    postcode="postcode",
    identifier="nhs_number",
    label="person_id",
)
WITHOUT_NHS = ColumnMap(**{**PERSON_COLUMNS.__dict__, "identifier": None})
REGISTRY_COLUMNS = ColumnMap(**{**WITHOUT_NHS.__dict__, "unique_id": "person_id", "label": None})


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
