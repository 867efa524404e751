"""Person-level extracts: only for purposes allowing them, never under another purpose's tokens."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from stpkit.kid.governed import (
    AccessRefused,
    Governance,
    InsightStore,
    Purpose,
    extract_token,
    open_store,
    person_level_extract,
)
from stpkit.kid.pipeline import PseudonymKey
from stpkit.kid.sources import SampleSpec, write_sample

TODAY = date(2026, 11, 23)
KEY = PseudonymKey(b"k" * 40)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    return open_store(
        write_sample(
            tmp_path_factory.mktemp("kid") / "s",
            SampleSpec(people=600, practices=6, years=(2024,)),
        )
    )


def _purpose(
    key: str, *, extracts: bool, tables: tuple[str, ...] = ("person", "activity")
) -> Purpose:
    return Purpose(
        key=key,
        title=key,
        owner="ana",
        expires=TODAY + timedelta(days=30),
        tables=tables,
        person_level_extracts=extracts,
    )


@pytest.fixture
def gov(tmp_path: Path) -> Governance:
    g = Governance(tmp_path / "gov")
    for p in (
        _purpose("cohort-a", extracts=True),
        _purpose("cohort-b", extracts=True, tables=("person", "activity", "condition")),
        _purpose("aggregates-only", extracts=False),
    ):
        g.request(p, user="ana", role="analyst")
        g.decide(p.key, approve=True, user="dc", role="data_controller")
    return g


def extract(
    store: InsightStore,
    gov: Governance,
    out: Path,
    purpose: str,
    tables: tuple[str, ...],
    **kw: object,
) -> Path:
    result = person_level_extract(
        store,
        gov,
        KEY,
        user="ana",
        role="analyst",
        purpose_key=purpose,
        tables=tables,
        out_dir=out,
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )
    return result.directory


def sql(query: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect().execute(query)


def tokens(directory: Path, table: str = "person") -> set[str]:
    rows = sql(
        f"SELECT DISTINCT person_token FROM read_parquet('{directory / f'{table}.parquet'}')"
    ).fetchall()
    return {r[0] for r in rows}


def test_an_allowed_purpose_gets_every_person_under_its_own_tokens(
    store: InsightStore, gov: Governance, tmp_path: Path
) -> None:
    out = extract(store, gov, tmp_path / "out", "cohort-a", ("person", "activity"))
    store_tokens = {r[0] for r in store.con.execute("SELECT person_token FROM person").fetchall()}
    mine = tokens(out)
    # Everyone the registry holds, the deceased too (with their month of death).
    assert len(mine) == len(store_tokens) > store.people()
    assert not mine & store_tokens  # no store token leaves
    assert tokens(out, "activity") <= mine
    some = sorted(store_tokens)[0]
    assert extract_token(KEY, "cohort-a", some) in mine  # the SQL equals the documented HMAC
    activity = sql(f"SELECT count(*) FROM read_parquet('{out / 'activity.parquet'}')")
    assert activity.fetchone() == store.con.execute("SELECT count(*) FROM activity").fetchone()
    columns = sql(f"DESCRIBE SELECT * FROM read_parquet('{out / 'person.parquet'}')")
    assert "birth_ym" not in {r[0] for r in columns.fetchall()}  # age band only
    last = gov.entries()[-1]
    assert (last.action, last.purpose, last.rows) == (
        "export",
        "cohort-a",
        600 + activity_rows(out),
    )
    assert gov.verify_log().ok


def activity_rows(out: Path) -> int:
    row = sql(f"SELECT count(*) FROM read_parquet('{out / 'activity.parquet'}')").fetchone()
    return int(row[0]) if row else 0


def test_two_purposes_cannot_join_their_extracts(
    store: InsightStore, gov: Governance, tmp_path: Path
) -> None:
    a = extract(store, gov, tmp_path / "a", "cohort-a", ("person",))
    b = extract(store, gov, tmp_path / "b", "cohort-b", ("person",))
    again = extract(store, gov, tmp_path / "a2", "cohort-a", ("person",))
    assert not tokens(a) & tokens(b)
    assert tokens(a) == tokens(again)  # stable within a purpose


def test_a_purpose_without_person_level_extracts_is_refused_and_logged(
    store: InsightStore, gov: Governance, tmp_path: Path
) -> None:
    with pytest.raises(AccessRefused, match="does not allow person-level extracts"):
        extract(store, gov, tmp_path / "out", "aggregates-only", ("person",))
    with pytest.raises(AccessRefused, match="does not allow table"):
        extract(store, gov, tmp_path / "out", "cohort-a", ("condition",))
    refusals = [e for e in gov.entries() if e.action == "refused"]
    assert [e.purpose for e in refusals] == ["aggregates-only", "cohort-a"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_cohort_must_be_the_purposes_own_tokens(
    store: InsightStore, gov: Governance, tmp_path: Path
) -> None:
    a = extract(store, gov, tmp_path / "a", "cohort-a", ("person",))
    b = extract(store, gov, tmp_path / "b", "cohort-b", ("person",))
    follow_up = sorted(tokens(a))[:25]
    out = extract(store, gov, tmp_path / "f", "cohort-a", ("person", "activity"), cohort=follow_up)
    assert tokens(out) == set(follow_up)
    # Tokens of another purpose (or the store's own) are never accepted, even mixed in.
    foreign = [*follow_up[:5], sorted(tokens(b))[0]]
    with pytest.raises(AccessRefused, match="1 of the 6 cohort tokens were not issued"):
        extract(store, gov, tmp_path / "x", "cohort-a", ("person",), cohort=foreign)
    store_token = store.con.execute("SELECT min(person_token) FROM person").fetchone()
    assert store_token is not None
    with pytest.raises(AccessRefused, match="not issued under purpose 'cohort-a'"):
        extract(store, gov, tmp_path / "x", "cohort-a", ("person",), cohort=[store_token[0][:32]])
    assert gov.entries()[-1].action == "refused"
    assert not (tmp_path / "x").exists()
