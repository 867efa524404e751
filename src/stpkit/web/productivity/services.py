"""Between the database and the productivity engine: load, validate, replace, summarise.

Reads (`catalogue`, `benchmark_set`, `engine_schemes`, `group_summaries`, ...) turn stored
rows into the engine's types. Writes take keyword arguments only and run in one transaction
with their audit record (`stpkit.web.core.audit`), as job-server's `actions` do. Every
import validates the whole file with the engine first and then replaces the stored rows,
so a refused file leaves the previous state untouched.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from stpkit import productivity as engine
from stpkit.productivity import (
    BenchmarkSet,
    Confidence,
    DeliverySummary,
    Direction,
    MetricValue,
    StepKind,
    read_bridge,
    read_metrics,
    read_peer_groups,
    read_savings,
    summarise,
)
from stpkit.web.core.audit import audited_save, record_change, snapshot
from stpkit.web.productivity import models as m

# The plan year the pages show and imports default to: the demo's (the year its as-at
# date, 5 March 2018, falls in). Still one year for every page, as before.
PLAN_YEAR = "2017/18"


def catalogue() -> dict[str, engine.MetricDefinition]:
    return {
        d.code: engine.MetricDefinition(
            code=d.code,
            name=d.name,
            unit=d.unit,
            direction=Direction(d.direction),
            activity_unit=d.activity_unit,
            cash_per_activity=d.cash_per_activity,
            staff_per_activity=d.staff_per_activity,
            overlap_group=d.overlap_group,
            working_group=d.working_group,
            target=d.target,
        )
        for d in m.MetricDefinition.objects.all()
    }


def save_catalogue(*, definitions: dict[str, engine.MetricDefinition]) -> None:
    """Create or update the metric definitions (the demo's catalogue; no user edits it)."""
    with transaction.atomic():
        for d in definitions.values():
            m.MetricDefinition.objects.update_or_create(
                code=d.code,
                defaults={
                    "name": d.name,
                    "unit": d.unit,
                    "direction": d.direction.value,
                    "activity_unit": d.activity_unit,
                    "cash_per_activity": d.cash_per_activity,
                    "staff_per_activity": d.staff_per_activity,
                    "overlap_group": d.overlap_group,
                    "working_group": d.working_group,
                    "target": d.target,
                },
            )


def peer_groups() -> dict[str, str]:
    return dict(m.PeerGroupMember.objects.values_list("provider", "peer_group"))


def benchmark_set() -> BenchmarkSet | None:
    """The stored benchmarks, or None before the first import."""
    values = [
        MetricValue(r.provider, r.metric, r.period, r.value, r.denominator)
        for r in m.ProviderMetric.objects.all()
    ]
    if not values:
        return None
    groups = peer_groups()
    return BenchmarkSet(values, {v.provider: groups[v.provider] for v in values})


def import_benchmarks(
    *,
    metrics: bytes,
    metrics_name: str,
    peers: bytes | None = None,
    peers_name: str = "",
    user: Any,
) -> m.BenchmarkImport:
    """Validate then replace the stored metrics (and peer groups, when a file is given).

    Raises `InputError` (nothing changed) when either file has a problem. The import's
    record (who, which files, how many rows) goes on the audit trail in the same
    transaction.
    """
    groups = read_peer_groups(peers, peers_name) if peers is not None else peer_groups()
    data = read_metrics(metrics, groups, catalogue(), metrics_name)
    with transaction.atomic():
        if peers is not None:
            m.PeerGroupMember.objects.all().delete()
            m.PeerGroupMember.objects.bulk_create(
                m.PeerGroupMember(provider=p, peer_group=g) for p, g in sorted(groups.items())
            )
        m.ProviderMetric.objects.all().delete()
        m.ProviderMetric.objects.bulk_create(
            m.ProviderMetric(
                provider=v.provider,
                metric=v.metric,
                period=v.period,
                value=v.value,
                denominator=v.denominator,
            )
            for v in data.values
        )
        record = m.BenchmarkImport.objects.create(
            user=user if getattr(user, "is_authenticated", False) else None,
            metrics_file=metrics_name,
            peers_file=peers_name if peers is not None else "",
            rows=len(data.values),
            providers=len(data.providers),
        )
        record_change(
            user, record, "create", {}, snapshot(record), f"benchmarks imported from {metrics_name}"
        )
        return record


def engine_schemes(
    plan_year: str = PLAN_YEAR, group: m.WorkingGroup | None = None
) -> list[engine.Scheme]:
    qs = (
        m.Scheme.objects.filter(plan_year=plan_year)
        .select_related("working_group")
        .prefetch_related("months")
    )
    if group is not None:
        qs = qs.filter(working_group=group)
    out = []
    for s in qs:
        scheme = engine.Scheme(s.working_group.slug, s.name, Confidence(s.confidence))
        for month in s.months.all():
            scheme.planned[month.month] = float(month.planned)
            if month.actual is not None:
                scheme.actual[month.month] = float(month.actual)
        out.append(scheme)
    return out


def target_of(group: m.WorkingGroup, plan_year: str = PLAN_YEAR) -> float | None:
    target = m.Target.objects.filter(working_group=group, plan_year=plan_year).first()
    return None if target is None or target.amount is None else float(target.amount)


def group_summaries(
    plan_year: str = PLAN_YEAR, schemes: list[engine.Scheme] | None = None
) -> list[tuple[m.WorkingGroup, DeliverySummary]]:
    """Each working group's delivery summary (`schemes`: the plan year's, if already read)."""
    if schemes is None:
        schemes = engine_schemes(plan_year)
    targets = {
        t.working_group_id: None if t.amount is None else float(t.amount)
        for t in m.Target.objects.filter(plan_year=plan_year)
    }
    result = []
    for group in m.WorkingGroup.objects.all():
        mine = [s for s in schemes if s.working_group == group.slug]
        result.append((group, summarise(mine, targets.get(group.pk))))
    return result


def _schemes_line(group: m.WorkingGroup, plan_year: str) -> str:
    """A group's plan-year schemes in one line for the audit trail: names and planned GBP."""
    stored = group.schemes.filter(plan_year=plan_year).prefetch_related("months")
    parts = [f"{s.name} ({sum(mo.planned for mo in s.months.all()):,.0f})" for s in stored]
    return "; ".join(parts) or "none"


def save_schemes(
    *, schemes: list[engine.Scheme], plan_year: str, user: Any, reason: str = ""
) -> int:
    """Replace the plan-year schemes of every working group named in `schemes`; each group
    whose schemes change gets an audit record (before and after) in the same transaction."""
    groups = {
        g.slug: g
        for g in m.WorkingGroup.objects.filter(slug__in={s.working_group for s in schemes})
    }
    key = f"schemes {plan_year}"
    with transaction.atomic():
        before = {slug: _schemes_line(g, plan_year) for slug, g in groups.items()}
        m.Scheme.objects.filter(plan_year=plan_year, working_group__in=groups.values()).delete()
        for s in schemes:
            scheme = m.Scheme.objects.create(
                working_group=groups[s.working_group],
                plan_year=plan_year,
                slug=slugify(s.name)[:120],
                name=s.name,
                confidence=s.confidence.value,
            )
            m.SchemeMonth.objects.bulk_create(
                m.SchemeMonth(
                    scheme=scheme,
                    month=month,
                    planned=Decimal(str(planned)),
                    actual=Decimal(str(s.actual[month])) if month in s.actual else None,
                )
                for month, planned in sorted(s.planned.items())
            )
        for slug, group in groups.items():
            after = _schemes_line(group, plan_year)
            record_change(user, group, "update", {key: before[slug]}, {key: after}, reason)
    return len(schemes)


def import_savings(*, data: bytes, name: str, user: Any, plan_year: str = PLAN_YEAR) -> int:
    """Validate a savings file against the plan year, then replace those groups' schemes.

    Raises `InputError` (nothing changed) on any problem; returns the number of schemes.
    """
    slugs = set(m.WorkingGroup.objects.values_list("slug", flat=True))
    schemes = read_savings(data, plan_year, slugs, name)
    return save_schemes(
        schemes=schemes, plan_year=plan_year, user=user, reason=f"savings imported from {name}"
    )


def bridge_steps() -> list[engine.BridgeStep]:
    return [
        engine.BridgeStep(
            s.label, StepKind(s.kind), None if s.amount is None else float(s.amount), s.note
        )
        for s in m.BridgeStep.objects.all()
    ]


def import_bridge(*, data: bytes, name: str, user: Any) -> int:
    """Validate a bridge file (it must reconcile) and replace the stored bridge with it.

    Raises `InputError` (nothing changed) on any problem; returns the number of steps.
    The replaced bridge is kept in the audit trail (one record per step removed/added).
    """
    steps = read_bridge(data, name)
    with transaction.atomic():
        for old in m.BridgeStep.objects.all():
            record_change(user, old, "delete", snapshot(old), {}, f"bridge replaced by {name}")
        m.BridgeStep.objects.all().delete()
        for order, step in enumerate(steps, start=1):
            new = m.BridgeStep.objects.create(
                order=order,
                label=step.label,
                kind=step.kind.value,
                amount=None if step.amount is None else Decimal(str(step.amount)),
                note=step.note[:200],
            )
            record_change(user, new, "create", {}, snapshot(new), f"imported from {name}")
    return len(steps)


def latest_actual_month(plan_year: str = PLAN_YEAR) -> date | None:
    month = (
        m.SchemeMonth.objects.filter(scheme__plan_year=plan_year, actual__isnull=False)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return month


def _money_text(amount: Decimal | None) -> str:
    return "TBC" if amount is None else f"{amount:,.0f}"


def targets_text(group: m.WorkingGroup) -> str:
    """The group's targets as the edit form shows them, one plan year per line."""
    return "\n".join(f"{t.plan_year}: {_money_text(t.amount)}" for t in group.targets.all())


def save_working_group(
    *,
    group: m.WorkingGroup,
    focus_areas: list[str],
    targets: dict[str, Decimal | None],
    expected_version: int,
    user: Any,
) -> m.WorkingGroup:
    """Save the group's own fields (refused with `StaleEditError` if someone saved it since
    `expected_version`), its focus areas and its targets: one transaction, each change on
    the group's audit trail."""
    with transaction.atomic():
        audited_save(group, user, expected_version=expected_version)
        save_group_details(group=group, focus_areas=focus_areas, targets=targets, user=user)
    return group


def save_scheme(*, scheme: m.Scheme, expected_version: int, user: Any) -> m.Scheme:
    """Save a scheme's name and confidence, audited; refused with `StaleEditError` if someone
    saved it since `expected_version`."""
    return audited_save(scheme, user, expected_version=expected_version)


def save_group_details(
    *,
    group: m.WorkingGroup,
    focus_areas: list[str],
    targets: dict[str, Decimal | None],
    user: Any,
) -> None:
    """Replace the group's focus areas and targets by year, recording each change on the
    group's audit trail (a target line left out is removed)."""
    with transaction.atomic():
        before_focus = list(group.focus_areas.values_list("name", flat=True))
        if before_focus != focus_areas:
            group.focus_areas.all().delete()
            m.FocusArea.objects.bulk_create(
                m.FocusArea(working_group=group, name=name, order=i)
                for i, name in enumerate(focus_areas, start=1)
            )
            record_change(
                user, group, "update", {"focus_areas": before_focus}, {"focus_areas": focus_areas}
            )
        stored = {t.plan_year: t for t in group.targets.all()}
        before = {f"target {y}": _money_text(t.amount) for y, t in stored.items()}
        after = {f"target {y}": _money_text(a) for y, a in targets.items()}
        for year, amount in targets.items():
            m.Target.objects.update_or_create(
                working_group=group, plan_year=year, defaults={"amount": amount}
            )
        for year, target in stored.items():
            if year not in targets:
                target.delete()
        record_change(user, group, "update", before, after)
