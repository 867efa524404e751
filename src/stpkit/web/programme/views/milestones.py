"""Workplans: milestones and the programme timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.charts.programme import gantt
from stpkit.programme import driving_path
from stpkit.web.accounts.roles import area_required
from stpkit.web.core import clock
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.datacache import cached
from stpkit.web.core.tables import table_download
from stpkit.web.programme.forms import MilestoneForm
from stpkit.web.programme.models import Dependency, Milestone, Workstream
from stpkit.web.programme.permissions import can_edit_workstream, require_edit
from stpkit.web.programme.queries import (
    DONE,
    dependency_slips,
    warnings_for,
)
from stpkit.web.programme.services import save_milestone
from stpkit.web.programme.tables import (
    MILESTONE_COLUMNS,
    milestone_rows,
    paginate,
    wants_download,
)


@area_required("programme")
def milestone_list(request: HttpRequest) -> HttpResponse:
    milestones = Milestone.objects.select_related("workstream").order_by(
        "workstream__order", "forecast_date", "id"
    )
    slug = request.GET.get("workstream", "")
    if slug:
        milestones = milestones.filter(workstream__slug=slug)
    slipping_only = request.GET.get("slipping") == "1"
    if slipping_only:
        milestones = milestones.filter(forecast_date__gt=F("baseline_date")).exclude(
            status__in=DONE
        )
    if wants_download(request):  # every row, not one page
        download = table_download(
            request, milestone_rows(milestones), MILESTONE_COLUMNS, "milestones"
        )
        if download:
            return download
    pages = paginate(request, milestones)
    return render(
        request,
        "programme/milestones.jinja",
        {
            "title": "Milestones",
            "rows": milestone_rows(pages.items),
            "pages": pages,
            "columns": MILESTONE_COLUMNS,
            "workstreams": Workstream.objects.all(),
            "selected": slug,
            "slipping_only": slipping_only,
        },
    )


@area_required("programme")
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("workstream"), pk=pk)
    waits_for = milestone.dependencies.select_related("predecessor__workstream")
    needed_by = milestone.dependents.select_related("successor__workstream")
    return render(
        request,
        "programme/milestone.jinja",
        {
            "title": milestone.title,
            "milestone": milestone,
            "waits_for": waits_for,
            "needed_by": needed_by,
            "can_edit": can_edit_workstream(request.user, milestone.workstream),
            "history": history_for(milestone)[:50],
            "done": DONE,
        },
    )


def warn_of_slips(request: HttpRequest, milestone: Milestone) -> None:
    """After a save, say which dependencies of this milestone are now forecast too late."""
    slips = [
        s
        for s in dependency_slips(milestone.workstream)
        if milestone.pk in (s.predecessor, s.successor)
    ]
    for w in warnings_for(slips):
        messages.warning(
            request,
            f"Dependency warning: “{w.successor.title}” ({w.successor.workstream.name}) waits "
            f"for “{w.predecessor.title}” ({w.predecessor.workstream.name}), which is now "
            f"forecast {w.days} days later.",
        )


def _milestone_form(
    request: HttpRequest, workstream: Workstream, milestone: Milestone, title: str
) -> HttpResponse:
    form = MilestoneForm(request.POST or None, instance=milestone, workstream=workstream)
    stale = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_milestone(
                milestone=form.save(commit=False),
                user=request.user,
                expected_version=form.expected_version,
                reason=form.cleaned_data["reason"],
            )
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, f"Milestone “{saved}” saved.")
            warn_of_slips(request, saved)
            return redirect("programme:milestone", pk=saved.pk)
    back = (
        ("programme:milestone", milestone.pk)
        if milestone.pk
        else ("programme:workstream", workstream.slug)
    )
    return render(
        request,
        "programme/form.jinja",
        {"title": title, "form": form, "stale": stale, "back": back, "caption": workstream.name},
    )


@area_required("programme", edit=True)
def milestone_new(request: HttpRequest, slug: str) -> HttpResponse:
    workstream = get_object_or_404(Workstream, slug=slug)
    require_edit(request.user, workstream)
    return _milestone_form(request, workstream, Milestone(workstream=workstream), "Add a milestone")


@area_required("programme", edit=True)
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("workstream"), pk=pk)
    require_edit(request.user, milestone.workstream)
    return _milestone_form(request, milestone.workstream, milestone, f"Edit “{milestone.title}”")


GANTT_WIDTH = 560  # the plot, in pixels: labels and legend sit beside it on a wide page


def _gantt(
    selected: Workstream | None, today: date
) -> tuple[dict[str, Any] | None, list[Milestone], int]:
    """The timeline's Gantt spec, the programme's dependency path and the milestones shown:
    kept per data version by the view (2,000 milestones took most of a second to read and
    draw on every view)."""
    every = list(
        Milestone.objects.select_related("workstream").order_by(
            "workstream__order", "forecast_date", "title"
        )
    )
    edges = list(Dependency.objects.values_list("predecessor_id", "successor_id"))
    by_id = {m.pk: m for m in every}
    path = [by_id[pk] for pk in driving_path(edges, {m.pk: m.forecast_date for m in every})]
    milestones = [m for m in every if selected is None or m.workstream_id == selected.pk]
    if not milestones:
        return None, path, 0
    on_path = [(m.workstream.name, m.title) for m in path]
    spec = gantt(milestones, today=today, path=on_path, width=GANTT_WIDTH)
    return spec, path, len(milestones)


@area_required("programme")
def timeline(request: HttpRequest) -> HttpResponse:
    """The programme's Gantt chart: every milestone labelled, baseline against forecast,
    the dependency path and a line at today (the demo's date in the demo).

    `?workstream=<slug>` draws one workstream's milestones only (a programme of 150
    milestones is too tall to read at once); the dependency path stays the programme's
    (it crosses workstreams), listed whole and outlined where it passes through the
    workstream shown."""
    workstreams = list(Workstream.objects.all())
    slug = request.GET.get("workstream", "")
    selected = None
    if slug:
        selected = next((w for w in workstreams if w.slug == slug), None)
        if selected is None:
            raise Http404(f"No workstream {slug!r}")
    today = clock.today()
    spec, path, count = cached(
        f"programme.timeline:{selected.pk if selected else ''}:{today.isoformat()}",
        lambda: _gantt(selected, today),
    )
    return render(
        request,
        "programme/timeline.jinja",
        {
            "title": f"Programme timeline: {selected.name}" if selected else "Programme timeline",
            "spec": spec,
            "count": count,
            "path": path,
            "today": today,
            "workstreams": workstreams,
            "selected": selected,
        },
    )
