"""Demo content of the system view: Kent and Medway's measures catalogue, about five years
of monthly data up to the demo's clock (April 2013, the CCGs' first month, to February
2018, the last month ended by `demo.clock.AS_AT`) and synthetic national files in the
published layouts, loaded through the same reader and service as an upload, checked against the
demo's synthetic organisation list, itself shipped in NHS Digital's ODS layout and loaded
through the ODS reader. Idempotent: measures are matched by code, a month already loaded
is replaced, plans are overwritten.

The integrated dataset's rates (emergency admissions, inequality gap) are synthetic series
except for the months the demo's store holds (2016 and 2017), which are computed from it
through the governed layer (`stpkit.kid.governed.system_measures`, counts under the
population pages' disclosure policy); long-stay bed days, a count that depends on the
store's size, come from the store only (months the policy suppresses stay empty);
milestones on time and savings delivered come from the programme and productivity demo
when those are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import transaction

from stpkit.demo.clock import AS_AT
from stpkit.system import (
    MEASURES,
    PARTNERSHIP_CODES,
    NationalFile,
    Organisation,
    england,
    read_national_file,
)
from stpkit.system.catalogue import Source
from stpkit.system.ods import OdsFile, read_ods_file
from stpkit.system.synthetic import WRITERS, file_name, months, ods_files
from stpkit.web.programme.models import Workstream
from stpkit.web.system import services
from stpkit.web.system.models import Benefit, Measure, MeasureValue

# The history ends with the last month ended by the as-at date (a month's figures are
# known once it has ended) and starts in April 2013: the national files name the CCGs,
# which opened then, so an earlier month would name organisations not yet open.
START = date(2013, 4, 1)
END = date(AS_AT.year - (AS_AT.month == 1), (AS_AT.month - 2) % 12 + 1, 1)
MONTHS = (END.year - START.year) * 12 + END.month - START.month + 1  # 59
DEMO_PROVIDERS = 24  # synthetic peers besides Kent and Medway, for the rating's quartiles
DATASET_SERIES = {  # start, yearly drift, noise (rates: comparable with the store's months)
    "emergency_admission_rate": (8.6, 0.15, 0.25),
    "inequality_gap": (2.1, -0.04, 0.06),
}
# Counts that depend on the store's size have no synthetic series: only the store's months.
STORE_ONLY = ("long_stay_bed_days",)


def periods() -> list[date]:
    return months(START, MONTHS)


@dataclass(frozen=True)
class Prepared:
    """The system view's demo worked out in memory: the organisation list, every national
    file read and checked against it, and the integrated dataset's series."""

    organisations: list[OdsFile]
    national: list[NationalFile]
    synthetic: dict[str, dict[date, float]]
    store: services.DatasetSeries


def prepare() -> Prepared:
    """Everything slow, touching no table (the store and the purposes are only read), so
    that `load` holds the database's write lock only while it writes: `stpkit demo` serves
    while this area loads, and on SQLite a login, which writes, waits for that lock."""
    organisations = [
        read_ods_file(name, text) for name, text in ods_files(demo_organisations()).items()
    ]
    # the codes and open dates the organisation list will hold once loaded (it replaces
    # the trusts and the commissioners: the only kinds there are)
    known = frozenset({o.code for f in organisations for o in f.organisations} | PARTNERSHIP_CODES)
    dates = {
        o.code: (o.open_date, o.close_date)
        for f in organisations
        for o in f.organisations
        if o.open_date is not None or o.close_date is not None
    }
    orgs = demo_organisations()
    national = [
        read_national_file(
            file_name(key, period),
            writer(period, orgs, 0),
            known_orgs=known,
            period=period,
            open_dates=dates,
        )
        for period in periods()
        for key, writer in WRITERS.items()
    ]
    return Prepared(organisations, national, synthetic_series(), services.dataset_series())


def load() -> None:
    """Work the demo out (`prepare`), then write it in one transaction: all or nothing."""
    write(prepare())


def write(prepared: Prepared) -> None:
    """Write what `prepare` worked out, in one transaction."""
    with transaction.atomic():
        load_measures()
        services.load_organisations(prepared.organisations, user=None)
        services.load_national_files(prepared.national, user=None, replace=True)
        load_dataset_measures(prepared.synthetic)
        services.write_dataset_series(prepared.store)  # the store's months replace the series
        load_trajectories()
        services.refresh_own_measures(as_at=AS_AT)
        load_benefits()


def load_measures() -> None:
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    for order, d in enumerate(MEASURES, start=1):
        Measure.objects.update_or_create(
            code=d.code,
            defaults={
                "name": d.name,
                "definition": d.definition,
                "unit": d.unit,
                "source": d.source.value,
                "frequency": d.frequency.value,
                "polarity": d.polarity.value,
                "gap": d.gap.value,
                "target": d.target,
                "standard": d.standard,
                "owner": d.owner,
                "workstream": workstreams.get(d.workstream),
                "dataset": d.dataset,
                "order": order,
            },
        )


def demo_organisations() -> tuple[Organisation, ...]:
    return england(providers=DEMO_PROVIDERS, commissioners=DEMO_PROVIDERS)


def synthetic_series() -> dict[str, dict[date, float]]:
    """The integrated dataset's rates as synthetic monthly series (fixed seed)."""
    rng = np.random.default_rng(2017)
    out = {}
    for code, (start, drift, noise) in DATASET_SERIES.items():
        out[code] = {
            period: round(start + drift * i / 12 + float(rng.normal(0, noise)), 2)
            for i, period in enumerate(periods())
        }
    return out


def load_dataset_measures(series: dict[str, dict[date, float]]) -> None:
    # a synthetic series an earlier demo wrote for a measure now read only from the store
    MeasureValue.objects.filter(
        measure__code__in=STORE_ONLY, actual_source="dataset (synthetic)"
    ).delete()
    for measure in Measure.objects.filter(code__in=series, source=Source.DATASET.value):
        _upsert(measure, "actual", series[measure.code], actual_source="dataset (synthetic)")


def _upsert(measure: Measure, field: str, series: dict[date, float], **extra: str) -> None:
    """Set `field` of the measure's month rows to `series` (creating rows as needed)."""
    rows = {v.period: v for v in MeasureValue.objects.filter(measure=measure, period__in=series)}
    new = []
    for period, value in series.items():
        row = rows.get(period)
        if row is None:
            new.append(MeasureValue(measure=measure, period=period, **{field: value}, **extra))
        else:
            setattr(row, field, value)
            row.version += 1  # moves the summaries' fingerprint
            for k, v in extra.items():
                setattr(row, k, v)
    MeasureValue.objects.bulk_create(new)
    MeasureValue.objects.bulk_update(list(rows.values()), [field, "version", *extra])


def load_trajectories() -> None:
    """A plan for each measure with a standard: from where it stood in the first month to
    the standard by the last, in equal monthly steps (the STP's improvement trajectory)."""
    ps = periods()
    for measure in Measure.objects.exclude(target=None).exclude(code="savings_delivered"):
        first = (
            MeasureValue.objects.filter(measure=measure, actual__isnull=False)
            .order_by("period")
            .first()
        )
        if first is None or first.actual is None or measure.target is None:
            continue
        start, end = first.actual, measure.target
        plan = {p: round(start + (end - start) * i / (len(ps) - 1), 2) for i, p in enumerate(ps)}
        _upsert(measure, "planned", plan)


# Benefits the seed papers name (agency reliance, care out of hospital, the A&E, cancer and
# dementia standards, the productivity opportunity); baselines are the demo's first year.
BENEFITS = (
    ("less-agency-spend", "workforce", "Less reliance on costly agency staff", "agency_spend",
     5600.0, 4500.0, False),
    ("fewer-emergency-admissions", "local-care", "Care out of hospital: fewer emergency admissions",
     "emergency_admission_rate", 8.6, 8.0, False),
    ("four-hour-standard", "hospital-care", "The A&E four-hour standard restored", "ae_4hr",
     89.0, 95.0, False),
    ("cancer-62-day", "hospital-care", "The cancer 62-day standard met", "cancer_62d", 83.0, 85.0,
     False),
    ("dementia-diagnosis", "mental-health", "Two thirds of people with dementia diagnosed",
     "dementia_dx", 60.0, 66.7, False),
    ("productivity-savings", "productivity", "The provider productivity opportunity delivered",
     "savings_delivered", 0.0, 190.0, True),
)  # fmt: skip


def load_benefits() -> None:
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    measures = {m.code: m for m in Measure.objects.all()}
    for slug, ws, name, code, baseline, target, cumulative in BENEFITS:
        if ws not in workstreams:
            continue  # the programme demo is not loaded
        Benefit.objects.update_or_create(
            slug=slug,
            defaults={
                "workstream": workstreams[ws],
                "name": name,
                "measure": measures.get(code),
                "baseline": baseline,
                "baseline_month": START,
                "target": target,
                "target_month": date(2021, 3, 1),
                "cumulative": cumulative,
                "owner": measures[code].owner if code in measures else "",
            },
        )
