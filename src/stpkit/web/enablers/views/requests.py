"""Requests between workstreams: raised by a transformation workstream, answered by the
enabling one; late and unanswered ones flagged."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stpkit.web.accounts.roles import area_required
from stpkit.web.core import clock
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.tables import table_download
from stpkit.web.enablers import services
from stpkit.web.enablers.forms import AnswerForm, RequestForm
from stpkit.web.enablers.models import WorkstreamRequest
from stpkit.web.enablers.views._common import edit_page
from stpkit.web.programme.models import Workstream
from stpkit.web.programme.permissions import can_edit_workstream, editable_workstreams

COLUMNS = [
    ("title", "Request"),
    ("from", "From"),
    ("to", "To"),
    ("needed_by", "Needed by"),
    ("status", "Status"),
    ("flag", "Flag"),
    ("response", "Answer"),
]
FLAGS = {"late": "Late", "unanswered": "Unanswered", "": ""}


def request_rows(reqs: list[WorkstreamRequest]) -> list[dict[str, object]]:
    today = clock.today()
    return [
        {
            "_url": reverse("enablers:request", args=[r.pk]),
            "title": r.title,
            "from": r.from_workstream.name,
            "to": r.to_workstream.name,
            "needed_by": r.needed_by,
            "status": r.get_status_display(),
            "flag": FLAGS[services.request_flag(r, today)],
            "response": r.response,
        }
        for r in reqs
    ]


@area_required("programme")
def request_list(request: HttpRequest) -> HttpResponse:
    reqs = list(WorkstreamRequest.objects.select_related("from_workstream", "to_workstream"))
    show = request.GET.get("show", "all")
    rows = request_rows(reqs)
    if show == "flagged":
        rows = [r for r in rows if r["flag"]]
    download = table_download(request, rows, COLUMNS, "workstream-requests")
    if download:
        return download
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Requests between workstreams",
            "intro": "What the transformation workstreams need from the enabling ones and by "
            "when. Late: the date has passed and it is not delivered or declined. "
            "Unanswered: no answer after two weeks, or none with the date under two "
            "weeks away.",
            "facts": [
                ("Late", sum(r["flag"] == "Late" for r in rows)),
                ("Unanswered", sum(r["flag"] == "Unanswered" for r in rows)),
            ],
            "filters": [
                ("show", "Show", [("all", "All requests"), ("flagged", "Late or unanswered")], show)
            ],
            "actions": [(reverse("enablers:request_new"), "Raise a request")],
            "tables": [
                {
                    "caption": f"{len(rows)} requests",
                    "columns": COLUMNS,
                    "rows": rows,
                    "download": True,
                    "empty": "No requests.",
                }
            ],
        },
    )


@area_required("programme", edit=True)
def request_new(request: HttpRequest) -> HttpResponse:
    allowed = editable_workstreams(request.user)
    mine = Workstream.objects.filter(pk__in=[w.pk for w in allowed]).exclude(
        kind=Workstream.Kind.ENABLING
    )
    form = RequestForm(request.POST or None, instance=WorkstreamRequest(), from_choices=mine)
    return edit_page(
        request,
        form,
        title="Raise a request of an enabling workstream",
        back=reverse("enablers:requests"),
        done=lambda o: reverse("enablers:request", args=[o.pk]),
        intro=None
        if mine.exists()
        else "You lead no transformation workstream, so you "
        "cannot raise a request. Ask the programme office.",
    )


@area_required("programme")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(
        WorkstreamRequest.objects.select_related("from_workstream", "to_workstream"), pk=pk
    )
    can_answer = can_edit_workstream(request.user, req.to_workstream)
    form = AnswerForm(
        request.POST or None,
        initial={
            "version": req.version,
            "status": req.status if req.status != "open" else "accepted",
            "response": req.response,
        },
    )
    stale = ""
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied(
                "Only the enabling workstream's lead or the programme "
                "office can answer this request."
            )
        if form.is_valid():
            try:
                services.answer_request(
                    req=req,
                    status=form.cleaned_data["status"],
                    response=form.cleaned_data["response"],
                    user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
            except StaleEditError as err:
                stale = str(err)
            else:
                messages.success(request, f"Answer to “{req.title}” saved.")
                return redirect("enablers:request", pk=req.pk)
    flag = services.request_flag(req, clock.today())
    return render(
        request,
        "enablers/form.jinja",
        {
            "title": req.title,
            "caption": "Request between workstreams",
            "facts": [
                ("From", req.from_workstream.name),
                ("To", req.to_workstream.name),
                ("Needed by", req.needed_by.strftime("%d %b %Y")),
                (
                    "Status",
                    req.get_status_display() + (f" ({FLAGS[flag].lower()})" if flag else ""),
                ),
                ("What is needed", req.detail or "–"),
                ("Answer", req.response or "–"),
            ],
            "form": form,
            "stale": stale,
            "form_visible": can_answer,
            "submit": "Answer",
            "back": reverse("enablers:requests"),
            "history": history_for(req)[:20],
        },
    )
