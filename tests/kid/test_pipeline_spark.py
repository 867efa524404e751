"""Engine parity: the same raw extract built on DuckDB and on Spark (local mode) gives the
same store, table by table and row by row. One Spark session for the module."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stpkit.kid.pipeline import TABLES, BuildResult, DuckDBEngine, open_store

from .pipeline_helpers import make_key, make_raw, run_build

pytestmark = pytest.mark.spark


@dataclass
class Pair:
    duckdb: BuildResult
    spark: BuildResult
    duckdb_store: Path
    spark_store: Path


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    pytest.importorskip("pyspark")
    from stpkit.kid.pipeline import SparkEngine, local_session

    root = tmp_path_factory.mktemp("kid-spark")
    synth = make_raw(root, people=400, seed=31)
    key = make_key(root / "key")
    duck = DuckDBEngine()
    try:
        on_duckdb = run_build(synth.raw_dir, root / "store-duckdb", key, engine=duck)
    finally:
        duck.close()
    spark = SparkEngine(local_session(memory="1g"), owns_session=True)
    try:
        on_spark = run_build(synth.raw_dir, root / "store-spark", key, engine=spark)
    finally:
        spark.close()
    yield Pair(on_duckdb, on_spark, root / "store-duckdb", root / "store-spark")


def _normal(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value


def _rows(store: Path, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = open_store(store)
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    ordered = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f"SELECT {ordered} FROM {table} ORDER BY ALL").fetchall()
    con.close()
    return columns, [tuple(_normal(v) for v in row) for row in rows]


@pytest.mark.parametrize("table", TABLES)
def test_every_table_is_identical_row_for_row(pair: Pair, table: str) -> None:
    d_columns, d_rows = _rows(pair.duckdb_store, table)
    s_columns, s_rows = _rows(pair.spark_store, table)
    assert sorted(s_columns) == sorted(d_columns)
    if s_columns != d_columns:  # same columns; compare in DuckDB's order
        _, s_rows = _rows_in_order(pair.spark_store, table, d_columns)
    assert len(d_rows) > 0
    assert len(s_rows) == len(d_rows)
    mismatched = [(a, b) for a, b in zip(d_rows, s_rows, strict=True) if a != b]
    differing = [
        (d_columns[i], a[i], b[i]) for a, b in mismatched[:5] for i in range(len(a)) if a[i] != b[i]
    ]
    assert not mismatched, (len(mismatched), differing)


def _rows_in_order(
    store: Path, table: str, columns: list[str]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = open_store(store)
    ordered = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f"SELECT {ordered} FROM {table} ORDER BY ALL").fetchall()
    con.close()
    return columns, [tuple(_normal(v) for v in row) for row in rows]


def test_column_types_and_layout_match(pair: Pair) -> None:
    for table in TABLES:
        d = open_store(pair.duckdb_store).execute(f"DESCRIBE {table}").fetchall()
        s = open_store(pair.spark_store).execute(f"DESCRIBE {table}").fetchall()
        assert sorted((r[0], r[1]) for r in s) == sorted((r[0], r[1]) for r in d), table
    d_months = sorted(p.name for p in (pair.duckdb.version.path / "activity").iterdir())
    s_months = sorted(p.name for p in (pair.spark.version.path / "activity").iterdir())
    assert d_months == s_months and len(d_months) == 12


def test_counts_and_links_match(pair: Pair) -> None:
    assert pair.spark.counts == pair.duckdb.counts
    assert pair.duckdb.counts["unlinked_identity"] > 0  # linkage was exercised on both
    assert [t.name for t in pair.spark.timings] == [t.name for t in pair.duckdb.timings]
