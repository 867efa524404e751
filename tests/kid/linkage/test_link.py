"""Dedupe and registry linking on the harder synthetic records; twins; bad input.

Each Splink run is shared by the tests that read it (module fixtures), to keep them fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from stpkit.kid.pipeline.linkage import (
    ColumnMap,
    LinkageInputError,
    LinkResult,
    link_records,
    pairwise_scores,
)
from stpkit.kid.sources.person_faults import FaultSpec, person_records, registry
from tests.kid.linkage.conftest import PERSON_COLUMNS, load

MAP = PERSON_COLUMNS
NO_NHS = ColumnMap(**{**MAP.__dict__, "identifier": None})
SPEC = FaultSpec(people=150, seed=3)


def _household() -> list[dict[str, Any]]:
    base = {"surname": "HALL", "postcode": "ME14 2AB", "sex": "F", "nhs_number": None}
    return [
        {**base, "record_id": "t1a", "forename": "AMELIA", "date_of_birth": "2011-03-04"},
        {**base, "record_id": "t1b", "forename": "AMELIA", "date_of_birth": "2011-03-04"},
        {**base, "record_id": "t2a", "forename": "SOPHIE", "date_of_birth": "2011-03-04"},
        {**base, "record_id": "t2b", "forename": "SOPHIE", "date_of_birth": "2011-03-04"},
        {**base, "record_id": "mum", "forename": "LOUISE", "date_of_birth": "1980-07-21"},
        {**base, "record_id": "mum2", "forename": "LOUISE", "date_of_birth": "1980-07-21"},
        {**base, "record_id": "gran", "forename": "LOUISE", "date_of_birth": "1951-11-02"},
        # a record with no forename that agrees with both twins on everything else
        {**base, "record_id": "bridge", "forename": None, "date_of_birth": "2011-03-04"},
    ]


ACCENTS = [
    {"record_id": "z1", "forename": "Zoë", "surname": "Brontë", "date_of_birth": "1999-02-03"},
    {"record_id": "z2", "forename": "ZOE", "surname": "BRONTE", "date_of_birth": "03/02/1999"},
]


@pytest.fixture(scope="module")
def db() -> Iterator[Any]:
    con = duckdb.connect()
    yield con
    con.close()


@pytest.fixture(scope="module")
def with_nhs() -> Iterator[tuple[Any, LinkResult, list[dict[str, Any]]]]:
    con = duckdb.connect()  # one connection per Splink run
    records = person_records(SPEC) + _household()
    load(con, "feed", records)
    yield con, link_records(con, "feed", MAP), records
    con.close()


@pytest.fixture(scope="module")
def without_nhs() -> Iterator[tuple[Any, LinkResult, list[dict[str, Any]]]]:
    """No NHS numbers at all (the column is there but empty), no sex column filled."""
    con = duckdb.connect()
    records = [{**r, "nhs_number": None, "sex": None} for r in person_records(SPEC)]
    records += _household() + ACCENTS
    load(con, "feed", records)
    yield con, link_records(con, "feed", MAP), records
    con.close()


def _clusters(con: Any, table: str) -> dict[str, str]:
    return dict(con.execute(f"SELECT unique_id, cluster_id FROM {table}").fetchall())


@pytest.mark.parametrize("run", ["with_nhs", "without_nhs"])
def test_dedupe_on_hard_records_is_precise_and_finds_most_pairs(
    run: str, request: pytest.FixtureRequest
) -> None:
    db, result, records = request.getfixturevalue(run)
    scores = pairwise_scores(db, result.clusters, "cluster_id", "label")
    assert result.records == len(records) == len(_clusters(db, result.clusters))
    assert result.comparisons > 0 and sum(result.comparisons_by_rule.values()) == (
        result.comparisons
    )
    assert result.pair_completeness is not None and result.pair_completeness > 0.9
    assert scores.precision >= 0.97
    assert scores.recall >= 0.55  # the merge guard trades a little recall for precision
    assert "comparisons" in result.summary()


@pytest.mark.parametrize("run", ["with_nhs", "without_nhs"])
def test_twins_and_relatives_at_one_address_stay_apart(
    run: str, request: pytest.FixtureRequest
) -> None:
    db, result, _ = request.getfixturevalue(run)
    c = _clusters(db, result.clusters)
    assert c["t1a"] == c["t1b"] and c["t2a"] == c["t2b"] and c["mum"] == c["mum2"]
    assert c["t1a"] != c["t2a"]  # twins, even with a record that fits both
    assert len({c["t1a"], c["t2a"], c["mum"], c["gran"]}) == 4  # mother, grandmother apart
    assert result.largest_cluster <= 50


def test_capitals_accents_and_date_layouts_link(without_nhs: tuple[Any, LinkResult, Any]) -> None:
    db, result, _ = without_nhs
    c = _clusters(db, result.clusters)
    assert c["z1"] == c["z2"]


def test_link_to_registry_links_records_to_their_person(con: Any) -> None:
    db = con
    records = person_records(SPEC)
    load(db, "feed_reg", records)
    load(db, "mpi", registry(SPEC))
    mpi = ColumnMap(**{**NO_NHS.__dict__, "unique_id": "person_id", "label": None})
    result = link_records(
        db,
        "feed_reg",
        NO_NHS,
        mode="link_to_registry",
        registry="mpi",
        registry_mapping=mpi,
        out="clusters_reg",
    )
    rows = db.execute(f"SELECT cluster_id, label FROM {result.clusters}").fetchall()
    assert len(rows) == len(records)
    linked = [(c, t) for c, t in rows if c.startswith("P")]
    assert len(linked) >= 0.8 * len(rows)
    assert sum(c == t for c, t in linked) >= 0.98 * len(linked)


def test_one_record_is_its_own_person(db: Any) -> None:
    load(db, "one", [{"record_id": "a", "forename": "ANN", "surname": "LEE"}])
    result = link_records(db, "one", ColumnMap("record_id", "forename", "surname"), out="c1")
    assert db.execute("SELECT unique_id, cluster_id FROM c1").fetchall() == [("a", "a")]
    assert result.notes


def test_identical_records_are_one_person(db: Any) -> None:
    same = {"forename": "ANN", "surname": "LEE", "date_of_birth": "1990-01-02"}
    load(db, "same", [{**same, "record_id": str(i)} for i in range(5)])
    mapping = ColumnMap("record_id", "forename", "surname", "date_of_birth")
    result = link_records(db, "same", mapping, out="c5")
    clusters = db.execute("SELECT DISTINCT cluster_id FROM c5").fetchall()
    assert result.records == 5 and len(clusters) == 1


def test_bad_input_is_refused_with_a_reason(db: Any) -> None:
    load(db, "bad", [{"record_id": "1", "forename": "A"}, {"record_id": "1", "forename": "B"}])
    with pytest.raises(LinkageInputError, match="unique"):
        link_records(db, "bad", ColumnMap("record_id", "forename"))
    with pytest.raises(LinkageInputError, match="surname_col"):
        link_records(db, "bad", ColumnMap("record_id", "forename", "surname_col"))
    with pytest.raises(LinkageInputError, match="forename or surname"):
        link_records(db, "bad", ColumnMap("record_id"))
    with pytest.raises(LinkageInputError, match="mode"):
        link_records(db, "bad", ColumnMap(None, "forename"), mode="merge")
