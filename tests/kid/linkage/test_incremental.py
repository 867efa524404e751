"""Incremental linking: month 2 joins month 1's people with the saved model; ids are stable.

Month 1 is linked and its model saved; months 1 and 2 are then linked with that model (no
training) and month 1's clusters as the earlier run. Every month-1 record keeps its
cluster id, and month-2 records of month-1 people get those people's ids.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from stpkit.kid.pipeline.linkage import link_records
from stpkit.kid.sources.person_faults import FaultSpec, person_records
from tests.kid.linkage.conftest import PERSON_COLUMNS, load

MAP = PERSON_COLUMNS


def test_month_two_joins_month_one_people_and_keeps_their_ids(tmp_path: Path) -> None:
    records = person_records(FaultSpec(people=80, seed=5))
    seen: Counter[str] = Counter()
    month1, month2 = [], []
    for r in records:  # every fifth person is new in month 2; others have records in both
        person = int(r["person_id"][1:])
        first = person % 5 != 0 and seen[r["person_id"]] % 2 == 0
        (month1 if first else month2).append(r)
        seen[r["person_id"]] += 1
    model = tmp_path / "model.json"

    con = duckdb.connect()
    load(con, "feed", month1)
    first = link_records(con, "feed", MAP, model_path=model)
    earlier = dict(con.execute(f"SELECT unique_id, cluster_id FROM {first.clusters}").fetchall())
    con.close()
    assert model.is_file() and not any("reused" in n for n in first.notes)

    con = duckdb.connect()
    load(con, "feed", month1 + month2)
    second = link_records(con, "feed", MAP, model_path=model, earlier=earlier)
    now = dict(con.execute(f"SELECT unique_id, cluster_id FROM {second.clusters}").fetchall())
    con.close()
    assert any("reused" in n for n in second.notes)  # no retraining
    assert len(now) == len(records)
    assert all(now[r] == c for r, c in earlier.items())  # every month-1 id is stable

    # month-2 records of people seen in month 1: the id month 1 gave that person
    person_id = {r["record_id"]: r["person_id"] for r in records}
    ids_of: dict[str, Counter[str]] = {}
    for record, cluster_id in earlier.items():
        ids_of.setdefault(person_id[record], Counter())[cluster_id] += 1
    returning = [r["record_id"] for r in month2 if r["person_id"] in ids_of]
    assert len(returning) > 20
    joined = [r for r in returning if now[r] in ids_of[person_id[r]]]
    assert len(joined) >= 0.7 * len(returning), (len(joined), len(returning))  # hard faults
    wrong = [r for r in returning if now[r] in earlier.values() and r not in joined]
    assert len(wrong) <= 0.02 * len(returning)  # joined to someone else's id: rare


def test_retrain_trains_again(tmp_path: Path) -> None:
    records = person_records(FaultSpec(people=40, seed=6))
    model = tmp_path / "model.json"
    con = duckdb.connect()
    load(con, "feed", records)
    link_records(con, "feed", MAP, model_path=model)
    again = link_records(con, "feed", MAP, model_path=model, retrain=True)
    con.close()
    assert not any("reused" in n for n in again.notes)
