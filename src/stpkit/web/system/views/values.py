"""Entering a month's trajectory (plan) and actual for a measure."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.system import parse_period
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import StaleEditError
from stpkit.web.system import services
from stpkit.web.system.forms import ValueForm
from stpkit.web.system.models import Measure, MeasureValue


@area_required("programme", edit=True)
def enter(request: HttpRequest, code: str) -> HttpResponse:
    measure = get_object_or_404(Measure, code=code)
    initial = {}
    month = parse_period(request.GET.get("period", ""))
    if month is not None:
        existing = MeasureValue.objects.filter(measure=measure, period=month).first()
        if existing is not None:
            initial = {
                "period": existing.period.strftime("%Y-%m"),
                "planned": existing.planned,
                "actual": existing.actual,
                "version": existing.version,
            }
    form = ValueForm(request.POST or None, initial=initial)
    stale = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_value(
                measure=measure,
                period=data["period"],
                planned=data["planned"],
                actual=data["actual"],
                user=request.user,
                expected_version=data["version"],
            )
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, f"{measure.name}: {data['period']:%B %Y} saved.")
            return redirect("system:measure", code=measure.code)
    return render(
        request,
        "system/form.jinja",
        {
            "title": f"Trajectory and actual: {measure.name}",
            "form": form,
            "stale": stale,
            "back": ("system:measure", measure.code),
            "caption": f"Unit: {measure.unit}",
        },
    )
