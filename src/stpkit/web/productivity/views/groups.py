"""The programme index (every working group) and one working group: its schemes, monthly
delivery, history and the edit form for its lead, scope, status, focus areas and targets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stpkit.charts import productivity as charts
from stpkit.productivity import RISK_FACTORS, monthly_profile, summarise
from stpkit.productivity import kent_medway as km
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.datacache import cached
from stpkit.web.core.models import ChangeRecord
from stpkit.web.core.tables import table_download
from stpkit.web.productivity import models as m
from stpkit.web.productivity import services
from stpkit.web.productivity.forms import WorkingGroupForm
from stpkit.web.productivity.views.common import MONEY_KEYS, can_edit, rounded

GROUP_COLUMNS = [
    ("name", "Working group"),
    ("status", "Status"),
    ("target", f"Target {services.PLAN_YEAR} (GBP)"),
    ("planned", "Planned (GBP)"),
    ("delivered", "Delivered to date (GBP)"),
    ("forecast", "Risk-adjusted forecast (GBP)"),
    ("gap", "Gap to target (GBP)"),
]
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


def _group_rows(schemes: list[Any] | None = None) -> list[dict[str, Any]]:
    rows = []
    for group, s in services.group_summaries(schemes=schemes):
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


def _index_figures() -> dict[str, Any]:
    """The programme's figures, read once for both the group rows and the total."""
    schemes = services.engine_schemes()
    return {
        "rows": _group_rows(schemes),
        "total": summarise(schemes, float(km.PROGRAMME_OPPORTUNITY)),
        "as_at": services.latest_actual_month(),
        "last_import": m.BenchmarkImport.objects.select_related("user").first(),
    }


@area_required("productivity")
def index(request: HttpRequest) -> HttpResponse:
    figures = cached("productivity-index", _index_figures)
    rows = figures["rows"]
    download = table_download(request, rows, GROUP_COLUMNS, "working-groups")
    if download:
        return download
    total = figures["total"]
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
            "opportunity": km.PROGRAMME_OPPORTUNITY,
            "plan_year": services.PLAN_YEAR,
            "as_at": figures["as_at"],
            "can_edit": can_edit(request),
            "last_import": figures["last_import"],
            "factors": {c.label: f for c, f in RISK_FACTORS.items()},
        },
    )


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
            "profile": [rounded({**p, "month": p["month"].strftime("%b %Y")}) for p in profile],
            "profile_columns": PROFILE_COLUMNS,
            "chart": charts.spec(
                charts.delivery_chart(
                    profile, f"{group.name}: cumulative savings {services.PLAN_YEAR}"
                )
            ),
            "definitions": definitions,
            "history": _group_history(group),
            "can_edit": can_edit(request),
            "targets": group.targets.all(),
        },
    )


def _group_history(group: m.WorkingGroup) -> list[ChangeRecord]:
    """Changes to the group and to its schemes, newest first."""
    records = list(history_for(group)[:20])
    for scheme in group.schemes.all():
        records.extend(history_for(scheme)[:20])
    return sorted(records, key=lambda r: (r.at, r.pk), reverse=True)[:20]


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
            services.save_working_group(
                group=form.save(commit=False),
                focus_areas=form.cleaned_data["focus_areas"],
                targets=form.cleaned_data["targets"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
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
