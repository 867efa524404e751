"""The workforce plan: staff in post, vacancies, turnover, age profile, bank and agency;
agency spend against its cap; the five-year projection and its assumptions."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.charts import enablers as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core import datacache
from stpkit.web.core.tables import table_download
from stpkit.web.enablers import services
from stpkit.web.enablers.forms import AssumptionForm, ServiceChangeForm
from stpkit.web.enablers.models import GroupAssumption, Organisation, ServiceChangeWorkforce
from stpkit.web.enablers.views._common import edit_page, gbp, require_office

SUMMARY_COLUMNS = [
    ("organisation", "Organisation"),
    ("staff_group", "Staff group"),
    ("headcount", "Headcount"),
    ("wte", "Staff in post (WTE)"),
    ("near_retirement_pct", "Within 5 years of retirement (%)"),
    ("vacancies_wte", "Vacancies (WTE)"),
    ("vacancy_pct", "Vacancy rate (%)"),
    ("turnover_pct", "Turnover (%)"),
    ("bank_wte", "Bank (WTE)"),
    ("agency_wte", "Agency (WTE)"),
    ("agency_spend", "Agency spend (GBP)"),
    ("agency_rate", "Agency cost per WTE (GBP)"),
]
NUMERIC = [k for k, _ in SUMMARY_COLUMNS[2:]]


def _no_return(title: str) -> dict[str, object]:
    return {
        "title": title,
        "intro": "No workforce return is loaded yet.",
        "actions": [(reverse("enablers:returns"), "Load a return")],
    }


@area_required("programme")
def workforce(request: HttpRequest) -> HttpResponse:
    year = services.latest_year("workforce")
    names = dict(Organisation.objects.values_list("code", "name"))
    org = request.GET.get("organisation", "*")
    summary = services.workforce_summary(year)
    rows = [
        {
            "organisation": "All organisations"
            if r.organisation == "*"
            else names.get(r.organisation, r.organisation),
            "staff_group": eng.STAFF_GROUPS.get(r.staff_group, r.staff_group),
            "headcount": r.headcount,
            "wte": round(r.wte, 1),
            "near_retirement_pct": round(100 * r.near_retirement_share, 1),
            "vacancies_wte": round(r.vacancies_wte, 1),
            "vacancy_pct": round(100 * r.vacancy_rate, 1),
            "turnover_pct": round(100 * r.turnover_rate, 1),
            "bank_wte": round(r.bank_wte, 1),
            "agency_wte": round(r.agency_wte, 1),
            "agency_spend": round(r.agency_spend),
            "agency_rate": round(r.agency_rate),
        }
        for r in summary
        if org == "all" or r.organisation == org
    ]
    download = table_download(request, rows, SUMMARY_COLUMNS, f"workforce-{year}")
    if download:
        return download
    if year is None:
        return render(request, "enablers/page.jinja", _no_return("Workforce"))
    total = [r for r in summary if r.organisation == "*"]
    wte = sum(r.wte for r in total)
    older = sum(r.wte * r.near_retirement_share for r in total)
    vac = sum(r.vacancies_wte for r in total)
    options = [
        ("*", "All organisations together"),
        ("all", "Every organisation"),
        *((c, names.get(c, c)) for c in sorted({r.organisation for r in summary} - {"*"})),
    ]
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Workforce",
            "intro": "Staff in post from the workforce minimum data set, with vacancies, leavers, "
            "bank and agency from the organisations' returns.",
            "facts": [
                ("Return year", year),
                ("Staff in post", f"{wte:,.0f} WTE ({sum(r.headcount for r in total):,} people)"),
                ("Within five years of retirement", f"{older / wte:.0%}" if wte else "–"),
                ("Vacancies", f"{vac:,.0f} WTE ({vac / (wte + vac):.1%})" if wte else "–"),
                ("Agency spend", gbp(sum(r.agency_spend for r in total))),
            ],
            "filters": [("organisation", "Organisation", options, org)],
            "actions": [
                (reverse("enablers:projection"), "Five-year projection"),
                (reverse("enablers:agency"), "Agency spend against the cap"),
            ],
            "tables": [
                {
                    "caption": f"Workforce by staff group, {year}",
                    "columns": SUMMARY_COLUMNS,
                    "rows": rows,
                    "numeric": NUMERIC,
                    "download": True,
                }
            ],
        },
    )


AGENCY_COLUMNS = [
    ("organisation", "Organisation"),
    ("spend", "Agency spend (GBP)"),
    ("cap", "Agency ceiling (GBP)"),
    ("share_pct", "Spend as % of the ceiling"),
    ("over", "Over the ceiling by (GBP)"),
]


@area_required("programme")
def agency(request: HttpRequest) -> HttpResponse:
    year = services.latest_year("workforce")
    names = dict(Organisation.objects.values_list("code", "name"))
    caps = eng.agency_against_cap(services.measures(year), services.agency_caps(year))
    rows = [
        {
            "organisation": names.get(c.organisation, c.organisation),
            "spend": round(c.spend),
            "cap": round(c.cap),
            "share_pct": round(100 * c.share_of_cap, 1) if c.cap else None,
            "over": round(c.over),
        }
        for c in caps
    ]
    download = table_download(request, rows, AGENCY_COLUMNS, f"agency-{year}")
    if download:
        return download
    over = [c for c in caps if c.over > 0]
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Agency spend against the cap",
            "facts": [
                ("Agency spend", gbp(sum(c.spend for c in caps))),
                ("Ceilings", gbp(sum(c.cap for c in caps))),
                (
                    "Organisations over their ceiling",
                    f"{len(over)}, by {gbp(sum(c.over for c in over))}",
                ),
            ],
            "tables": [
                {
                    "caption": f"Agency spend by organisation, {year}",
                    "columns": AGENCY_COLUMNS,
                    "rows": rows,
                    "numeric": ["spend", "cap", "share_pct", "over"],
                    "download": True,
                }
            ],
        },
    )


PROJECTION_COLUMNS = [
    ("staff_group", "Staff group"),
    ("year", "Year"),
    ("supply", "Supply (WTE, median)"),
    ("supply_low", "Supply, 10th centile"),
    ("supply_high", "Supply, 90th centile"),
    ("demand", "Demand (WTE, median)"),
    ("demand_low", "Demand, 10th centile"),
    ("demand_high", "Demand, 90th centile"),
    ("gap", "Gap (WTE, median)"),
    ("gap_low", "Gap, 10th centile"),
    ("gap_high", "Gap, 90th centile"),
]


def _growth_text(growth: tuple[float, float, float] | None) -> str:
    if growth is None:
        low, mid, high = eng.GroupAssumptions().demand_growth
        return (
            f"{mid:.1%} a year ({low:.1%} to {high:.1%}): the stated default, as the "
            "integrated dataset has no activity projection to take it from"
        )
    low, mid, high = growth
    return (
        f"{mid:.1%} a year ({low:.1%} to {high:.1%}): from the integrated dataset's "
        "activity projection (10th, 50th and 90th centiles, baseline scenario)"
    )


def _fans(rows: list[dict[str, object]], name: str) -> list[charts.Figure]:
    """One fan chart per staff group, in the order of the table; building ten chart specs
    costs about a second, so they are kept (under `name`, which says what the rows are
    computed from) until the data change."""
    return datacache.cached(f"enablers.fans:{name}", lambda: _draw_fans(rows))


def _draw_fans(rows: list[dict[str, object]]) -> list[charts.Figure]:
    groups = list(dict.fromkeys(str(r["staff_group"]) for r in rows))
    return [
        charts.workforce_fan(
            [r for r in rows if r["staff_group"] == g],
            staff_group=g,
            chart_id=f"enablers-projection-{k + 1}",
        )
        for k, g in enumerate(groups)
    ]


@area_required("programme")
def projection(request: HttpRequest) -> HttpResponse:
    year = services.latest_year("workforce")
    proj = services.projection(year)
    rows = [
        {
            "staff_group": eng.STAFF_GROUPS.get(r.staff_group, r.staff_group),
            "year": (year or 0) + r.year,
            "supply": round(r.supply[1]),
            "supply_low": round(r.supply[0]),
            "supply_high": round(r.supply[2]),
            "demand": round(r.demand[1]),
            "demand_low": round(r.demand[0]),
            "demand_high": round(r.demand[2]),
            "gap": round(r.gap[1]),
            "gap_low": round(r.gap[0]),
            "gap_high": round(r.gap[2]),
        }
        for r in proj.rows
    ]
    download = table_download(request, rows, PROJECTION_COLUMNS, f"workforce-projection-{year}")
    if download:
        return download
    end = [r for r in rows if r["year"] == (year or 0) + proj.years]
    assumption_rows = [
        {
            "_url": reverse("enablers:assumption_edit", args=[g]),
            "group": label,
            "set": "Set" if GroupAssumption.objects.filter(staff_group=g).exists() else "Defaults",
        }
        for g, label in eng.STAFF_GROUPS.items()
    ]
    changes = [
        {
            "option": c.option,
            "group": c.get_staff_group_display(),
            "plan_year": c.plan_year,
            "wte": c.wte,
        }
        for c in ServiceChangeWorkforce.objects.all()
    ]
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Workforce projection",
            "intro": "Supply (staff in post, plus training and recruitment, less retirement and "
            "turnover) and demand (staff in post and vacancies grown with activity, plus "
            "service changes) for five years. A positive gap is a shortfall; the range is "
            "the 10th to 90th centile of 2,000 draws of the assumptions.",
            "facts": [
                (
                    "Demand growth (groups without their own assumptions)",
                    _growth_text(services.default_growth()),
                ),
                *(
                    (
                        f"Gap in {r['year']}: {r['staff_group']}",
                        f"{r['gap']:,} WTE (range {r['gap_low']:,} to {r['gap_high']:,})",
                    )
                    for r in end
                ),
            ],
            "actions": [(reverse("enablers:service_change_new"), "Add a service change")],
            "tables": [
                {
                    "caption": "Supply, demand and gap by staff group and year",
                    "columns": PROJECTION_COLUMNS,
                    "rows": rows,
                    "charts": _fans(rows, f"{year}:{services.default_growth()}"),
                    "numeric": [k for k, _ in PROJECTION_COLUMNS[1:]],
                    "download": True,
                    "empty": "No workforce return is loaded yet.",
                },
                {
                    "heading": "Assumptions",
                    "caption": "Assumptions by staff group",
                    "columns": [("group", "Staff group"), ("set", "Assumptions")],
                    "rows": assumption_rows,
                },
                {
                    "heading": "Service changes",
                    "caption": "WTE added or released by service changes",
                    "columns": [
                        ("option", "Option"),
                        ("group", "Staff group"),
                        ("plan_year", "Year of the plan"),
                        ("wte", "WTE"),
                    ],
                    "rows": changes,
                    "numeric": ["plan_year", "wte"],
                },
            ],
        },
    )


@area_required("programme", edit=True)
def assumption_edit(request: HttpRequest, group: str) -> HttpResponse:
    require_office(request.user)
    if group not in eng.STAFF_GROUPS:
        raise Http404("No such staff group")
    obj = GroupAssumption.objects.filter(staff_group=group).first()
    if obj is None:
        d = eng.GroupAssumptions()
        obj = GroupAssumption(staff_group=group)
        for name, r in (
            ("training", d.training_wte),
            ("recruitment", d.recruitment_wte),
            ("retirement", d.retirement_rate),
            ("turnover", d.turnover_rate),
            ("growth", d.demand_growth),
        ):
            for which, v in zip(("low", "central", "high"), r, strict=True):
                setattr(obj, f"{name}_{which}", v)
    form = AssumptionForm(request.POST or None, instance=obj)
    return edit_page(
        request,
        form,
        title=f"Assumptions: {eng.STAFF_GROUPS[group]}",
        back=reverse("enablers:projection"),
        done=lambda _: reverse("enablers:projection"),
    )


@area_required("programme", edit=True)
def service_change_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = ServiceChangeForm(request.POST or None, instance=ServiceChangeWorkforce())
    return edit_page(
        request,
        form,
        title="Add a service change's workforce effect",
        back=reverse("enablers:projection"),
        done=lambda _: reverse("enablers:projection"),
    )
