"""The capital plan: schemes, their funding and stage, against the capital envelope."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.charts import enablers as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.enablers import services
from stpkit.web.enablers.forms import EnvelopeForm, SchemeForm
from stpkit.web.enablers.models import PLAN_YEARS, CapitalEnvelope, CapitalScheme
from stpkit.web.enablers.views._common import edit_page, gbp, require_office

SCHEME_COLUMNS = [
    ("code", "Scheme"),
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("workstream", "Workstream"),
    ("option", "Service change option"),
    ("funding", "Funding"),
    ("stage", "Business case stage"),
    *((f"y{k + 1}", y) for k, y in enumerate(PLAN_YEARS)),
    ("total", "Total (GBP)"),
]
YEAR_COLUMNS = [
    ("year", "Year"),
    ("planned", "Planned (GBP)"),
    ("envelope", "Envelope (GBP)"),
    ("headroom", "Headroom (GBP)"),
    *((f"src_{k}", v.split(" (")[0]) for k, v in eng.FUNDING_SOURCES.items()),
    ("over", "Over the envelope"),
]


@area_required("programme")
def capital(request: HttpRequest) -> HttpResponse:
    schemes = list(CapitalScheme.objects.select_related("organisation", "workstream"))
    rows = [
        {
            "_url": reverse("enablers:scheme_edit", args=[s.pk]),
            "code": s.code,
            "name": s.name,
            "organisation": s.organisation.name if s.organisation else "",
            "workstream": s.workstream.name if s.workstream else "",
            "option": s.option_code,
            "funding": s.get_funding_source_display(),
            "stage": s.get_stage_display(),
            **{f"y{k + 1}": round(v) for k, v in enumerate(s.costs.values())},
            "total": round(sum(s.costs.values())),
        }
        for s in schemes
    ]
    position = eng.plan_against_envelope(services.schemes(), services.envelope())
    years = [
        {
            "year": p.year,
            "planned": round(p.planned),
            "envelope": round(p.envelope),
            "headroom": round(p.headroom),
            **{f"src_{k}": round(p.by_source.get(k, 0.0)) for k in eng.FUNDING_SOURCES},
            "over": "Yes" if p.over else "No",
        }
        for p in position
    ]
    which = request.GET.get("table", "schemes")
    if which == "years":
        download = table_download(request, years, YEAR_COLUMNS, "capital-by-year")
    else:
        download = table_download(request, rows, SCHEME_COLUMNS, "capital-schemes")
    if download:
        return download
    over = [p for p in position if p.over]
    planned = sum(p.planned for p in position)
    env = sum(p.envelope for p in position)
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Capital plan",
            "intro": "Schemes, what they serve and how they are funded, against the capital "
            "envelope. A scheme linked to a service change option gives that option its "
            "capital.",
            "facts": [
                ("Planned over five years", gbp(planned)),
                ("Envelope over five years", gbp(env)),
                (
                    "Years over the envelope",
                    ", ".join(f"{p.year} by {gbp(-p.headroom)}" for p in over) or "None",
                ),
            ],
            "actions": [
                (reverse("enablers:scheme_new"), "Add a scheme"),
                *(
                    (reverse("enablers:envelope_edit", args=[y.replace("/", "-")]), f"Envelope {y}")
                    for y in PLAN_YEARS
                ),
            ],
            "tables": [
                {
                    "heading": "By year",
                    "caption": "Planned capital against the envelope",
                    "note": "Download: ?table=years&format=csv",
                    "columns": YEAR_COLUMNS,
                    "rows": years,
                    "charts": [
                        charts.capital_against_envelope(
                            years,
                            {k: v.split(" (")[0] for k, v in eng.FUNDING_SOURCES.items()},
                            chart_id="enablers-capital",
                        )
                    ],
                    "numeric": [k for k, _ in YEAR_COLUMNS[1:-1]],
                },
                {
                    "heading": "Schemes",
                    "caption": f"{len(rows)} capital schemes",
                    "columns": SCHEME_COLUMNS,
                    "rows": rows,
                    "download": True,
                    "numeric": [k for k, _ in SCHEME_COLUMNS[7:]],
                },
            ],
        },
    )


@area_required("programme", edit=True)
def scheme_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = SchemeForm(request.POST or None, instance=CapitalScheme())
    return edit_page(
        request,
        form,
        title="Add a capital scheme",
        back=reverse("enablers:capital"),
        done=lambda _: reverse("enablers:capital"),
    )


@area_required("programme", edit=True)
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    scheme = get_object_or_404(CapitalScheme, pk=pk)
    form = SchemeForm(request.POST or None, instance=scheme)
    return edit_page(
        request,
        form,
        title=f"Edit {scheme}",
        back=reverse("enablers:capital"),
        done=lambda _: reverse("enablers:capital"),
    )


@area_required("programme", edit=True)
def envelope_edit(request: HttpRequest, year: str) -> HttpResponse:
    require_office(request.user)
    plan_year = year.replace("-", "/")
    if plan_year not in PLAN_YEARS:
        raise Http404("No such year of the plan")
    obj = CapitalEnvelope.objects.filter(year=plan_year).first() or CapitalEnvelope(
        year=plan_year, amount=0
    )
    form = EnvelopeForm(request.POST or None, instance=obj)
    form.fields["year"].disabled = True
    return edit_page(
        request,
        form,
        title=f"Capital envelope {plan_year}",
        back=reverse("enablers:capital"),
        done=lambda _: reverse("enablers:capital"),
    )
