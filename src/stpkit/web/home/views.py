"""The cross-area pages: the home dashboard and the programme dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.programme import RAG_ORDER as ORDER
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.datacache import cached
from stpkit.web.core.tables import table_download
from stpkit.web.home.dashboards import home_figures, programme_dashboard
from stpkit.web.programme.permissions import edits_everything

WORKSTREAM_COLUMNS = [
    ("name", "Workstream"),
    ("type", "Type"),
    ("status", "Status"),
    ("lead", "Lead"),
    ("sro", "Senior responsible officer"),
    ("confidence_label", "Delivery confidence"),
    ("period", "Period"),
    ("milestones", "Milestones"),
    ("slipping", "Slipping"),
    ("escalated", "Escalated risks"),
]


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "home/index.jinja", {"title": "Dashboard", **cached("home", home_figures)}
    )


@area_required("programme")
def programme(request: HttpRequest) -> HttpResponse:
    context = cached("programme-dashboard", programme_dashboard)
    download = table_download(request, context["rows"], WORKSTREAM_COLUMNS, "workstreams")
    if download:
        return download
    context.update(
        title="Programme",
        columns=WORKSTREAM_COLUMNS,
        rag_order=ORDER,
        can_edit_all=edits_everything(request.user),
    )
    return render(request, "home/programme.jinja", context)
