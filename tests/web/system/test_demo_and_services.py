"""The demo loads idempotently; national files load whole or not at all, never twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stpkit.system import PARTNERSHIP_CODES, NationalFileError, england
from stpkit.system.synthetic import ae_file, dm01_file
from stpkit.web.core.models import ChangeRecord
from stpkit.web.system import services
from stpkit.web.system.models import Measure, MeasureValue, NationalImport, ProviderValue

pytestmark = pytest.mark.django_db
JAN = date(2017, 1, 1)
ORGS = england(providers=6, commissioners=4)


@pytest.fixture
def measures() -> None:
    from stpkit.demo.system import load_measures

    load_measures()


def test_demo_is_idempotent_and_runs_to_the_demo_clock(system_demo: None) -> None:
    counts = (Measure.objects.count(), MeasureValue.objects.count(), ProviderValue.objects.count())
    from stpkit.demo import system

    system.load()
    assert (
        Measure.objects.count(),
        MeasureValue.objects.count(),
        ProviderValue.objects.count(),
    ) == counts
    ae = Measure.objects.get(code="ae_4hr")
    actuals = MeasureValue.objects.filter(measure=ae, actual__isnull=False)
    # April 2013 (the CCGs' first month) to February 2018, the last month ended by the
    # demo's as-at date (5 March 2018)
    assert actuals.count() == 59
    assert [actuals.earliest("period").period, actuals.latest("period").period] == [
        date(2013, 4, 1),
        date(2018, 2, 1),
    ]
    assert NationalImport.objects.filter(layout="rtt").count() == 59
    assert NationalImport.objects.latest("period").period == date(2018, 2, 1)


def test_actual_is_the_partnership_sum_not_every_provider(measures: None) -> None:
    record = services.import_national_file(
        name="ae.csv", content=ae_file(JAN, ORGS).encode(), user=None
    )
    assert record.period == JAN
    km = ProviderValue.objects.filter(measure_code="ae_4hr", org_code__in=PARTNERSHIP_CODES)
    num = sum(v.numerator for v in km)
    den = sum(v.denominator or 0 for v in km)
    actual = MeasureValue.objects.get(measure__code="ae_4hr", period=JAN).actual
    assert actual == pytest.approx(100 * num / den)
    assert ProviderValue.objects.filter(measure_code="ae_4hr").count() > km.count()


def test_a_month_already_loaded_is_refused_or_replaced_never_doubled(measures: None) -> None:
    content = ae_file(JAN, ORGS).encode()
    services.import_national_file(name="ae.csv", content=content, user=None)
    before = ProviderValue.objects.count()
    with pytest.raises(services.PeriodAlreadyLoaded, match="already loaded"):
        services.import_national_file(name="ae-again.csv", content=content, user=None)
    assert ProviderValue.objects.count() == before
    record = services.import_national_file(
        name="ae-again.csv", content=content, user=None, replace=True
    )
    assert record.replaced
    assert ProviderValue.objects.count() == before
    assert NationalImport.objects.filter(layout="ae", period=JAN).count() == 1


def test_a_bad_file_loads_nothing(measures: None) -> None:
    text = ae_file(JAN, ORGS)
    lines = text.splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[1], "QQQ", 1)  # an unknown provider, row 4
    with pytest.raises(NationalFileError) as err:
        services.import_national_file(name="bad.csv", content="\n".join(lines).encode(), user=None)
    assert err.value.issues[0].row == 4 and err.value.issues[0].column == "Org Code"
    assert not ProviderValue.objects.exists() and not NationalImport.objects.exists()
    assert not MeasureValue.objects.exists()


def test_import_is_audited_and_needs_a_period_when_the_layout_has_none(measures: None) -> None:
    with pytest.raises(NationalFileError, match="give the period"):
        services.import_national_file(
            name="dm01.csv", content=dm01_file(JAN, ORGS).encode(), user=None
        )
    record = services.import_national_file(
        name="dm01.csv", content=dm01_file(JAN, ORGS).encode(), user=None, period=JAN
    )
    assert ChangeRecord.objects.filter(object_id=str(record.pk), action="create").exists()


def test_rating_history_gives_a_category_each_month(system_demo: None) -> None:
    history = services.rating_history()
    assert len(history) == 59
    period, rating = history[-1]
    assert period == date(2018, 2, 1)
    assert rating.category is not None
    scored = [s for s in rating.indicators if s.score is not None]
    assert {s.basis for s in scored} >= {"national quartile", "standard"}


def test_dataset_measures_become_actuals(
    measures: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo_partnership: None,
) -> None:
    from stpkit.demo.data import load_purposes
    from stpkit.kid.sources import SampleSpec, write_sample

    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))  # a data directory of its own
    assert services.refresh_dataset_measures() == 0  # no store: nothing written
    write_sample(tmp_path / "kid" / "sample", SampleSpec(people=8_000, practices=8, years=(2024,)))
    assert services.refresh_dataset_measures() == 0  # no approved purpose: nothing published
    load_purposes(analyst="test-analyst", controller="test-data_controller")
    written = services.refresh_dataset_measures()
    rates = MeasureValue.objects.filter(
        measure__code="emergency_admission_rate", actual_source="integrated dataset"
    )
    assert written >= rates.count() == 12  # a year of months
    assert all(r.actual is not None and r.actual > 0 for r in rates)
    assert {r.period.year for r in rates} == {2024}
    # long-stay bed days: the store's published months, in place of any synthetic series
    from stpkit.kid.governed import long_stay_bed_days
    from stpkit.web.data.services import dashboard_access

    access = dashboard_access()
    assert access.store is not None and access.policy is not None
    published = long_stay_bed_days(access.store, access.policy)
    long_stays = MeasureValue.objects.filter(
        measure__code="long_stay_bed_days", actual_source="integrated dataset"
    )
    assert published, "8,000 people have months with enough long stays to publish"
    assert {r.period: r.actual for r in long_stays} == published


def test_every_measures_summary_is_kept_until_a_value_is_saved(measures: None) -> None:
    """`summaries()` is kept per data version (core.datacache): a saved value is in the
    next answer, not hidden behind the kept one."""
    later = date(2030, 1, 1)
    before = {s.definition.code: s for s in services.summaries()}
    assert len(before) > 5  # every measure: the kept path, not the one for a few
    measure = Measure.objects.order_by("pk").first()
    assert measure is not None
    was = before[measure.code].latest
    assert was is None or was.period < later
    services.save_value(measure=measure, period=later, planned=None, actual=42.0, user=None)
    latest = {s.definition.code: s for s in services.summaries()}[measure.code].latest
    assert latest is not None and (latest.period, latest.actual) == (later, 42.0)
