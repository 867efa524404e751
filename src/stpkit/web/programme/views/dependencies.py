"""Dependencies between milestones: add, remove, and the list with slip warnings."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.programme import DependencyError
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.datacache import cached
from stpkit.web.core.tables import table_download
from stpkit.web.programme.forms import DependencyForm
from stpkit.web.programme.models import Dependency, Milestone
from stpkit.web.programme.permissions import require_edit
from stpkit.web.programme.queries import dependency_slips
from stpkit.web.programme.services import add_dependency, remove_dependency
from stpkit.web.programme.tables import paginate, wants_download

DEPENDENCY_COLUMNS = [
    ("successor_workstream", "Workstream"),
    ("successor", "Milestone"),
    ("successor_forecast", "Its forecast"),
    ("predecessor_workstream", "Waits for workstream"),
    ("predecessor", "Waits for milestone"),
    ("predecessor_forecast", "Forecast of what it waits for"),
    ("warning", "Warning"),
]


@area_required("programme", edit=True)
def dependency_new(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("workstream"), pk=pk)
    require_edit(request.user, milestone.workstream)
    form = DependencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_dependency(
                predecessor=form.cleaned_data["predecessor"],
                successor=milestone,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except DependencyError as err:
            form.add_error("predecessor", str(err))
        else:
            messages.success(request, "Dependency added.")
            return redirect("programme:milestone", pk=milestone.pk)
    return render(
        request,
        "programme/form.jinja",
        {
            "title": f"What does “{milestone.title}” wait for?",
            "form": form,
            "back": ("programme:milestone", milestone.pk),
            "caption": milestone.workstream.name,
            "submit": "Add dependency",
        },
    )


@area_required("programme", edit=True)
def dependency_remove(request: HttpRequest, pk: int) -> HttpResponse:
    dependency = get_object_or_404(
        Dependency.objects.select_related("successor__workstream", "predecessor"), pk=pk
    )
    require_edit(request.user, dependency.successor.workstream)
    if request.method == "POST":
        successor = dependency.successor
        remove_dependency(dependency=dependency, user=request.user)
        messages.success(request, "Dependency removed.")
        return redirect("programme:milestone", pk=successor.pk)
    return render(
        request,
        "programme/confirm.jinja",
        {
            "title": "Remove this dependency?",
            "text": str(dependency),
            "button": "Remove dependency",
            "back": ("programme:milestone", dependency.successor_id),
        },
    )


def _late() -> dict[tuple[Hashable, Hashable], int]:
    """Days each dependency's predecessor is forecast after its successor, by (predecessor,
    successor): kept per data version, as the whole programme's slips are read for it."""
    return {(s.predecessor, s.successor): s.days for s in dependency_slips()}


@area_required("programme")
def dependency_list(request: HttpRequest) -> HttpResponse:
    """Every dependency a page at a time (a programme has a thousand), with its warning;
    the downloads give every row."""
    late = cached("programme.dependency_slips", _late)
    deps = Dependency.objects.select_related(
        "predecessor__workstream", "successor__workstream"
    ).order_by("successor__workstream__order", "successor__forecast_date", "pk")
    if wants_download(request):
        download = table_download(request, _rows(deps, late), DEPENDENCY_COLUMNS, "dependencies")
        if download:
            return download
    pages = paginate(request, deps)
    return render(
        request,
        "programme/dependencies.jinja",
        {
            "title": "Dependencies",
            "rows": _rows(pages.items, late),
            "pages": pages,
            "columns": DEPENDENCY_COLUMNS,
            "warning_count": len(late),
        },
    )


def _rows(
    deps: Iterable[Dependency], late: dict[tuple[Hashable, Hashable], int]
) -> list[dict[str, Any]]:
    rows = []
    for d in deps:
        days = late.get((d.predecessor_id, d.successor_id))
        rows.append(
            {
                "successor_workstream": d.successor.workstream.name,
                "successor": d.successor.title,
                "successor_forecast": d.successor.forecast_date,
                "predecessor_workstream": d.predecessor.workstream.name,
                "predecessor": d.predecessor.title,
                "predecessor_forecast": d.predecessor.forecast_date,
                "warning": f"Forecast {days} days too late" if days else "",
                "url": f"/programme/milestones/{d.successor_id}/",
            }
        )
    return rows
