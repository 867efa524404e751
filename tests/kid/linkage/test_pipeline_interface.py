"""The pipeline's interface: same names and meaning as the former stpkit.kid.linkage."""

from __future__ import annotations

from typing import Any

from stpkit.kid.pipeline import linkage
from stpkit.kid.sources.person_faults import FaultSpec, person_records, registry
from tests.kid.linkage.conftest import load

SPEC = FaultSpec(people=120, seed=11)


def _tables(con: Any, nhs_share: float) -> None:
    reg = [
        {
            "unique_id": p["person_id"],
            "label": p["person_id"],
            **{k: p[k] for k in ("forename", "surname", "date_of_birth", "sex", "postcode")},
        }
        for p in registry(SPEC)
    ]
    recs = person_records(FaultSpec(people=120, seed=11, nhs_rate=nhs_share))
    records = [
        {
            "unique_id": r["record_id"],
            "label": r["person_id"] if r["nhs_number"] else None,
            "truth": r["person_id"],
            **{k: r[k] for k in ("forename", "surname", "date_of_birth", "sex", "postcode")},
        }
        for r in recs
    ]
    load(con, "registry_t", reg)
    load(con, "records_t", records)
    con.execute(
        "CREATE TABLE labelled_t AS SELECT * EXCLUDE (truth) FROM records_t WHERE label IS NOT NULL"
    ).fetchall()
    con.execute(
        "CREATE TABLE unlinked_t AS SELECT * EXCLUDE (label, truth) FROM records_t "
        "WHERE label IS NULL"
    ).fetchall()
    con.execute("CREATE TABLE registry_p AS SELECT * EXCLUDE (label) FROM registry_t").fetchall()


def _links(con: Any, model: dict[str, Any]) -> tuple[int, int]:
    """(links made, links to the right person)."""
    pairs = linkage.predict_duckdb(con, "registry_p", "unlinked_t", model)
    con.register("pairs_t", pairs)
    best = con.sql(linkage.best_links_sql("pairs_t")).fetchall()
    truth = dict(con.execute("SELECT unique_id, truth FROM records_t").fetchall())
    return len(best), sum(truth[identity] == person for identity, person, _ in best)


def test_trained_with_nhs_labels_links_unlabelled_records(con: Any) -> None:
    _tables(con, 0.5)
    model = linkage.train_model(con, "registry_t", "labelled_t", 120)
    assert set(model["comparisons"]) == {"forename", "surname", "date_of_birth", "sex", "postcode"}
    made, right = _links(con, model)
    unlinked = con.execute("SELECT count(*) FROM unlinked_t").fetchall()[0][0]
    assert made >= 0.8 * unlinked and right >= 0.97 * made
    assert linkage.trained_settings(model).link_type == "link_only"
    assert 0 < linkage.MATCH_PROBABILITY_THRESHOLD < 1 and linkage.TRAINING_SAMPLE > 0


def test_no_nhs_numbers_at_all_trains_without_dividing_by_zero(con: Any) -> None:
    _tables(con, 0.0)
    assert con.execute("SELECT count(*) FROM labelled_t").fetchall()[0][0] == 0
    model = linkage.train_model(con, "registry_t", "labelled_t", 120)
    made, right = _links(con, model)
    unlinked = con.execute("SELECT count(*) FROM unlinked_t").fetchall()[0][0]
    assert made >= 0.7 * unlinked  # default m probabilities still link most records
    assert right >= 0.95 * made
