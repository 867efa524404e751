"""The build's own linking: clerical review decisions, the model reused across builds,
stable pseudonyms, and the linkage quality report in the store version.

Small real builds (500 people) of the synthetic extracts; a second month's delivery is the
same extracts with one more file, so records of the first build are all in the second.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from stpkit.kid.errors import StoreError
from stpkit.kid.governed import linkage_quality as governed_quality
from stpkit.kid.pipeline import build, open_store
from stpkit.kid.pipeline.linkage.review import ReviewStore

from .pipeline_helpers import data_lines, header, make_key, make_raw

pytestmark = pytest.mark.slow

PEOPLE = 500


@dataclass
class First:
    root: Path
    raw: Path
    key: Path


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> First:
    root = tmp_path_factory.mktemp("kid-link")
    synth = make_raw(root, people=PEOPLE, seed=41)
    return First(root, synth.raw_dir, make_key(root / "key"))


def _tokens(store: Path) -> dict[tuple[str, str], tuple[str, str]]:
    con = open_store(store)
    found = con.execute("SELECT provider, record_id, person_token, link_method FROM activity")
    return {(p, r): (t, m) for p, r, t, m in found.fetchall()}


def _map(store: Path) -> list[dict[str, object]]:
    version = (store / "CURRENT").read_text().strip()
    rows: list[dict[str, object]] = pq.read_table(
        store / "versions" / version / "linkage_map.parquet"
    ).to_pylist()
    return rows


def _late_month(raw: Path, out: Path) -> Path:
    """The same delivery plus one new A&E file: two more visits of registered people, as
    their earlier visits but without the NHS number."""
    shutil.copytree(raw, out)
    source = raw / "ae" / "2024-01.csv"
    cols = header(source)
    registered = {
        row[header(path).index("nhs_number")]
        for path in (raw / "registry").glob("*.csv")
        for row in data_lines(path)
    }
    nhs = cols.index("nhs_number")
    picked = [r for r in data_lines(source) if r[nhs] in registered][:2]
    with (out / "ae" / "2024-12-late.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(cols)
        for i, row in enumerate(picked):
            row[nhs] = ""
            row[cols.index("attendance_id")] = f"LATE{i}"
            writer.writerow(row)
    return out


def test_pseudonyms_stable_and_model_reused_across_builds(first: First, tmp_path: Path) -> None:
    store = tmp_path / "store"
    one = build(first.raw, store, first.key)
    before = _tokens(store)
    assert one.version.manifest["linkage_model"] == "trained"
    assert one.counts["linkage_linked_to_registry"] > 0
    raw2 = _late_month(first.raw, tmp_path / "raw2")
    two = build(raw2, store, first.key)
    assert two.changed and two.version.manifest["linkage_model"] == "reused"
    after = _tokens(store)
    assert len(after) == len(before) + 2
    changed = [k for k, v in before.items() if after[k][0] != v[0]]
    assert changed == []  # every record of build 1 keeps its person's pseudonym
    late = [after[("ae", f"LATE{i}")] for i in range(2)]
    assert all(m == "probabilistic" for _, m in late)  # the new month joined its people
    retrained = build(raw2, store, first.key, retrain_linkage=True)
    assert retrained.changed and retrained.version.manifest["linkage_model"] == "trained"
    third = _tokens(store)
    assert all(third[k][0] == v[0] for k, v in before.items())


def test_review_decisions_are_applied_by_the_build(first: First, tmp_path: Path) -> None:
    store, review = tmp_path / "store", ReviewStore(tmp_path / "zone" / "review.duckdb")
    build(first.raw, store, first.key, review_store=review.path)
    mapping = _map(store)
    linked = next(r for r in mapping if r["link_method"] == "probabilistic")
    others = sorted({str(r["person_token"]) for r in mapping if r["link_method"] != "x"})
    registered = {
        r[0] for r in open_store(store).execute("SELECT person_token FROM person").fetchall()
    }
    target = next(t for t in sorted(registered) if t != linked["person_token"])
    provisional = next((r for r in mapping if r["link_method"] == "provisional"), None)
    review.decide(str(linked["identity_key"]), f"registry:{linked['person_token']}", "non_match")
    if provisional is not None:
        review.decide(str(provisional["identity_key"]), f"registry:{target}", "match")
    again = build(first.raw, store, first.key, review_store=review.path)
    assert again.changed  # a new decision makes a new version, no --force needed
    assert again.counts["linkage_reviewed_applied"] >= 1
    now = {str(r["identity_key"]): r for r in _map(store)}
    assert now[str(linked["identity_key"])]["person_token"] != linked["person_token"]
    if provisional is not None:
        row = now[str(provisional["identity_key"])]
        assert (row["person_token"], row["link_method"]) == (target, "probabilistic")
    assert others  # the map holds tokens only: 32 hex characters each
    assert all(len(str(r["identity_key"])) == 32 for r in _map(store))


def test_review_file_inside_the_store_is_refused(first: First, tmp_path: Path) -> None:
    store = tmp_path / "store"
    with pytest.raises(StoreError, match="identifiable zone"):
        build(first.raw, store, first.key, review_store=store / "review.duckdb")


def test_the_web_page_reads_the_builds_own_quality_report(first: First, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = build(first.raw, store, first.key)
    report = pq.read_table(result.version.path / "linkage_quality.parquet")
    assert report.column_names == ["provider", "month", "measure", "band", "value"]
    con = duckdb.connect()
    con.register("report", report)
    records = con.execute("SELECT sum(value) FROM report WHERE measure = 'records'").fetchall()
    assert records[0][0] == result.counts["activity"]
    methods = dict(
        con.execute(
            "SELECT band, sum(value) FROM report WHERE measure = 'method' GROUP BY 1"
        ).fetchall()
    )
    assert methods["NHS number"] > 0 and methods["probabilistic"] > 0
    activity = open_store(store).execute(
        "SELECT count(*) FILTER (WHERE link_method = 'probabilistic') FROM activity"
    )
    assert methods["probabilistic"] == activity.fetchall()[0][0]
    groups = governed_quality(store)
    assert groups is not None and any(g.group.startswith("ae / 2024-") for g in groups)
    text = json.dumps([[g.group, [line.band for line in g.lines]] for g in groups])
    assert not any(len(word) == 32 for word in text.replace('"', " ").split())  # no tokens


def test_the_build_learns_from_its_nhs_numbered_records(tmp_path: Path) -> None:
    """The build's NHS-numbered records teach the registry link its m probabilities and
    which errors come together (`linkage/joint.py`); the records needing a probabilistic
    link, several fields wrong among them, are linked precisely (harder faults than the
    defaults: 5% of records with both names and the date of birth wrong)."""
    from stpkit.kid.pipeline import linkage_quality, load_key
    from stpkit.kid.sources import FaultRates

    synth = make_raw(
        tmp_path, people=1500, seed=43, faults=FaultRates(missing_nhs=0.1, several_fields=0.05)
    )
    key = make_key(tmp_path / "key")
    said: list[str] = []
    build(synth.raw_dir, tmp_path / "store", key, progress=said.append)
    assert any("pairs known to match" in line for line in said)
    assert any("m probabilities from the known matches (no EM)" in line for line in said)
    assert any("share of records whose person is registered" in line for line in said)
    quality = linkage_quality(tmp_path / "store", tmp_path / "truth", load_key(key))
    assert quality.needing_linkage > 1000
    assert quality.probabilistic_precision >= 0.99
    assert quality.probabilistic_recall >= 0.97


def test_the_engine_lends_memory_for_the_link_and_takes_it_back() -> None:
    from stpkit.kid.pipeline import DuckDBEngine

    eng = DuckDBEngine(memory_limit="2GB")
    try:
        eng.create("t", "SELECT range AS i FROM range(1000)")
        limit = "SELECT current_setting('memory_limit')"
        before = eng.arrow(limit).column(0)[0].as_py()
        with eng.lend_memory("100MB"):
            during = eng.arrow(limit).column(0)[0].as_py()
            assert eng.count("t") == 1000  # still readable, from memory or from disk
        after = eng.arrow(limit).column(0)[0].as_py()
    finally:
        eng.close()
    assert during != before and "MiB" in during
    assert after == before
