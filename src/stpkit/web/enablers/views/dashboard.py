"""The enabling workstreams at a glance, and the requests that are late or unanswered."""

from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.enablers import services
from stpkit.web.enablers.models import (
    Building,
    Initiative,
    StaffMeasure,
    StaffRecord,
    WorkstreamRequest,
)
from stpkit.web.enablers.views._common import gbp
from stpkit.web.enablers.views.requests import COLUMNS, request_rows


@area_required("programme")
def index(request: HttpRequest) -> HttpResponse:
    reqs = list(WorkstreamRequest.objects.select_related("from_workstream", "to_workstream"))
    flagged = [r for r in request_rows(reqs) if r["flag"]]
    download = table_download(request, flagged, COLUMNS, "requests-late-or-unanswered")
    if download:
        return download
    facts: list[tuple[str, object]] = []
    est_year = services.latest_year("estates")
    if est_year is not None:
        b = Building.objects.filter(year=est_year).aggregate(
            area=Sum("floor_area_m2"),
            high=Sum("backlog_high"),
            receipts=Sum("disposal_receipt"),
        )
        facts += [
            (
                f"Estate ({est_year})",
                f"{Building.objects.filter(year=est_year).count():,} "
                f"buildings, {b['area'] or 0:,.0f} m²",
            ),
            ("High-risk backlog", gbp(b["high"] or 0)),
        ]
    wf_year = services.latest_year("workforce")
    if wf_year is not None:
        wte = StaffRecord.objects.filter(year=wf_year).aggregate(w=Sum("wte"))["w"] or 0
        m = StaffMeasure.objects.filter(year=wf_year).aggregate(
            v=Sum("vacancies_wte"), a=Sum("agency_spend")
        )
        facts += [
            (f"Workforce ({wf_year})", f"{wte:,.0f} WTE in post, {m['v'] or 0:,.0f} WTE vacant"),
            ("Agency spend", gbp(m["a"] or 0)),
        ]
    position = eng.plan_against_envelope(services.schemes(), services.envelope())
    if position:
        over = [p.year for p in position if p.over]
        facts.append(
            (
                "Capital plan",
                f"{gbp(sum(p.planned for p in position))} planned "
                f"against {gbp(sum(p.envelope for p in position))}; "
                + (f"over the envelope in {', '.join(over)}" if over else "within it"),
            )
        )
    facts.append(("Initiatives", f"{Initiative.objects.count()} competing for resources"))
    facts.append(("Requests late or unanswered", len(flagged)))
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Enabling workstreams",
            "intro": "Estates, workforce and capital, the portfolio the resources allow, and what "
            "the transformation workstreams have asked of the enabling ones.",
            "facts": facts,
            "actions": [
                (reverse("enablers:requests"), "All requests"),
                (reverse("enablers:portfolio"), "The portfolio"),
            ],
            "tables": [
                {
                    "heading": "Requests late or unanswered",
                    "caption": "Requests late or unanswered",
                    "columns": COLUMNS,
                    "rows": flagged,
                    "download": True,
                    "empty": "None: every request is answered and on time.",
                }
            ],
        },
    )
