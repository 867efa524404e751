"""Productivity area views: thin, calling `services` and the `stpkit.productivity` engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stpkit.productivity import charts
from stpkit.productivity.board_summary import GroupLine, board_summary_docx
from stpkit.productivity.bridge import waterfall
from stpkit.productivity.errors import InputError, InputIssue, ProductivityError
from stpkit.productivity.kent_medway import KM_TRUSTS, PROGRAMME_OPPORTUNITY
from stpkit.productivity.opportunity import (
    Basis,
    catalogue_targets,
    league_table,
    opportunities,
    provider_totals,
    untargeted_metrics,
)
from stpkit.productivity.savings import RISK_FACTORS, monthly_profile, summarise
from stpkit.web.accounts.roles import EDITORS, area_required, has_role
from stpkit.web.core.audit import StaleEditError, audited_save, history_for
from stpkit.web.core.models import ChangeRecord
from stpkit.web.core.tables import table_download
from stpkit.web.productivity import models as m
from stpkit.web.productivity import services
from stpkit.web.productivity.forms import (
    BenchmarkImportForm,
    BridgeImportForm,
    SavingsImportForm,
    SchemeForm,
    WorkingGroupForm,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KM_PROVIDERS = [name for name, _ in KM_TRUSTS]

GROUP_COLUMNS = [
    ("name", "Working group"),
    ("status", "Status"),
    ("target", "Target 2020/21 (GBP)"),
    ("planned", "Planned (GBP)"),
    ("delivered", "Delivered to date (GBP)"),
    ("forecast", "Risk-adjusted forecast (GBP)"),
    ("gap", "Gap to target (GBP)"),
]
MONEY_KEYS = ["target", "planned", "delivered", "forecast", "gap", "planned_to_date"]


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    """Whole pounds and whole staff (the detail download keeps full precision)."""
    return {k: round(v) if isinstance(v, float) else v for k, v in row.items()}


def _can_edit(request: HttpRequest) -> bool:
    return has_role(request.user, EDITORS["productivity"])


def _group_rows() -> list[dict[str, Any]]:
    rows = []
    for group, s in services.group_summaries():
        rows.append(
            {
                "name": group.name,
                "slug": group.slug,
                "status": group.status,
                "target": s.target if s.target is not None else "TBC",
                "planned": s.planned,
                "delivered": s.delivered,
                "forecast": s.forecast,
                "gap": s.gap_to_target if s.gap_to_target is not None else "TBC",
            }
        )
    return rows


@area_required("productivity")
def index(request: HttpRequest) -> HttpResponse:
    rows = _group_rows()
    download = table_download(request, rows, GROUP_COLUMNS, "working-groups")
    if download:
        return download
    schemes = services.engine_schemes()
    total = summarise(schemes, float(PROGRAMME_OPPORTUNITY))
    targets = sum(r["target"] for r in rows if not isinstance(r["target"], str))
    return render(
        request,
        "productivity/index.jinja",
        {
            "title": "Productivity",
            "rows": rows,
            "columns": GROUP_COLUMNS,
            "numeric": MONEY_KEYS,
            "total": total,
            "targets": targets,
            "tbc": [r["name"] for r in rows if isinstance(r["target"], str)],
            "opportunity": PROGRAMME_OPPORTUNITY,
            "as_at": services.latest_actual_month(),
            "can_edit": _can_edit(request),
            "last_import": m.BenchmarkImport.objects.first(),
            "factors": {c.label: f for c, f in RISK_FACTORS.items()},
        },
    )


def _basis(request: HttpRequest) -> Basis:
    try:
        return Basis(request.GET.get("basis", Basis.MEDIAN.value))
    except ValueError:
        return Basis.MEDIAN


OPP_COLUMNS = [
    ("provider", "Provider"),
    ("peer_group", "Peer group"),
    ("cash", "Opportunity (GBP)"),
    ("staff", "Staff (WTE)"),
    ("gross_cash", "Sum if overlaps were added (GBP)"),
    ("overlap_excluded", "Overlap excluded (GBP)"),
]
DETAIL_COLUMNS = [
    ("provider", "Provider"),
    ("metric", "Metric"),
    ("period", "Period"),
    ("value", "Value"),
    ("benchmark", "Benchmark"),
    ("denominator", "Denominator"),
    ("activity", "Activity"),
    ("activity_unit", "Activity unit"),
    ("cash", "Cash (GBP)"),
    ("staff", "Staff (WTE)"),
    ("overlap_group", "Overlap group"),
    ("counted", "Counted in total"),
]


@area_required("productivity")
def opportunity(request: HttpRequest) -> HttpResponse:
    basis = _basis(request)
    scope_all = request.GET.get("scope") == "all"
    data = services.benchmark_set()
    definitions = services.catalogue()
    items = []
    if data is not None:
        providers = None if scope_all else [p for p in KM_PROVIDERS if p in data.peer_group_of]
        items = opportunities(
            data, definitions, basis, providers=providers or None, skip_untargeted=True
        )
    untargeted = (
        [definitions[c].name for c in untargeted_metrics(data, catalogue_targets(definitions))]
        if data is not None and basis is Basis.TARGET
        else []
    )
    totals = [_rounded(t.as_row()) for t in provider_totals(items)]
    detail = []
    for o in items:
        row = o.as_row()
        row["metric"] = definitions[o.metric].name
        row["activity_unit"] = definitions[o.metric].activity_unit
        detail.append(row)
    if request.GET.get("table") == "detail":
        download = table_download(request, detail, DETAIL_COLUMNS, "opportunity-detail")
    else:
        download = table_download(request, totals, OPP_COLUMNS, "opportunity")
    if download:
        return download
    overlaps = [_rounded(o) for o in detail if o["counted"] != "yes"]
    by_metric: dict[str, float] = {}
    for o in items:
        by_metric[o.metric] = by_metric.get(o.metric, 0.0) + o.cash
    metric_rows = [
        {
            "code": code,
            "name": definitions[code].name,
            "cash": cash,
            "working_group": definitions[code].working_group,
        }
        for code, cash in sorted(by_metric.items(), key=lambda kv: -kv[1])
    ]
    return render(
        request,
        "productivity/opportunity.jinja",
        {
            "title": "Benchmark opportunity",
            "basis": basis,
            "bases": list(Basis),
            "untargeted": untargeted,
            "scope_all": scope_all,
            "totals": totals,
            "columns": OPP_COLUMNS,
            "numeric": ["cash", "staff", "gross_cash", "overlap_excluded"],
            "overlaps": overlaps,
            "metric_rows": metric_rows,
            "total_cash": sum(t["cash"] for t in totals),
            "total_gross": sum(t["gross_cash"] for t in totals),
            "total_staff": sum(t["staff"] for t in totals),
            "has_data": data is not None,
            "period": sorted({o.period for o in items}),
        },
    )


LEAGUE_COLUMNS = [
    ("rank", "Rank"),
    ("provider", "Provider"),
    ("peer_group", "Peer group"),
    ("value", "Value"),
    ("denominator", "Denominator"),
]


@area_required("productivity")
def metric(request: HttpRequest, code: str) -> HttpResponse:
    definition = services.catalogue().get(code)
    data = services.benchmark_set()
    if definition is None or data is None or code not in data.metrics:
        raise Http404("No such metric in the current benchmarks")
    groups = sorted(set(data.peer_group_of.values()))
    group = request.GET.get("peer_group")
    group = group if group in groups else None
    league = league_table(data, code, definition.direction, group)
    rows = [
        {
            "rank": r.rank,
            "provider": r.provider,
            "peer_group": data.peer_group_of[r.provider],
            "value": r.value,
            "denominator": r.denominator,
        }
        for r in league
    ]
    download = table_download(request, rows, LEAGUE_COLUMNS, f"league-{code}")
    if download:
        return download
    title = f"{definition.name} ({definition.unit})"
    frame = pd.DataFrame(rows)
    return render(
        request,
        "productivity/metric.jinja",
        {
            "title": definition.name,
            "definition": definition,
            "rows": rows,
            "columns": LEAGUE_COLUMNS,
            "groups": groups,
            "group": group,
            "period": data.period_of(code),
            "league_spec": charts.spec(charts.league_chart(league, title, set(KM_PROVIDERS))),
            "distribution_spec": charts.spec(charts.distribution_chart(frame, title)),
        },
    )


@area_required("productivity", edit=True)
def import_benchmarks(request: HttpRequest) -> HttpResponse:
    form = BenchmarkImportForm(request.POST or None, request.FILES or None)
    issues = []
    if request.method == "POST" and form.is_valid():
        metrics_file = form.cleaned_data["metrics"]
        peers_file = form.cleaned_data.get("peers")
        try:
            record = services.import_benchmarks(
                metrics_file.read(),
                metrics_file.name,
                peers_file.read() if peers_file else None,
                peers_file.name if peers_file else "",
                request.user,
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


def _import_one_file(
    request: HttpRequest,
    form: forms.Form,
    field: str,
    importer: Callable[[bytes, str, Any], int],
    success: str,
    then: str,
) -> HttpResponse | list[InputIssue]:
    """Run a one-file import from a posted form: the redirect to `then` once it has loaded,
    else the issues that refused it (none when nothing was posted). The importer loads all
    or nothing, so a refusal leaves the previous data as it was."""
    if request.method != "POST" or not form.is_valid():
        return []
    upload = form.cleaned_data[field]
    try:
        count = importer(upload.read(), upload.name, request.user)
    except InputError as exc:
        return exc.issues
    messages.success(request, success.format(count=count, name=upload.name))
    return redirect(then)


@area_required("productivity", edit=True)
def import_savings(request: HttpRequest) -> HttpResponse:
    form = SavingsImportForm(request.POST or None, request.FILES or None)
    issues = _import_one_file(
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


SCHEME_COLUMNS = [
    ("name", "Scheme"),
    ("confidence", "Confidence"),
    ("planned", "Planned (GBP)"),
    ("planned_to_date", "Planned to date (GBP)"),
    ("delivered", "Delivered (GBP)"),
    ("forecast", "Risk-adjusted forecast (GBP)"),
]
PROFILE_COLUMNS = [
    ("month", "Month"),
    ("planned", "Planned (GBP)"),
    ("actual", "Actual (GBP)"),
    ("cumulative_planned", "Cumulative planned (GBP)"),
    ("cumulative_actual", "Cumulative actual (GBP)"),
]


@area_required("productivity")
def working_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(m.WorkingGroup, slug=slug)
    schemes = services.engine_schemes(group=group)
    stored = {s.name: s for s in group.schemes.filter(plan_year=services.PLAN_YEAR)}
    rows = [
        {
            "name": s.name,
            "slug": stored[s.name].slug,
            "confidence": s.confidence.label,
            "planned": s.planned_total,
            "planned_to_date": s.planned_to_date(),
            "delivered": s.delivered,
            "forecast": s.forecast(),
        }
        for s in schemes
    ]
    profile = monthly_profile(schemes, services.PLAN_YEAR)
    if request.GET.get("table") == "months":
        download = table_download(request, profile, PROFILE_COLUMNS, f"{slug}-months")
    else:
        download = table_download(request, rows, SCHEME_COLUMNS, f"{slug}-schemes")
    if download:
        return download
    summary = summarise(schemes, services.target_of(group))
    definitions = [d for d in services.catalogue().values() if d.working_group == slug]
    return render(
        request,
        "productivity/working_group.jinja",
        {
            "title": group.name,
            "group": group,
            "summary": summary,
            "rows": rows,
            "columns": SCHEME_COLUMNS,
            "numeric": MONEY_KEYS,
            "profile": [_rounded({**p, "month": p["month"].strftime("%b %Y")}) for p in profile],
            "profile_columns": PROFILE_COLUMNS,
            "chart": charts.spec(
                charts.delivery_chart(
                    profile, f"{group.name}: cumulative savings {services.PLAN_YEAR}"
                )
            ),
            "definitions": definitions,
            "history": _group_history(group),
            "can_edit": _can_edit(request),
            "targets": group.targets.all(),
        },
    )


def _group_history(group: m.WorkingGroup) -> list[ChangeRecord]:
    """Changes to the group and to its schemes, newest first."""
    records = list(history_for(group)[:20])
    for scheme in group.schemes.all():
        records.extend(history_for(scheme)[:20])
    return sorted(records, key=lambda r: (r.at, r.pk), reverse=True)[:20]


def _edit(request: HttpRequest, obj: Any, form_class: Any, back: str, title: str) -> HttpResponse:
    form = form_class(request.POST or None, instance=obj, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            audited_save(
                form.save(commit=False), request.user, expected_version=form.cleaned_data["version"]
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {obj}.")
            return redirect(back)
    return render(
        request, "productivity/edit.jinja", {"title": title, "form": form, "back": back, "obj": obj}
    )


@area_required("productivity", edit=True)
def working_group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Lead, scope, status, focus areas and targets by year; one audited, versioned save."""
    group = get_object_or_404(m.WorkingGroup, slug=slug)
    back = reverse("productivity:working_group", kwargs={"slug": slug})
    initial = {
        "version": group.version,
        "focus_areas": "\n".join(group.focus_areas.values_list("name", flat=True)),
        "targets": services.targets_text(group),
    }
    form = WorkingGroupForm(request.POST or None, instance=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                audited_save(
                    form.save(commit=False),
                    request.user,
                    expected_version=form.cleaned_data["version"],
                )
                services.save_group_details(
                    group,
                    form.cleaned_data["focus_areas"],
                    form.cleaned_data["targets"],
                    request.user,
                )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {group}.")
            return redirect(back)
    return render(
        request,
        "productivity/edit.jinja",
        {"title": f"Edit {group.name}", "form": form, "back": back, "obj": group},
    )


@area_required("productivity", edit=True)
def scheme_edit(request: HttpRequest, slug: str, scheme: str) -> HttpResponse:
    obj = get_object_or_404(
        m.Scheme, working_group__slug=slug, plan_year=services.PLAN_YEAR, slug=scheme
    )
    back = reverse("productivity:working_group", kwargs={"slug": slug})
    return _edit(request, obj, SchemeForm, back, f"Edit {obj.name}")


BRIDGE_COLUMNS = [
    ("label", "Step"),
    ("kind", "Kind"),
    ("display", "GBP millions"),
    ("start", "From"),
    ("end", "To"),
    ("note", "Note"),
]


def _bridge() -> tuple[Any, str]:
    try:
        return waterfall(services.bridge_steps()), ""
    except ProductivityError as exc:
        return None, str(exc)


@area_required("productivity")
def bridge(request: HttpRequest) -> HttpResponse:
    fall, problem = _bridge()
    rows = (
        [
            {
                "label": b.label,
                "kind": b.kind.value,
                "display": b.display,
                "start": b.start,
                "end": b.end,
                "note": b.note,
            }
            for b in fall.bars
        ]
        if fall
        else []
    )
    download = table_download(request, rows, BRIDGE_COLUMNS, "financial-bridge")
    if download:
        return download
    return render(
        request,
        "productivity/bridge.jinja",
        {
            "title": "Financial bridge",
            "fall": fall,
            "problem": problem,
            "rows": rows,
            "columns": BRIDGE_COLUMNS,
            "chart": charts.spec(charts.waterfall_chart(fall)) if fall else None,
            "can_edit": _can_edit(request),
        },
    )


@area_required("productivity", edit=True)
def import_bridge(request: HttpRequest) -> HttpResponse:
    form = BridgeImportForm(request.POST or None, request.FILES or None)
    issues = _import_one_file(
        request,
        form,
        "bridge",
        services.import_bridge,
        "Imported a bridge of {count} steps from {name}.",
        "productivity:bridge",
    )
    if isinstance(issues, HttpResponse):
        return issues
    return render(
        request,
        "productivity/import_bridge.jinja",
        {"title": "Import the financial bridge", "form": form, "issues": issues},
    )


@area_required("productivity")
def board_summary(request: HttpRequest) -> HttpResponse:
    basis = _basis(request)
    data = services.benchmark_set()
    totals = []
    if data is not None:
        providers = [p for p in KM_PROVIDERS if p in data.peer_group_of] or None
        totals = provider_totals(
            opportunities(
                data, services.catalogue(), basis, providers=providers, skip_untargeted=True
            )
        )
    fall, _ = _bridge()
    lines = [GroupLine(g.name, g.lead, g.status, s) for g, s in services.group_summaries()]
    content = board_summary_docx(
        partnership="Kent and Medway",
        plan_year=services.PLAN_YEAR,
        programme_target=float(PROGRAMME_OPPORTUNITY),
        groups=lines,
        providers=totals,
        basis=basis,
        bridge=fall,
        as_at=services.latest_actual_month() or date.today(),
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="productivity-board-summary.docx"'
    return response
