"""Programme workstreams: detail (objectives, milestones, risks, timeline), add, edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.charts.programme import workstream_timeline
from stpkit.programme import heat_map, review_overdue
from stpkit.web.accounts.roles import area_required
from stpkit.web.core import clock
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.tables import table_download
from stpkit.web.programme.forms import NewWorkstreamForm, WorkstreamForm
from stpkit.web.programme.models import RiskPolicy, Workstream
from stpkit.web.programme.permissions import can_edit_workstream, edits_everything, require_edit
from stpkit.web.programme.queries import dependency_warnings
from stpkit.web.programme.services import save_workstream
from stpkit.web.programme.tables import (
    MILESTONE_COLUMNS,
    RISK_PAGE_COLUMNS,
    milestone_rows,
    risk_rows,
)

OBJECTIVE_COLUMNS = [("workstream", "Workstream"), ("text", "Objective"), ("gap", "Gap it closes")]


@area_required("programme")
def workstream_detail(request: HttpRequest, slug: str) -> HttpResponse:
    workstream = get_object_or_404(Workstream.objects.select_related("lead"), slug=slug)
    objectives = list(workstream.objectives.all())
    download = table_download(
        request,
        [
            {"workstream": workstream.name, "text": o.text, "gap": o.get_gap_display()}
            for o in objectives
        ],
        OBJECTIVE_COLUMNS,
        f"{workstream.slug}-objectives",
    )
    if download:
        return download
    milestones = list(workstream.milestones.select_related("workstream"))
    policy = RiskPolicy.current()
    risks = list(workstream.risks.select_related("workstream"))
    context: dict[str, Any] = {
        "title": workstream.name,
        "workstream": workstream,
        "objectives": objectives,
        "milestones": milestone_rows(milestones),
        "milestone_columns": MILESTONE_COLUMNS,
        "risks": risk_rows(risks, policy),
        "overdue_reviews": sum(
            review_overdue(r.review_date, r.status, clock.today()) for r in risks
        ),
        "risk_columns": RISK_PAGE_COLUMNS,
        "heat": heat_map(
            ((r.likelihood, r.consequence) for r in risks if r.status == "open"), policy.bands
        ),
        "policy": policy,
        "timeline": workstream_timeline(milestones) if milestones else None,
        "warnings": dependency_warnings(workstream),
        "can_edit": can_edit_workstream(request.user, workstream),
        "can_edit_all": edits_everything(request.user),
        "history": history_for(workstream)[:50],
    }
    return render(request, "programme/workstream.jinja", context)


@area_required("programme", edit=True)
def workstream_edit(request: HttpRequest, slug: str) -> HttpResponse:
    workstream = get_object_or_404(Workstream, slug=slug)
    require_edit(request.user, workstream)
    form = WorkstreamForm(request.POST or None, instance=workstream)
    if not edits_everything(request.user):
        form.fields["lead"].disabled = True  # a lead cannot hand their workstream away
    stale = ""
    if request.method == "POST" and form.is_valid():
        try:
            save_workstream(
                workstream=form.save(commit=False),
                user=request.user,
                expected_version=form.expected_version,
            )
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, f"{workstream.name} saved.")
            return redirect("programme:workstream", slug=workstream.slug)
    return render(
        request,
        "programme/form.jinja",
        {
            "title": f"Edit {workstream.name}",
            "form": form,
            "stale": stale,
            "back": ("programme:workstream", workstream.slug),
            "caption": workstream.name,
        },
    )


@area_required("programme", edit=True)
def workstream_new(request: HttpRequest) -> HttpResponse:
    if not edits_everything(request.user):
        raise PermissionDenied("Only the programme office adds workstreams.")
    last = Workstream.objects.order_by("-order").values_list("order", flat=True).first()
    form = NewWorkstreamForm(request.POST or None, instance=Workstream(order=(last or 0) + 1))
    if request.method == "POST" and form.is_valid():
        workstream = save_workstream(workstream=form.save(commit=False), user=request.user)
        messages.success(request, f"{workstream} added.")
        return redirect("programme:workstream", slug=form.instance.slug)
    return render(
        request,
        "programme/form.jinja",
        {
            "title": "Add a workstream",
            "form": form,
            "back": ("programme:index",),
            "caption": "Programme",
        },
    )
