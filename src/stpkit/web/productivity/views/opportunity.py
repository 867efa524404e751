"""The benchmark opportunity (by provider, with overlaps counted once) and one metric's
league table and distribution across providers."""

from __future__ import annotations

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.charts import productivity as charts
from stpkit.productivity import (
    Basis,
    catalogue_targets,
    league_table,
    opportunities,
    provider_totals,
    untargeted_metrics,
)
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.productivity import services
from stpkit.web.productivity.views.common import KM_PROVIDERS, basis_from, rounded

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
LEAGUE_COLUMNS = [
    ("rank", "Rank"),
    ("provider", "Provider"),
    ("peer_group", "Peer group"),
    ("value", "Value"),
    ("denominator", "Denominator"),
]


@area_required("productivity")
def opportunity(request: HttpRequest) -> HttpResponse:
    basis = basis_from(request)
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
    totals = [rounded(t.as_row()) for t in provider_totals(items)]
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
    overlaps = [rounded(o) for o in detail if o["counted"] != "yes"]
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
