"""A workstream's objectives: add, change, remove."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.programme.forms import ObjectiveForm
from stpkit.web.programme.models import Objective, Workstream
from stpkit.web.programme.permissions import require_edit
from stpkit.web.programme.services import remove_objective, save_objective


@area_required("programme", edit=True)
def objective_new(request: HttpRequest, slug: str) -> HttpResponse:
    workstream = get_object_or_404(Workstream, slug=slug)
    require_edit(request.user, workstream)
    return _objective_form(
        request, Objective(workstream=workstream), f"Add an objective to {workstream.name}"
    )


@area_required("programme", edit=True)
def objective_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    objective = get_object_or_404(
        Objective.objects.select_related("workstream"), pk=pk, workstream__slug=slug
    )
    require_edit(request.user, objective.workstream)
    return _objective_form(request, objective, "Change an objective")


def _objective_form(request: HttpRequest, objective: Objective, title: str) -> HttpResponse:
    workstream = objective.workstream
    form = ObjectiveForm(request.POST or None, instance=objective)
    stale = ""
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        if candidate.pk is None:
            candidate.order = workstream.objectives.count() + 1
        try:
            save_objective(
                objective=candidate, user=request.user, expected_version=form.expected_version
            )
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, "Objective saved.")
            return redirect("programme:workstream", slug=workstream.slug)
    return render(
        request,
        "programme/form.jinja",
        {
            "title": title,
            "form": form,
            "stale": stale,
            "back": ("programme:workstream", workstream.slug),
            "caption": workstream.name,
            "history": history_for(objective)[:20] if objective.pk else None,
        },
    )


@area_required("programme", edit=True)
def objective_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    objective = get_object_or_404(
        Objective.objects.select_related("workstream"), pk=pk, workstream__slug=slug
    )
    require_edit(request.user, objective.workstream)
    if request.method == "POST":
        remove_objective(objective=objective, user=request.user)
        messages.success(request, "Objective removed.")
        return redirect("programme:workstream", slug=slug)
    return render(
        request,
        "programme/confirm.jinja",
        {
            "title": "Remove this objective?",
            "text": f"{objective.text} ({objective.get_gap_display()})",
            "button": "Remove objective",
            "back": ("programme:workstream", slug),
        },
    )
