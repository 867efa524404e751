"""The linkage model's parts that an improvement rests on: the twin guard's merge rule, u
set before EM (in registry mode), dates of birth with the month by name, and a block for
records with both names mistyped and the date of birth a few days out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stpkit.kid.pipeline.linkage import ColumnMap, link_records
from stpkit.kid.pipeline.linkage.link import cluster
from stpkit.kid.pipeline.linkage.prepare import prepare
from stpkit.kid.sources.person_faults import FaultSpec, person_records, registry
from tests.kid.linkage.conftest import REGISTRY_COLUMNS, WITHOUT_NHS, load

SPEC = FaultSpec(people=150, seed=3)
NO_NHS = WITHOUT_NHS
MPI = REGISTRY_COLUMNS

STRONG, TWIN_WEIGHT = 20.0, 15.0  # match weights: both far above the 0.99 edge (6.6)


def _pairs(con: Any, strong: list[tuple[str, str]], twins: list[tuple[str, str]]) -> None:
    """A scored-pairs table as `cluster` reads it: twin pairs carry `twin = true`."""
    rows = [(a, b, STRONG, False) for a, b in strong] + [
        (a, b, TWIN_WEIGHT, True) for a, b in twins
    ]
    con.execute(
        "CREATE OR REPLACE TABLE pairs (unique_id_l VARCHAR, unique_id_r VARCHAR, "
        "match_weight DOUBLE, match_probability DOUBLE, twin BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO pairs VALUES (?, ?, ?, pow(2, ?) / (1 + pow(2, ?)), ?)",
        [(a, b, w, w, w, t) for a, b, w, t in rows],
    )


def test_a_record_that_fits_both_twins_does_not_join_them(con: Any) -> None:
    ids = ["t1a", "t1b", "t2a", "t2b", "bridge"]
    twins = [(a, b) for a in ("t1a", "t1b") for b in ("t2a", "t2b")]
    strong = [("t1a", "t1b"), ("t2a", "t2b")] + [("bridge", t) for t in ids[:4]]
    _pairs(con, strong, twins)
    labels, _ = cluster(con, "pairs", ids, 0.99, "twin")
    assert labels["t1a"] == labels["t1b"] and labels["t2a"] == labels["t2b"]
    assert labels["t1a"] != labels["t2a"]


def test_one_record_each_side_and_a_bridge_stay_apart(con: Any) -> None:
    _pairs(con, [("bridge", "t1"), ("bridge", "t2")], [("t1", "t2")])
    labels, _ = cluster(con, "pairs", ["t1", "t2", "bridge"], 0.99, "twin")
    assert labels["t1"] != labels["t2"]


def test_a_person_with_one_replaced_forename_is_one_cluster(con: Any) -> None:
    """FEBRL's pattern: x agrees with two records of a group on everything but their
    identifier; a third record of that group (same identifier as those two, another
    forename) looks like x's twin. Two pairs at the edge outvote one twin pair."""
    strong = [("y1", "y2"), ("y1", "y3"), ("y2", "y3"), ("x", "y1"), ("x", "y3")]
    _pairs(con, strong, [("x", "y2")])
    labels, _ = cluster(con, "pairs", ["x", "y1", "y2", "y3"], 0.99, "twin")
    assert len(set(labels.values())) == 1
    # one pair at the edge against one twin pair: the twin pair stays apart
    _pairs(con, [("y1", "y2"), ("x", "y1")], [("x", "y2")])
    labels, _ = cluster(con, "pairs", ["x", "y1", "y2"], 0.99, "twin")
    assert labels["x"] != labels["y2"]


def test_u_is_on_the_model_before_em(con: Any) -> None:
    """u from the one-pass sample must be the model's u when EM starts (Splink's own
    estimate sets it; without that, EM in registry mode ran against Splink's default u
    and converged to m(date of birth exact) near 0.1)."""
    from stpkit.kid.pipeline.linkage import model
    from stpkit.kid.pipeline.linkage.link import _linker

    load(con, "feed", person_records(SPEC))
    load(con, "mpi", registry(SPEC))
    prepare(con, "feed", NO_NHS, "linkage_input")
    prepare(con, "mpi", MPI, "linkage_registry")
    fields = model.Fields.of(con, "linkage_input")
    tables = ["linkage_registry", "linkage_input"]
    linker = _linker(con, fields, "link_only", tables)
    model.estimate_u(con, linker, tables)
    checked = 0
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            sampled = level._trained_u_probabilities[-1]["probability"]
            if isinstance(sampled, float):  # not a level never seen in the sample
                assert level.u_probability == sampled, comparison.output_column_name
                checked += 1
    assert checked >= 15


def test_registry_model_knows_a_match_shares_the_date_of_birth(con: Any, tmp_path: Path) -> None:
    load(con, "feed", person_records(SPEC))
    load(con, "mpi", registry(SPEC))
    saved = tmp_path / "model.json"
    link_records(
        con,
        "feed",
        NO_NHS,
        mode="link_to_registry",
        registry="mpi",
        registry_mapping=MPI,
        model_path=saved,
    )
    levels = {
        c["output_column_name"]: c["comparison_levels"]
        for c in json.loads(saved.read_text(encoding="utf-8"))["comparisons"]
    }
    dob_exact = levels["date_of_birth"][1]
    assert dob_exact["label_for_charts"].startswith("Exact match")
    assert dob_exact["m_probability"] > 0.5


def test_dates_of_birth_with_the_month_by_name_are_read(con: Any) -> None:
    dates = ["7 Mar 1962", "07-MAR-1962", "7 March 1962", "1962-03-07", "07/03/1962", "19620307"]
    load(con, "d", [{"id": str(i), "s": "LEE", "dob": d} for i, d in enumerate(dates)])
    prepare(con, "d", ColumnMap(unique_id="id", surname="s", date_of_birth="dob"), "d_ready")
    found = {r[0] for r in con.execute("SELECT date_of_birth FROM d_ready").fetchall()}
    assert found == {"1962-03-07"}


def test_both_names_mistyped_and_date_days_out_still_meets_its_person(con: Any) -> None:
    """Same postcode, same birth year, both names mistyped (no shared Soundex) and the
    date of birth a week out: only the postcode + birth year block pairs them."""
    record = {
        "record_id": "r1",
        "person_id": "PX",
        "forename": "ISABLLA",
        "surname": "SAHBY",
        "date_of_birth": "1952-02-13",
        "sex": "F",
        "postcode": "CT3 3HB",
    }
    person = {**record, "forename": "ISABELLA", "surname": "ASHBY", "date_of_birth": "1952-02-09"}
    del person["record_id"]
    load(con, "mpi", [*registry(SPEC), person])
    load(con, "feed", [*person_records(SPEC), record])
    link_records(con, "feed", NO_NHS, mode="link_to_registry", registry="mpi", registry_mapping=MPI)
    met = con.execute(
        "SELECT count(*) FROM linkage_pairs WHERE (unique_id_l = 'r1' AND unique_id_r = "
        "'registry:PX') OR (unique_id_r = 'r1' AND unique_id_l = 'registry:PX')"
    ).fetchall()[0][0]
    assert met == 1
