"""The system view's measures from a real (sample) store: the monthly emergency admission
rate and the inequality gap agree with counts taken straight from the store's views, and
every figure is worked from published counts (a suppressing policy removes the gap).
Long-stay bed days agree with nights counted independently, from the sample's table and,
through a pipeline build, from the APC extracts' admission and discharge dates."""

from __future__ import annotations

import csv
import secrets
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from stpkit.disclosure import policy_named
from stpkit.kid.governed import (
    EMERGENCY_RATE,
    INEQUALITY_GAP,
    LONG_STAY_BED_DAYS,
    InsightStore,
    open_store,
    system_measures,
)
from stpkit.kid.pipeline import build
from stpkit.kid.sources import FaultRates, SampleSpec, SynthSpec, synthesise, write_sample


class PublishAll:
    """Every count as it is: to compare with nights counted independently."""

    name = "publish-all"

    def apply(self, count: int) -> int | None:
        return count

    def describe(self) -> str:
        return "every count published"


class SuppressAll:
    name = "suppress-all"

    def apply(self, count: int) -> int | None:
        return None

    def describe(self) -> str:
        return "every count suppressed"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s", SampleSpec(people=6_000, practices=12, years=(2024,))
    )
    return open_store(path)


def _count(store: InsightStore, sql: str) -> int:
    row = store.con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_rates_agree_with_counts_from_the_store(store: InsightStore) -> None:
    policy = policy_named("nhs_digital")
    out = system_measures(store, policy)
    rates = out[EMERGENCY_RATE]
    assert rates and all(p.day == 1 for p in rates)
    period = max(rates)
    people = _count(store, "SELECT count(*) FROM person")
    admitted = _count(
        store,
        "SELECT count(*) FROM activity WHERE setting = 'apc' AND emergency "
        f"AND year = {period.year} AND month = {period.month}",
    )
    published_people, published_admitted = policy.apply(people), policy.apply(admitted)
    assert published_people and published_admitted is not None
    assert rates[period] == pytest.approx(1000 * published_admitted / published_people, abs=1e-3)
    # the gap: most deprived fifth's rate over the least deprived fifth's, where published
    assert out[INEQUALITY_GAP], "a sample of 6,000 people has both fifths admitted"
    for month, gap in out[INEQUALITY_GAP].items():
        assert gap > 0 and month in rates


def test_nothing_is_published_when_the_policy_suppresses_every_count(
    store: InsightStore,
) -> None:
    out = system_measures(store, SuppressAll())
    assert out == {EMERGENCY_RATE: {}, INEQUALITY_GAP: {}, LONG_STAY_BED_DAYS: {}}


def test_months_are_the_stores_months(store: InsightStore) -> None:
    months = system_measures(store, policy_named("nhs_digital"))[EMERGENCY_RATE]
    assert {p.year for p in months} == {2024}
    assert date(2024, 1, 1) in months


def _nights(spells: list[tuple[date, int]], held: set[date]) -> tuple[Counter[date], Counter[date]]:
    """Bed days and long spells per month, night by night, in plain Python."""
    bed_days: Counter[date] = Counter()
    spells_in: Counter[date] = Counter()
    for admitted, nights in spells:
        months = set()
        for k in range(nights):
            month = (admitted + timedelta(days=k)).replace(day=1)
            if month in held:
                bed_days[month] += 1
                months.add(month)
        spells_in.update(months)
    return bed_days, spells_in


def _adult(birth: date, admitted: date) -> bool:
    return admitted.year * 12 + admitted.month - (birth.year * 12 + birth.month) >= 18 * 12


def test_long_stay_bed_days_agree_with_nights_counted_from_the_sample(
    store: InsightStore,
) -> None:
    frame = pd.read_parquet(store.path / "activity.parquet")
    people = pd.read_parquet(store.path / "person.parquet").set_index("person_token")
    apc = frame[(frame.setting == "apc") & (frame.length_of_stay >= 21)]
    spells = [
        (r.activity_date.date(), int(r.length_of_stay))
        for r in apc.itertuples()
        if _adult(date.fromisoformat(people.birth_ym[r.person_token] + "-01"), r.activity_date)
    ]
    assert spells, "a sample of 6,000 people has long stays"
    held = {d.date().replace(day=1) for d in frame.activity_date}
    bed_days, spells_in = _nights(spells, held)
    policy = policy_named("nhs_digital")  # suppresses 1 to 7, leaves the rest as they are
    out = system_measures(store, policy)[LONG_STAY_BED_DAYS]
    assert out == {m: float(n) for m, n in bed_days.items() if spells_in[m] > 7}
    assert len(out) >= 6, "most months have more than seven long spells"
    # under the default policy the bed days are rounded to fives, as a count is
    rounded = system_measures(store, policy_named("opensafely"))[LONG_STAY_BED_DAYS]
    assert rounded and all(v % 5 == 0 for v in rounded.values())


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, InsightStore]:
    """A small store built by the pipeline from synthetic extracts without faults, so every
    APC row of the extracts is in the store."""
    root = tmp_path_factory.mktemp("kid-pipeline")
    faults = FaultRates(**{f: 0.0 for f in FaultRates.__dataclass_fields__})
    raw = synthesise(SynthSpec(people=1500, seed=5, faults=faults), root / "raw").raw_dir
    key = root / "key" / "pseudonym.key"
    key.parent.mkdir()
    key.write_text(secrets.token_hex(32) + "\n")
    build(raw, root / "store", key)
    return raw, open_store(root / "store")


def test_the_pipeline_store_carries_each_spells_discharge_into_bed_days(
    pipeline: tuple[Path, InsightStore],
) -> None:
    raw, store = pipeline

    def day(text: str) -> date:
        return datetime.strptime(text, "%Y%m%d").date()

    rows = [r for f in sorted((raw / "apc").glob("*.csv")) for r in csv.DictReader(f.open())]
    stays = Counter((day(r["DischargeDate"]) - day(r["AdmissionDate"])).days for r in rows)
    in_store = Counter(
        int(n)
        for (n,) in store.con.execute(
            "SELECT length_of_stay FROM activity WHERE setting = 'apc'"
        ).fetchall()
    )
    assert in_store == stays  # every spell's stay, as the extracts' dates give it
    long = [
        (day(r["AdmissionDate"]), (day(r["DischargeDate"]) - day(r["AdmissionDate"])).days)
        for r in rows
        if (day(r["DischargeDate"]) - day(r["AdmissionDate"])).days >= 21
        and _adult(day(r["DOB"]), day(r["AdmissionDate"]))
    ]
    assert long, "1,500 people have a long stay or two"
    held = {
        date(y, m, 1)
        for y, m in store.con.execute("SELECT DISTINCT year, month FROM activity").fetchall()
    }
    bed_days, _ = _nights(long, held)
    assert system_measures(store, PublishAll())[LONG_STAY_BED_DAYS] == {
        m: float(n) for m, n in bed_days.items()
    }
