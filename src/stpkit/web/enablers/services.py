"""Writes and reads of the enabling workstreams: loading returns whole or not at all,
saving edits with their audit record, and turning the database into the engine's inputs.

Functions take keyword arguments; each write is one transaction with its audit record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import Case, Count, F, Sum, When

from stpkit import enablers as eng
from stpkit.web.core import datacache
from stpkit.web.core.audit import audited_save
from stpkit.web.enablers.models import (
    AgencyCap,
    Building,
    CapitalEnvelope,
    CapitalScheme,
    GroupAssumption,
    Initiative,
    InitiativeNeed,
    ResourceLimit,
    ReturnLoad,
    ServiceChangeWorkforce,
    Site,
    StaffMeasure,
    StaffRecord,
    WorkstreamRequest,
)

Saved = Any


def latest_year(kind: str) -> int | None:
    return ReturnLoad.objects.filter(kind=kind).aggregate(y=models.Max("year"))["y"]


# ---- reads: the database as the engine's inputs ------------------------------------


def engine_sites() -> list[eng.Site]:
    return [
        eng.Site(code, name, org, postcode)
        for code, name, org, postcode in Site.objects.values_list(
            "code", "name", "organisation__code", "postcode"
        )
    ]


def engine_building(b: Building) -> eng.Building:
    return eng.Building(
        site=b.site.code,
        code=b.code,
        name=b.name,
        use=b.use,
        tenure=b.tenure,
        owner=b.owner,
        floor_area_m2=b.floor_area_m2,
        condition=b.condition,
        backlog={
            "high": b.backlog_high,
            "significant": b.backlog_significant,
            "moderate": b.backlog_moderate,
            "low": b.backlog_low,
        },
        running_cost_per_m2=b.running_cost_per_m2,
        utilisation=b.utilisation_pct / 100.0,
        void_m2=b.void_m2,
        listed=b.listed,
        disposal_receipt=b.disposal_receipt,
        shared_with=tuple(p for p in b.shared_with.split(";") if p),
    )


def buildings(year: int | None) -> models.QuerySet[Building]:
    return Building.objects.filter(year=year or 0).select_related("site", "site__organisation")


def workforce_summary(year: int | None) -> list[eng.GroupSummary]:
    """Every organisation's and the partnership's workforce by staff group, kept until the
    app's data change (summing 60,000 staff records is most of a page view otherwise)."""
    return list(
        datacache.cached(
            f"enablers.workforce_summary:{year}",
            lambda: eng.summarise(in_post(year), measures(year)),
        )
    )


def in_post(year: int | None) -> list[eng.InPost]:
    """Staff in post summed in the database (60,000 rows stay there)."""
    near = eng.RETIREMENT_AGE - 5
    rows = (
        StaffRecord.objects.filter(year=year or 0)
        .values("organisation__code", "staff_group")
        .annotate(
            heads=Count("id"),
            wte_sum=Sum("wte"),
            older=Sum(
                Case(
                    When(age__gte=near, then=F("wte")),
                    default=0.0,
                    output_field=models.FloatField(),
                )
            ),
        )
        .order_by("organisation__code", "staff_group")
    )
    return [
        eng.InPost(
            r["organisation__code"],
            r["staff_group"],
            r["heads"],
            r["wte_sum"] or 0.0,
            r["older"] or 0.0,
        )
        for r in rows
    ]


def measures(year: int | None) -> list[eng.GroupMeasures]:
    return [
        eng.GroupMeasures(
            organisation=m.organisation.code,
            staff_group=m.staff_group,
            vacancies_wte=m.vacancies_wte,
            leavers_wte=m.leavers_wte,
            bank_wte=m.bank_wte,
            agency_wte=m.agency_wte,
            agency_spend=m.agency_spend,
            bank_spend=m.bank_spend,
        )
        for m in StaffMeasure.objects.filter(year=year or 0).select_related("organisation")
    ]


def agency_caps(year: int | None) -> dict[str, float]:
    return dict(AgencyCap.objects.filter(year=year or 0).values_list("organisation__code", "cap"))


def assumptions() -> dict[str, eng.GroupAssumptions]:
    out = {}
    for a in GroupAssumption.objects.all():

        def r(name: str, a: GroupAssumption = a) -> tuple[float, float, float]:
            return (
                getattr(a, f"{name}_low"),
                getattr(a, f"{name}_central"),
                getattr(a, f"{name}_high"),
            )

        out[a.staff_group] = eng.GroupAssumptions(
            training_wte=r("training"),
            recruitment_wte=r("recruitment"),
            retirement_rate=r("retirement"),
            turnover_rate=r("turnover"),
            demand_growth=r("growth"),
        )
    return out


def service_changes() -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for c in ServiceChangeWorkforce.objects.all():
        if 1 <= c.plan_year <= 5:
            out.setdefault(c.staff_group, [0.0] * 5)[c.plan_year - 1] += c.wte
    return out


def default_growth() -> tuple[float, float, float] | None:
    """Demand growth for staff groups without their own assumptions: the activity
    projection's yearly growth range when the integrated dataset has one, else None (the
    engine's stated default, 1% to 3% a year, applies)."""
    from stpkit.web.enablers.links import activity_growth

    return activity_growth()


def projection(year: int | None, *, draws: int = 2000) -> eng.Projection:
    """The five-year projection from the year's return and today's assumptions and service
    changes, kept until the app's data or the activity growth change (2,000 draws per staff
    group are too many to repeat for every reader)."""
    growth = default_growth()

    def compute() -> eng.Projection:
        summary = [r for r in workforce_summary(year) if r.organisation == "*"]
        baseline = {
            r.staff_group: eng.Baseline(r.wte, r.wte * r.near_retirement_share, r.vacancies_wte)
            for r in summary
        }
        given = assumptions()
        if growth is not None:
            for group in baseline:
                given.setdefault(group, eng.GroupAssumptions(demand_growth=growth))
        return eng.project(baseline, given, service_changes(), draws=draws)

    return datacache.cached(f"enablers.projection:{year}:{draws}:{growth}", compute)


def schemes() -> list[eng.Scheme]:
    return [
        eng.Scheme(
            code=s.code,
            name=s.name,
            costs=s.costs,
            funding_source=s.funding_source,
            stage=s.stage,
            workstream=s.workstream.name if s.workstream else "",
            option_code=s.option_code,
            purpose=s.purpose,
            benefits=s.benefits,
        )
        for s in CapitalScheme.objects.select_related("workstream")
    ]


def envelope() -> dict[str, float]:
    return dict(CapitalEnvelope.objects.values_list("year", "amount"))


def option_capital(*, code: str, name: str = "") -> float:
    """The capital of the schemes linked to a service change option: a scheme names the
    option by its code or its name (case and surrounding spaces ignored).

    For the decisions area: an option's capital comes from the capital plan."""
    wanted = {k.strip().lower() for k in (code, name) if k.strip()}
    return sum(s.total for s in schemes() if s.option_code.strip().lower() in wanted)


def engine_initiatives() -> list[eng.Initiative]:
    needs: dict[int, dict[tuple[str, str], float]] = {}
    for n in InitiativeNeed.objects.all():
        needs.setdefault(n.initiative_id, {})[(n.resource, n.period)] = n.amount
    requires: dict[int, list[str]] = {}
    through = Initiative.requires.through
    for from_id, code in through.objects.values_list("from_initiative_id", "to_initiative__code"):
        requires.setdefault(from_id, []).append(code)
    return [
        eng.Initiative(
            code=i.code,
            name=i.name,
            value=float(i.value),
            needs=needs.get(i.pk, {}),
            workstream=i.workstream.name,
            mandatory=i.mandatory,
            requires=tuple(sorted(requires.get(i.pk, []))),
        )
        for i in Initiative.objects.select_related("workstream")
    ]


def limits() -> dict[tuple[str, str], float]:
    return {(r.resource, r.period): r.amount for r in ResourceLimit.objects.all()}


def _cached(kind: str, inputs: object, solve: Any) -> Any:
    """The answer for these exact inputs from the cache, else solved and kept an hour:
    the page is fast on every view after the first one after a change."""
    import hashlib
    import pickle

    from django.core.cache import cache

    key = f"enablers:{kind}:" + hashlib.sha256(pickle.dumps(inputs)).hexdigest()
    found = cache.get(key)
    if found is None:
        try:
            found = ("ok", solve())
        except eng.EnablersError as err:
            found = ("error", str(err))
        cache.set(key, found, 3600)
    return found


def portfolio_choice(
    items: list[eng.Initiative], caps: dict[tuple[str, str], float]
) -> tuple[eng.Choice | None, str]:
    """(the exact best portfolio, "") or (None, why there is none)."""
    status, answer = _cached(
        "choice", (items, sorted(caps.items())), lambda: eng.choose(items, caps, time_limit=20)
    )
    return (answer, "") if status == "ok" else (None, answer)


def portfolio_curve(
    items: list[eng.Initiative], caps: dict[tuple[str, str], float]
) -> list[eng.CurvePoint]:
    status, answer = _cached(
        "curve",
        (items, sorted(caps.items())),
        lambda: eng.trade_off_curve(items, caps, time_limit=10),
    )
    return answer if status == "ok" else []


# ---- writes --------------------------------------------------------------------------


def save_item(*, obj: Saved, user: Any, expected_version: int | None) -> Saved:
    """Create or update an edited item with its audit record (StaleEditError if stale)."""
    return audited_save(obj, user, expected_version=expected_version)


def set_limit(*, resource: str, period: str, amount: float, user: Any) -> ResourceLimit:
    """Set (or change) the limit of a resource in a year, with its audit record."""
    with transaction.atomic():
        limit = ResourceLimit.objects.select_for_update().filter(
            resource=resource, period=period
        ).first() or ResourceLimit(resource=resource, period=period)
        limit.amount = amount
        return audited_save(limit, user)


def answer_request(
    *,
    req: WorkstreamRequest,
    status: str,
    response: str,
    user: Any,
    expected_version: int | None,
) -> WorkstreamRequest:
    """The enabling workstream's answer: accepted, planned, declined or delivered."""
    from django.utils import timezone

    req.status = status
    req.response = response
    req.answered_at = timezone.now() if status != "open" else None
    return audited_save(req, user, expected_version=expected_version, reason=f"answered: {status}")


def request_flag(req: WorkstreamRequest, today: date) -> str:
    return eng.request_flag(req.status, req.needed_by, req.raised_at.date(), today)
