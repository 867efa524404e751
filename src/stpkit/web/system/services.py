"""Writes and reads of the system view: every write in one transaction with its audit record.

National files are read and checked by the engine first (stpkit.system.national); only a
file with no problem is written, in one transaction that also recomputes the partnership's
actuals, so nothing is ever half-loaded. A month already loaded from the same layout is
refused unless the caller asks to replace it, and replacing deletes the old rows first, so
a month is never counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from stpkit.system import (
    PARTNERSHIP_CODES,
    MeasureSummary,
    NationalFile,
    PeriodValue,
    aggregate,
    england,
    read_national_file,
    summarise,
)
from stpkit.system import ProviderValue as EngineValue
from stpkit.system.gaps import GapView, three_gaps
from stpkit.system.national import Issue, NationalFileError
from stpkit.system.ods import (
    KENT_MEDWAY_GEOGRAPHY,
    OdsFile,
    OdsOrganisation,
    check_together,
    partnership_members,
)
from stpkit.system.own_data import milestones_on_time, savings_by_month
from stpkit.system.rating import INDICATORS, Rating, rate
from stpkit.web.core.audit import audited_save, record_change
from stpkit.web.core.bulk import insert_rows
from stpkit.web.core.datacache import cached
from stpkit.web.system.models import (
    Measure,
    MeasureValue,
    NationalImport,
    Organisation,
    OrganisationLoad,
    ProviderValue,
)

PROVIDER_VALUE_COLUMNS = (
    "source_id",
    "layout",
    "measure_code",
    "period",
    "org_code",
    "numerator",
    "denominator",
)


class PeriodAlreadyLoaded(Exception):
    """The month is already loaded from this layout and replacing was not asked for."""


def known_orgs() -> frozenset[str]:
    """Organisation codes the national files may name: the loaded ODS list (with Kent and
    Medway's own codes); until a list is loaded, the built-in one (Kent and Medway and the
    synthetic England codes), so a real file is refused until the real list is loaded."""
    loaded = set(Organisation.objects.values_list("code", flat=True))
    if not loaded:
        return frozenset(o.code for o in england())
    return frozenset(loaded | PARTNERSHIP_CODES)


def open_dates() -> dict[str, tuple[date | None, date | None]]:
    """Code -> (open date, close date) of the loaded organisations with either date."""
    return {
        code: (opened, closed)
        for code, opened, closed in Organisation.objects.exclude(
            open_date=None, close_date=None
        ).values_list("code", "open_date", "close_date")
    }


def partnership_codes() -> frozenset[str]:
    """The codes whose values add up to the partnership's figure: the partnership's own list
    and the loaded organisations marked as members when their file was loaded."""
    loaded = Organisation.objects.filter(partnership=True).values_list("code", flat=True)
    return frozenset(PARTNERSHIP_CODES | set(loaded))


def load_organisations(
    files: Sequence[OdsFile],
    *,
    user: Any,
    geographies: Sequence[str] = (KENT_MEDWAY_GEOGRAPHY,),
    codes: Sequence[str] = (),
) -> list[OrganisationLoad]:
    """Load checked ODS files in one transaction: each replaces every organisation of its
    kind. Membership of the partnership is worked out again over the whole list (a site's
    parent may be in a file loaded earlier): the partnership's own list (`codes` and Kent
    and Medway's) and every organisation whose health geography is one of `geographies`."""
    check_together(files)
    kinds = {f.kind.kind for f in files}
    if len(kinds) != len(files):
        raise NationalFileError(
            [Issue(files[-1].name, None, "", "two of the files are of the same kind")]
        )
    rule = "; ".join(
        p
        for p in (
            f"health geography {', '.join(geographies)}" if geographies else "",
            f"codes {', '.join(codes)}" if codes else "",
        )
        if p
    )
    who = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        Organisation.objects.filter(kind__in=kinds).delete()
        records = []
        for f in files:
            record = OrganisationLoad.objects.create(
                user=who,
                file_name=f.name[:255],
                kind=f.kind.key,
                organisations_read=len(f.organisations),
                partnership_rule=rule[:300],
            )
            records.append(record)
            Organisation.objects.bulk_create(
                (
                    Organisation(
                        code=o.code,
                        name=o.name[:200],
                        kind=o.kind,
                        national_grouping=o.national_grouping[:12],
                        health_geography=o.health_geography[:12],
                        parent_code=o.parent,
                        postcode=o.postcode[:10],
                        open_date=o.open_date,
                        close_date=o.close_date,
                        source=record,
                    )
                    for o in f.organisations
                ),
                batch_size=2000,
            )
        every = [
            OdsOrganisation(code, "", kind, "", geo, "", None, None, parent)
            for code, kind, geo, parent in Organisation.objects.values_list(
                "code", "kind", "health_geography", "parent_code"
            )
        ]
        members = partnership_members(
            every, geographies=geographies, codes=[*codes, *PARTNERSHIP_CODES]
        )
        Organisation.objects.update(partnership=False)
        Organisation.objects.filter(code__in=members).update(partnership=True)
        for record in records:
            record_change(
                user,
                record,
                "create",
                {},
                {"file": record.file_name, "kind": record.kind, "read": record.organisations_read},
                reason=f"partnership by {rule}" if rule else "",
            )
    return records


def summaries(measures: Sequence[Measure] | None = None) -> list[MeasureSummary]:
    """Every measure's summary (plan, actuals, SPC, RAG), from one query of values.

    Every measure's summary is kept per data version (`core.datacache.cached`, the one
    cache of computed figures): any write, by any process, computes them again."""
    chosen = (
        list(measures)
        if measures is not None
        else list(Measure.objects.select_related("workstream"))
    )
    if measures is not None and len(chosen) <= 5:
        return _compute(chosen)
    every = cached("system.summaries", _every_summary)
    return [every[m.pk] if m.pk in every else _compute([m])[0] for m in chosen]


def _every_summary() -> dict[int, MeasureSummary]:
    every = list(Measure.objects.select_related("workstream"))
    return {m.pk: s for m, s in zip(every, _compute(every), strict=True)}


def _compute(chosen: Sequence[Measure]) -> list[MeasureSummary]:
    by_measure: dict[int, list[PeriodValue]] = defaultdict(list)
    rows = MeasureValue.objects.filter(measure__in=[m.pk for m in chosen]).values_list(
        "measure_id", "period", "planned", "actual"
    )
    for measure_id, period, planned, actual in rows:
        by_measure[measure_id].append(PeriodValue(period, planned, actual))
    return [summarise(m.as_definition(), by_measure.get(m.pk, [])) for m in chosen]


def gaps_view() -> list[GapView]:
    return three_gaps(summaries())


def save_value(
    *,
    measure: Measure,
    period: date,
    planned: float | None,
    actual: float | None,
    user: Any,
    expected_version: int | None = None,
) -> MeasureValue:
    """Record the plan and the actual of one month (audited; a stale edit is refused)."""
    with transaction.atomic():
        value = MeasureValue.objects.filter(measure=measure, period=period).first()
        if value is None:
            value = MeasureValue(measure=measure, period=period)
            expected_version = None
        value.planned = planned
        value.actual = actual
        value.actual_source = "entered" if actual is not None else ""
        return audited_save(value, user, expected_version=expected_version)


def import_national_file(
    *,
    name: str,
    content: bytes,
    user: Any,
    replace: bool = False,
    period: date | None = None,
    layout: str | None = None,
) -> NationalImport:
    """Read, check and load one national file; NationalFileError or PeriodAlreadyLoaded."""
    parsed = read_national_file(
        name,
        content,
        known_orgs=known_orgs(),
        layout=layout,
        period=period,
        open_dates=open_dates(),
    )
    return load_national(parsed, user=user, replace=replace)


def load_national(parsed: NationalFile, *, user: Any, replace: bool) -> NationalImport:
    """Load one checked file (see `load_national_files`)."""
    return load_national_files([parsed], user=user, replace=replace)[0]


def load_national_files(
    files: Sequence[NationalFile], *, user: Any, replace: bool
) -> list[NationalImport]:
    """Load checked files in one transaction: all of them or none. A month already loaded
    from the same layout is refused (PeriodAlreadyLoaded) unless `replace`; replacing
    deletes the month's old rows first, so nothing is counted twice."""
    keys = [(f.layout.key, f.period) for f in files]
    if len(set(keys)) != len(keys):
        raise PeriodAlreadyLoaded("Two of the files are for the same layout and month")
    with transaction.atomic():
        previous: dict[tuple[str, date], NationalImport] = {}
        for key, month in keys:
            for old in NationalImport.objects.select_for_update().filter(layout=key, period=month):
                previous[key, month] = old
        if previous and not replace:
            (key, month), old = next(iter(previous.items()))
            parsed = files[keys.index((key, month))]
            raise PeriodAlreadyLoaded(
                f"{parsed.name}: {parsed.layout.title} for {month:%B %Y} is already loaded "
                f"(from {old.file_name}). Tick “replace” to load it again; nothing was loaded."
            )
        if previous:
            ids = [old.pk for old in previous.values()]
            ProviderValue.objects.filter(source_id__in=ids).delete()
            NationalImport.objects.filter(pk__in=ids).delete()
        who = user if getattr(user, "is_authenticated", False) else None
        records = [
            NationalImport(
                user=who,
                file_name=f.name[:255],
                layout=f.layout.key,
                period=f.period,
                rows=f.rows_read,
                values=len(f.values),
                replaced=(f.layout.key, f.period) in previous,
            )
            for f in files
        ]
        for record in records:  # one insert each: the primary key is needed on every database
            record.save()
        insert_rows(  # plain rows, no model object each (the demo's files: ~17,000 rows)
            ProviderValue,
            PROVIDER_VALUE_COLUMNS,
            (
                (r.pk, f.layout.key, v.measure, v.period, v.org_code, v.numerator, v.denominator)
                for f, r in zip(files, records, strict=True)
                for v in f.values
            ),
        )
        _set_actuals(
            [v for f in files for v in f.values],
            source=files[0].name[:120] if len(files) == 1 else f"{len(files)} national files",
        )
        for record in records:
            record_change(
                user,
                record,
                "create",
                {},
                {
                    "file": record.file_name,
                    "period": record.period.isoformat(),
                    "values": record.values,
                },
                reason="replaced a month already loaded" if record.replaced else "",
            )
        return records


def _set_actuals(values: Iterable[EngineValue], *, source: str) -> int:
    """The partnership figure of each measure and month, written as the measure's actual."""
    partnership = aggregate(values, partnership_codes())
    measures = {m.code: m for m in Measure.objects.filter(code__in={c for c, _ in partnership})}
    return _write_actuals(
        {(measures[c], p): v for (c, p), v in partnership.items() if c in measures}, source
    )


def _write_actuals(actuals: dict[tuple[Measure, date], float | None], source: str) -> int:
    if not actuals:
        return 0
    existing = {
        (v.measure_id, v.period): v
        for v in MeasureValue.objects.filter(
            measure__in={m.pk for m, _ in actuals}, period__in={p for _, p in actuals}
        )
    }
    new, changed = [], []
    for (measure, period), value in actuals.items():
        row = existing.get((measure.pk, period))
        if row is None:
            new.append(
                MeasureValue(measure=measure, period=period, actual=value, actual_source=source)
            )
        else:
            row.actual, row.actual_source, row.version = value, source, row.version + 1
            changed.append(row)
    MeasureValue.objects.bulk_create(new, batch_size=2000)
    MeasureValue.objects.bulk_update(
        changed, ["actual", "actual_source", "version"], batch_size=1000
    )
    return len(new) + len(changed)


def refresh_own_measures(as_at: date | None = None) -> int:
    """Recompute the measures made from our own records: milestones on time (programme, for
    the months ended by `as_at`, today unless told) and savings delivered (productivity),
    plan and actual by month."""
    from stpkit.web.core import clock
    from stpkit.web.productivity.models import SchemeMonth
    from stpkit.web.programme.models import Milestone

    written = 0
    with transaction.atomic():
        on_time = Measure.objects.filter(code="milestones_on_time").first()
        if on_time is not None:
            rows = Milestone.objects.exclude(status="cancelled").values_list(
                "baseline_date", "forecast_date", "status"
            )
            shares = milestones_on_time(
                (
                    (baseline, forecast if status == "complete" else None)
                    for baseline, forecast, status in rows
                ),
                as_at=as_at or clock.today(),
            )
            # a month no longer counted (not over, or its milestones moved) loses its actual
            MeasureValue.objects.filter(measure=on_time, actual__isnull=False).exclude(
                period__in=list(shares)
            ).update(actual=None, actual_source="", version=F("version") + 1)
            written += _write_actuals({(on_time, p): v for p, v in shares.items()}, "programme")
        savings = Measure.objects.filter(code="savings_delivered").first()
        if savings is not None:
            months = savings_by_month(
                (m, float(planned), None if actual is None else float(actual))
                for m, planned, actual in SchemeMonth.objects.values_list(
                    "month", "planned", "actual"
                )
            )
            for period, (planned, actual) in months.items():
                row, created = MeasureValue.objects.get_or_create(
                    measure=savings,
                    period=period,
                    defaults={
                        "planned": planned,
                        "actual": actual,
                        "actual_source": "productivity",
                    },
                )
                if not created:  # a bumped version moves the summaries' fingerprint
                    MeasureValue.objects.filter(pk=row.pk).update(
                        planned=planned,
                        actual=actual,
                        actual_source="productivity",
                        version=F("version") + 1,
                    )
                written += 1
    return written


def national_distribution(period: date) -> dict[str, list[float]]:
    """Each national measure's value at every organisation in England for the month: the
    distribution the rating's quartiles are drawn from. Rates only: a count at one trust is
    not comparable with the partnership's sum (counts are rated against their standard)."""
    out: dict[str, list[float]] = defaultdict(list)
    for code, num, den in ProviderValue.objects.filter(
        period=period, denominator__isnull=False
    ).values_list("measure_code", "numerator", "denominator"):
        if den:
            out[code].append(100.0 * num / den)
    return dict(out)


def rating_history(limit: int | None = None) -> list[tuple[date, Rating]]:
    """The partnership's rating for every month with values, oldest first."""
    codes = [i.code for i in INDICATORS]
    values: dict[date, dict[str, float | None]] = defaultdict(dict)
    for code, period, actual in MeasureValue.objects.filter(
        measure__code__in=codes, actual__isnull=False
    ).values_list("measure__code", "period", "actual"):
        values[period][code] = actual
    periods = sorted(values)
    if limit:
        periods = periods[-limit:]
    return [(p, rate(values[p], national_distribution(p))) for p in periods]


BENEFIT_COLUMNS = [
    ("workstream", "Workstream"),
    ("name", "Benefit"),
    ("measure", "Measured by"),
    ("baseline", "Baseline"),
    ("target", "Target"),
    ("target_month", "By"),
    ("realised", "Realised to date"),
    ("progress", "Progress (%)"),
    ("owner", "Owner"),
]


def benefit_rows() -> list[dict[str, Any]]:
    """The benefits register with realised to date from each benefit's measure."""
    from stpkit.system.benefits import benefit_progress
    from stpkit.web.system.models import Benefit

    benefits = list(Benefit.objects.select_related("workstream", "measure"))
    actuals: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for measure_id, period, actual in MeasureValue.objects.filter(
        measure__in={b.measure_id for b in benefits if b.measure_id}, actual__isnull=False
    ).values_list("measure_id", "period", "actual"):
        if actual is not None:
            actuals[measure_id].append((period, actual))
    rows = []
    for b in benefits:
        p = benefit_progress(
            baseline=b.baseline,
            target=b.target,
            actuals=actuals.get(b.measure_id or 0, []),
            cumulative=b.cumulative,
            since=b.baseline_month,
        )
        rows.append(
            {
                "slug": b.slug,
                "workstream": b.workstream.name,
                "name": b.name,
                "measure": b.measure.name if b.measure else "–",
                "measure_code": b.measure.code if b.measure else None,
                "baseline": b.baseline,
                "target": b.target,
                "target_month": b.target_month.strftime("%b %Y") if b.target_month else None,
                "realised": None if p.realised is None else round(p.realised, 2),
                "progress": None if p.progress is None else round(100 * p.progress, 1),
                "owner": b.owner,
            }
        )
    return rows


def refresh_dataset_measures() -> int:
    """Write the integrated dataset's measures (emergency admission rate, inequality gap,
    long-stay bed days) as actuals for every month the live store holds, from counts
    published under the population pages' disclosure policy; 0 when there is no store or
    no approved purpose."""
    return write_dataset_series(dataset_series())


DatasetSeries = dict[str, dict[date, float]]


def dataset_series() -> DatasetSeries:
    """What `refresh_dataset_measures` writes, worked out without writing (the store is
    read, the app database only for the purpose): measure code -> month -> value."""
    from stpkit.kid.governed import system_measures
    from stpkit.web.data.services import dashboard_access

    access = dashboard_access()
    if not access.ok or access.store is None or access.policy is None:
        return {}
    return {c: dict(s) for c, s in system_measures(access.store, access.policy).items()}


def write_dataset_series(series: DatasetSeries) -> int:
    """Write `dataset_series()`'s values as the measures' actuals (one transaction)."""
    if not series:
        return 0
    with transaction.atomic():
        measures = {m.code: m for m in Measure.objects.filter(code__in=series)}
        return _write_actuals(
            {(measures[c], p): v for c, s in series.items() if c in measures for p, v in s.items()},
            "integrated dataset",
        )
