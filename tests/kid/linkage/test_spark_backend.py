"""The linker on Spark (local mode) gives DuckDB's clusters, in each mode.

One Spark session for the module; each feed is linked once per backend (module fixtures)
and the tests compare the two results record by record: a deduplicated feed with NHS
numbers, a feed linked to a registry, and (through `stpkit kid link --engine spark`) a feed
with no NHS numbers and an empty sex column. Twins stay apart and a nickname-and-typo pair
is linked on both; one record and identical records come out the same.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from stpkit.kid.pipeline.linkage import ColumnMap, LinkageInputError, LinkResult, link_records
from stpkit.kid.sources.person_faults import FaultSpec, person_records, registry
from tests.kid.linkage.conftest import load
from tests.kid.linkage.test_link import ACCENTS, MAP, NO_NHS, _household

pytestmark = pytest.mark.spark

SPEC = FaultSpec(people=50, seed=5)
NICKNAME = [  # a nickname and a surname typo, everything else agreeing
    {
        "record_id": "n1",
        "forename": "ROBERT",
        "surname": "FAIRWEATHER",
        "date_of_birth": "1967-09-14",
        "postcode": "CT1 2QP",
        "sex": "M",
    },
    {
        "record_id": "n2",
        "forename": "Bob",
        "surname": "FAIRWEATHR",
        "date_of_birth": "1967-09-14",
        "postcode": "CT1 2QP",
        "sex": "M",
    },
]


@dataclass
class Both:
    duckdb: dict[str, str]
    spark: dict[str, str]
    duckdb_result: LinkResult | None = None
    spark_result: LinkResult | None = None


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from stpkit.kid.pipeline.spark_engine import local_session

    session = local_session(memory="1g")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _run(records: list[dict[str, Any]], mapping: ColumnMap, **kwargs: Any) -> Both:
    out: dict[str, tuple[dict[str, str], LinkResult]] = {}
    for backend in ("duckdb", "spark"):
        con = duckdb.connect()
        try:
            load(con, "feed", records)
            if "registry_rows" in kwargs:
                load(con, "mpi", kwargs["registry_rows"])
            options = {k: v for k, v in kwargs.items() if k != "registry_rows"}
            result = link_records(con, "feed", mapping, backend=backend, **options)
            clusters = con.execute(f"SELECT unique_id, cluster_id FROM {result.clusters}")
            out[backend] = (dict(clusters.fetchall()), result)
        finally:
            con.close()
    return Both(out["duckdb"][0], out["spark"][0], out["duckdb"][1], out["spark"][1])


@pytest.fixture(scope="module")
def dedupe(spark: Any) -> Both:
    return _run(person_records(SPEC) + _household() + NICKNAME, MAP)


@pytest.fixture(scope="module")
def to_registry(spark: Any) -> Both:
    mpi = ColumnMap(**{**NO_NHS.__dict__, "unique_id": "person_id", "label": None})
    return _run(
        person_records(SPEC),
        NO_NHS,
        mode="link_to_registry",
        registry="mpi",
        registry_mapping=mpi,
        registry_rows=registry(SPEC),
    )


def _same(both: Both) -> None:
    assert both.duckdb and both.spark == both.duckdb
    d, s = both.duckdb_result, both.spark_result
    assert d is not None and s is not None
    assert s.comparisons == d.comparisons > 0
    assert s.comparisons_by_rule == d.comparisons_by_rule
    assert s.pair_completeness == d.pair_completeness


def test_dedupe_with_nhs_numbers_gives_duckdbs_clusters(dedupe: Both) -> None:
    _same(dedupe)
    c = dedupe.spark
    assert c["t1a"] == c["t1b"] and c["t2a"] == c["t2b"] and c["t1a"] != c["t2a"]
    assert len({c["t1a"], c["t2a"], c["mum"], c["gran"]}) == 4
    assert c["n1"] == c["n2"]
    assert len(set(c.values())) < len(c)  # something was linked beyond the crafted pairs


def test_link_to_registry_gives_duckdbs_links(to_registry: Both) -> None:
    _same(to_registry)
    linked = [c for c in to_registry.spark.values() if c.startswith("P")]
    assert len(linked) >= 0.8 * len(to_registry.spark)


def test_a_model_saved_on_duckdb_is_reused_on_spark(spark: Any, tmp_path: Path) -> None:
    """The build reuses the live version's model whichever engine trained it."""
    records = person_records(SPEC) + _household() + NICKNAME
    model = tmp_path / "model.json"
    found = {}
    for backend in ("duckdb", "spark"):
        con = duckdb.connect()
        load(con, "feed", records)
        result = link_records(con, "feed", MAP, backend=backend, model_path=model)
        found[backend] = dict(
            con.execute("SELECT unique_id, cluster_id FROM linkage_clusters").fetchall()
        )
        con.close()
        assert any("reused" in n for n in result.notes) == (backend == "spark")
    assert found["spark"] == found["duckdb"]


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    fields = sorted({k for r in rows for k in r})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_no_nhs_numbers_through_the_cli_gives_duckdbs_clusters(spark: Any, tmp_path: Path) -> None:
    """`kid link --engine spark` on a feed with no NHS numbers and no sex at all."""
    from stpkit.cli import kid_link

    records = [{**r, "nhs_number": None, "sex": None} for r in person_records(SPEC)]
    records += _household() + ACCENTS + NICKNAME
    _write(tmp_path / "feed.csv", records)
    app = typer.Typer()
    app.add_typer(kid_link.app, name="kid")
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.parquet"
        ran = CliRunner().invoke(
            app,
            [
                "kid", "link", str(tmp_path / "feed.csv"), "--out", str(out), "--id", "record_id",
                "--forename", "forename", "--surname", "surname", "--dob", "date_of_birth",
                "--sex", "sex", "--postcode", "postcode", "--nhs", "nhs_number",
                "--label", "person_id", "--engine", engine,
            ],
        )  # fmt: skip
        assert ran.exit_code == 0, ran.output
        table = pq.read_table(out).to_pylist()
        outputs[engine] = {r["record_id"]: r["cluster_id"] for r in table}
    assert len(outputs["spark"]) == len(records)
    assert outputs["spark"] == outputs["duckdb"]
    c = outputs["spark"]
    assert c["t1a"] != c["t2a"] and c["n1"] == c["n2"] and c["z1"] == c["z2"]
    assert spark.sparkContext._jsc is not None  # the command left the caller's session running


def test_one_record_and_identical_records_come_out_the_same(spark: Any) -> None:
    one = _run([{"record_id": "a", "forename": "ANN", "surname": "LEE"}], MAP_NAMES)
    assert one.spark == one.duckdb == {"a": "a"}
    same = {"forename": "ANN", "surname": "LEE", "date_of_birth": "1990-01-02"}
    rows = [{**same, "record_id": str(i)} for i in range(5)]
    identical = _run(rows, ColumnMap("record_id", "forename", "surname", "date_of_birth"))
    assert identical.spark == identical.duckdb and len(set(identical.spark.values())) == 1


MAP_NAMES = ColumnMap("record_id", "forename", "surname")


def test_an_unknown_backend_is_refused() -> None:
    con = duckdb.connect()
    load(con, "feed", NICKNAME)
    with pytest.raises(LinkageInputError, match="backend"):
        link_records(con, "feed", MAP_NAMES, backend="polars")
    con.close()
