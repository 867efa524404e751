"""The uploads that replace stored data: benchmarks (metrics, optionally peer groups) and
savings plans. Each validates the whole file first and changes nothing when refused."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.productivity import InputError, InputIssue
from stpkit.web.accounts.roles import area_required
from stpkit.web.productivity import models as m
from stpkit.web.productivity import services
from stpkit.web.productivity.forms import BenchmarkImportForm, SavingsImportForm
from stpkit.web.productivity.views.common import import_one_file


@area_required("productivity", edit=True)
def import_benchmarks(request: HttpRequest) -> HttpResponse:
    form = BenchmarkImportForm(request.POST or None, request.FILES or None)
    issues: list[InputIssue] = []
    if request.method == "POST" and form.is_valid():
        metrics_file = form.cleaned_data["metrics"]
        peers_file = form.cleaned_data.get("peers")
        try:
            record = services.import_benchmarks(
                metrics=metrics_file.read(),
                metrics_name=metrics_file.name,
                peers=peers_file.read() if peers_file else None,
                peers_name=peers_file.name if peers_file else "",
                user=request.user,
            )
        except InputError as exc:
            issues = exc.issues
        else:
            messages.success(
                request,
                f"Imported {record.rows} metric values for {record.providers} providers "
                f"from {record.metrics_file}.",
            )
            return redirect("productivity:opportunity")
    return render(
        request,
        "productivity/import.jinja",
        {
            "title": "Import benchmarks",
            "form": form,
            "issues": issues,
            "imports": m.BenchmarkImport.objects.select_related("user")[:10],
            "metrics": m.MetricDefinition.objects.all(),
        },
    )


@area_required("productivity", edit=True)
def import_savings(request: HttpRequest) -> HttpResponse:
    form = SavingsImportForm(request.POST or None, request.FILES or None)
    issues = import_one_file(
        request,
        form,
        "savings",
        services.import_savings,
        "Imported {count} schemes from {name}.",
        "productivity:index",
    )
    if isinstance(issues, HttpResponse):
        return issues
    return render(
        request,
        "productivity/import_savings.jinja",
        {
            "title": "Import savings plans",
            "form": form,
            "issues": issues,
            "plan_year": services.PLAN_YEAR,
            "groups": m.WorkingGroup.objects.all(),
        },
    )
