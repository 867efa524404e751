"""Demo content of the system view: Kent and Medway's measures catalogue, five years of
monthly data (April 2015 to March 2020) and synthetic national files in the published
layouts, loaded through the same reader and service as an upload, checked against the
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

from datetime import date

import numpy as np
from django.db import transaction

from stpkit.system import MEASURES, Organisation, england, read_national_file
from stpkit.system.catalogue import Source
from stpkit.system.ods import read_ods_file
from stpkit.system.synthetic import WRITERS, file_name, months, ods_files
from stpkit.web.programme.models import Workstream
from stpkit.web.system import services
from stpkit.web.system.models import Benefit, Measure, MeasureValue

START = date(2015, 4, 1)
MONTHS = 60
DEMO_PROVIDERS = 24  # synthetic peers besides Kent and Medway, for the rating's quartiles
DATASET_SERIES = {  # start, yearly drift, noise (rates: comparable with the store's months)
    "emergency_admission_rate": (8.6, 0.15, 0.25),
    "inequality_gap": (2.1, -0.04, 0.06),
}
# Counts that depend on the store's size have no synthetic series: only the store's months.
STORE_ONLY = ("long_stay_bed_days",)


def periods() -> list[date]:
    return months(START, MONTHS)


def load() -> None:
    with transaction.atomic():
        load_measures()
        load_organisations()
        load_national_files()
        load_dataset_measures()
        services.refresh_dataset_measures()  # the live store's months replace the series
        load_trajectories()
        services.refresh_own_measures()
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


def load_organisations() -> None:
    """The demo's synthetic organisation list, written in NHS Digital's ODS layout (etr.csv,
    eccg.csv) and loaded through the same reader and service as the real files; Kent and
    Medway's roll up to the partnership by their health geography (QKS)."""
    files = [read_ods_file(name, text) for name, text in ods_files(demo_organisations()).items()]
    services.load_organisations(files, user=None)


def load_national_files() -> None:
    orgs = demo_organisations()
    known, dates = services.known_orgs(), services.open_dates()
    files = [
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
    services.load_national_files(files, user=None, replace=True)


def load_dataset_measures() -> None:
    # a synthetic series an earlier demo wrote for a measure now read only from the store
    MeasureValue.objects.filter(
        measure__code__in=STORE_ONLY, actual_source="dataset (synthetic)"
    ).delete()
    rng = np.random.default_rng(2017)
    measures = Measure.objects.filter(code__in=DATASET_SERIES, source=Source.DATASET.value)
    for measure in measures:
        start, drift, noise = DATASET_SERIES[measure.code]
        series = {
            period: round(start + drift * i / 12 + float(rng.normal(0, noise)), 2)
            for i, period in enumerate(periods())
        }
        _upsert(measure, "actual", series, actual_source="dataset (synthetic)")


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
