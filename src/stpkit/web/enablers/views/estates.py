"""The estates workbook: totals by organisation, every building (edited here), void and
shared space, candidate disposals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.charts import enablers as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.paging import paginate
from stpkit.web.core.tables import table_download
from stpkit.web.enablers import services
from stpkit.web.enablers.forms import BuildingForm, SiteForm
from stpkit.web.enablers.models import Building, Organisation, Site
from stpkit.web.enablers.views._common import edit_page, gbp, require_office
from stpkit.web.programme.permissions import edits_everything

TOTAL_COLUMNS = [
    ("organisation", "Organisation"),
    ("buildings", "Buildings"),
    ("floor_area_m2", "Floor area (m²)"),
    ("unused_m2", "Unused (m²)"),
    ("unused_pct", "Unused (%)"),
    ("void_m2", "Void (m²)"),
    ("running_cost", "Running cost a year (GBP)"),
    ("backlog_high", "High-risk backlog (GBP)"),
    ("backlog_total", "All backlog (GBP)"),
    ("listed", "Listed"),
    ("shared", "Shared"),
]
BUILDING_COLUMNS = [
    ("code", "Building"),
    ("name", "Name"),
    ("site", "Site"),
    ("organisation", "Organisation"),
    ("use", "Use"),
    ("tenure", "Tenure"),
    ("floor_area_m2", "Floor area (m²)"),
    ("condition", "Condition"),
    ("backlog_high", "High-risk backlog (GBP)"),
    ("backlog_total", "All backlog (GBP)"),
    ("running_cost_per_m2", "Running cost (GBP/m²)"),
    ("utilisation_pct", "Utilisation (%)"),
    ("void_m2", "Void (m²)"),
    ("listed", "Listed"),
    ("shared_with", "Shared with"),
]
NUMERIC = [
    k
    for k, _ in TOTAL_COLUMNS + BUILDING_COLUMNS
    if k
    not in (
        "organisation",
        "code",
        "name",
        "site",
        "use",
        "tenure",
        "condition",
        "listed",
        "shared_with",
    )
] + ["listed", "unused_pct"]


def _year(request: HttpRequest) -> int | None:
    return services.latest_year("estates")


def _no_return(title: str) -> dict[str, object]:
    return {
        "title": title,
        "intro": "No estates return is loaded yet.",
        "actions": [(reverse("enablers:returns"), "Load a return")],
    }


@area_required("programme")
def estates(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    names = dict(Organisation.objects.values_list("code", "name"))
    bs = [services.engine_building(b) for b in services.buildings(year)]
    totals = eng.estate_totals(services.engine_sites(), bs)
    rows = [
        {
            "organisation": names.get(t.organisation, t.organisation),
            "buildings": t.buildings,
            "floor_area_m2": round(t.floor_area_m2),
            "unused_m2": round(t.unused_m2),
            "unused_pct": round(100 * t.unused_share, 1),
            "void_m2": round(t.void_m2),
            "running_cost": round(t.running_cost),
            "backlog_high": round(t.backlog["high"]),
            "backlog_total": round(t.backlog_total),
            "listed": t.listed,
            "shared": t.shared,
        }
        for t in totals
    ]
    download = table_download(request, rows, TOTAL_COLUMNS, f"estates-{year}")
    if download:
        return download
    if year is None:
        return render(request, "enablers/page.jinja", _no_return("Estates workbook"))
    area = sum(t.floor_area_m2 for t in totals)
    unused = sum(t.unused_m2 for t in totals)
    facts = [
        ("Return year", year),
        ("Buildings", f"{len(bs):,}"),
        ("Floor area", f"{area:,.0f} m²"),
        ("Unused (void or not in use)", f"{unused:,.0f} m² ({unused / area:.0%})" if area else "–"),
        ("Running cost a year", gbp(sum(t.running_cost for t in totals))),
        (
            "Backlog maintenance",
            gbp(sum(t.backlog_total for t in totals))
            + f", of which high risk {gbp(sum(t.backlog['high'] for t in totals))}",
        ),
    ]
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Estates workbook",
            "intro": "Sites and buildings of every partner from the estates return, "
            "by organisation.",
            "facts": facts,
            "tables": [
                {
                    "caption": f"Estate by organisation, {year}",
                    "columns": TOTAL_COLUMNS,
                    "rows": rows,
                    "charts": [charts.unused_space(rows, chart_id="enablers-unused-space")],
                    "numeric": NUMERIC,
                    "download": True,
                }
            ],
        },
    )


def _building_row(b: Building) -> dict[str, object]:
    e = services.engine_building(b)
    return {
        "_url": reverse("enablers:building_edit", args=[b.pk]),
        "code": b.code,
        "name": b.name,
        "site": b.site.name,
        "organisation": b.site.organisation.name,
        "use": b.get_use_display(),
        "tenure": b.get_tenure_display(),
        "floor_area_m2": round(b.floor_area_m2),
        "condition": b.condition,
        "backlog_high": round(b.backlog_high),
        "backlog_total": round(e.backlog_total),
        "running_cost_per_m2": round(b.running_cost_per_m2),
        "utilisation_pct": round(b.utilisation_pct),
        "void_m2": round(b.void_m2),
        "listed": "Yes" if b.listed else "No",
        "shared_with": b.shared_with,
    }


@area_required("programme")
def buildings(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    org = request.GET.get("organisation", "")
    qs = services.buildings(year)
    if org:
        qs = qs.filter(site__organisation__code=org)
    rows = [_building_row(b) for b in qs]
    download = table_download(request, rows, BUILDING_COLUMNS, f"buildings-{year}")
    if download:
        return download
    named = Organisation.objects.filter(sites__isnull=False).distinct()
    orgs = [("", "All organisations"), *named.values_list("code", "name")]
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Buildings",
            "intro": "Every building in the latest estates return. Choose one to correct it.",
            "filters": [("organisation", "Organisation", orgs, org)],
            "tables": [
                {
                    "caption": f"{len(rows):,} buildings",
                    "columns": BUILDING_COLUMNS,
                    "paged": paginate(request, rows),
                    "noun": "buildings",
                    "numeric": NUMERIC,
                    "download": True,
                }
            ],
        },
    )


@area_required("programme", edit=True)
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    b = get_object_or_404(Building.objects.select_related("site"), pk=pk)
    form = BuildingForm(request.POST or None, instance=b)
    return edit_page(
        request,
        form,
        title=f"Edit {b.code} {b.name}",
        back=reverse("enablers:buildings"),
        done=lambda _: reverse("enablers:buildings"),
        caption=f"{b.site.name}, {b.year}",
    )


SITE_COLUMNS = [
    ("code", "Site"),
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("postcode", "Postcode"),
    ("buildings", "Buildings (latest return)"),
]


@area_required("programme")
def sites(request: HttpRequest) -> HttpResponse:
    """Every partner's sites; the programme office adds and corrects them here."""
    year = _year(request)
    counts: dict[int, int] = {}
    latest = Building.objects.filter(year=year) if year is not None else Building.objects.none()
    for site_id in latest.values_list("site_id", flat=True):
        counts[site_id] = counts.get(site_id, 0) + 1
    rows = [
        {
            "_url": reverse("enablers:site_edit", args=[s.pk]),
            "code": s.code,
            "name": s.name,
            "organisation": s.organisation.name,
            "postcode": s.postcode or "–",
            "buildings": counts.get(s.pk, 0),
        }
        for s in Site.objects.select_related("organisation")
    ]
    download = table_download(request, rows, SITE_COLUMNS, "sites")
    if download:
        return download
    actions = (
        [(reverse("enablers:site_new"), "Add a site")] if edits_everything(request.user) else []
    )
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Sites",
            "intro": "Every partner's sites. Choose one to correct it; a new site can also "
            "come with the next estates return.",
            "actions": actions,
            "tables": [
                {
                    "caption": f"{len(rows):,} sites",
                    "columns": SITE_COLUMNS,
                    "rows": rows,
                    "numeric": ["buildings"],
                    "download": True,
                    "empty": "No sites yet: load an estates return or add one.",
                }
            ],
        },
    )


@area_required("programme", edit=True)
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    site = get_object_or_404(Site, pk=pk)
    form = SiteForm(request.POST or None, instance=site)
    return edit_page(
        request,
        form,
        title=f"Edit site {site.code} {site.name}",
        back=reverse("enablers:sites"),
        done=lambda _: reverse("enablers:sites"),
    )


@area_required("programme", edit=True)
def site_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = SiteForm(request.POST or None, instance=Site())
    return edit_page(
        request,
        form,
        title="Add a site",
        back=reverse("enablers:sites"),
        done=lambda _: reverse("enablers:sites"),
    )


SPACE_COLUMNS = [
    ("code", "Building"),
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("floor_area_m2", "Floor area (m²)"),
    ("utilisation_pct", "Utilisation (%)"),
    ("void_m2", "Void (m²)"),
    ("unused_m2", "Unused (m²)"),
    ("shared_with", "Shared with"),
]


@area_required("programme")
def space(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    qs = list(services.buildings(year))
    by_code = {b.code: b for b in qs}
    engine = [services.engine_building(b) for b in qs]
    what = request.GET.get("show", "underused")
    chosen = eng.shared_use(engine) if what == "shared" else eng.underused(engine)
    rows = [
        {
            "code": e.code,
            "name": e.name,
            "organisation": by_code[e.code].site.organisation.name,
            "floor_area_m2": round(e.floor_area_m2),
            "utilisation_pct": round(e.utilisation * 100),
            "void_m2": round(e.void_m2),
            "unused_m2": round(e.unused_m2),
            "shared_with": ", ".join(e.shared_with),
        }
        for e in chosen
    ]
    download = table_download(request, rows, SPACE_COLUMNS, f"space-{what}-{year}")
    if download:
        return download
    caption = (
        f"{len(rows)} buildings used by more than one organisation"
        if what == "shared"
        else f"{len(rows)} buildings with void space or under {eng.UNDERUSED_BELOW:.0%} used"
    )
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Void, under-used and shared space",
            "filters": [
                (
                    "show",
                    "Show",
                    [("underused", "Void and under-used space"), ("shared", "Shared use")],
                    what,
                )
            ],
            "facts": [
                (
                    "Unused space in these buildings",
                    f"{sum(round(e.unused_m2) for e in chosen):,} m²",
                )
            ]
            if rows
            else [],
            "tables": [
                {
                    "caption": caption,
                    "columns": SPACE_COLUMNS,
                    "rows": rows,
                    "numeric": ["floor_area_m2", "utilisation_pct", "void_m2", "unused_m2"],
                    "download": True,
                }
            ],
        },
    )


DISPOSAL_COLUMNS = [
    ("code", "Building"),
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("tenure", "Tenure"),
    ("receipt", "Receipt (GBP)"),
    ("running_cost_saved", "Running cost saved a year (GBP)"),
    ("backlog_avoided", "Backlog avoided (GBP)"),
    ("benefit", "Benefit over five years (GBP)"),
    ("reason", "Why a candidate"),
]


@area_required("programme")
def disposals(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    qs = list(services.buildings(year))
    by_code = {b.code: b for b in qs}
    cands = eng.disposal_candidates([services.engine_building(b) for b in qs])
    rows = [
        {
            "code": c.building.code,
            "name": c.building.name,
            "organisation": by_code[c.building.code].site.organisation.name,
            "tenure": eng.TENURES[c.building.tenure],
            "receipt": round(c.receipt),
            "running_cost_saved": round(c.running_cost_saved),
            "backlog_avoided": round(c.backlog_avoided),
            "benefit": round(c.benefit),
            "reason": c.reason,
        }
        for c in cands
    ]
    download = table_download(request, rows, DISPOSAL_COLUMNS, f"disposals-{year}")
    if download:
        return download
    receipts = sum(c.receipt for c in cands)
    planned, _ = eng.disposals_cover(services.schemes(), receipts)
    facts = [
        ("Receipts from the candidates", gbp(receipts)),
        ("Capital plan counts on disposal receipts of", gbp(planned)),
    ]
    if planned > receipts:
        facts.append(
            (
                "Shortfall",
                gbp(planned - receipts)
                + ": the capital plan counts on receipts no candidate gives",
            )
        )
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Candidate disposals",
            "intro": "Buildings with a receipt estimated in the return, or under-used and not "
            "shared; listed and PFI buildings are left out.",
            "facts": facts,
            "tables": [
                {
                    "caption": f"{len(rows)} candidate disposals",
                    "columns": DISPOSAL_COLUMNS,
                    "rows": rows,
                    "numeric": ["receipt", "running_cost_saved", "backlog_avoided", "benefit"],
                    "download": True,
                }
            ],
        },
    )
