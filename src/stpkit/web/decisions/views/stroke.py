"""The stroke model under Decisions: pick HASU sites, see figures and maps, compare two.

Thin views over `stpkit.stroke`: the Kent and Medway model (geography from the cache,
outcomes precomputed) is built once per process and every request only evaluates the
configurations picked, which takes milliseconds.
"""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.reference import get_reference
from stpkit.stroke import (
    METRIC_DESCRIPTIONS,
    ConfigResult,
    StrokeModel,
    access_statement,
    load_geography,
    map_spec,
    mt_without_hasu,
)
from stpkit.stroke.business_case import BUSINESS_CASE_METRICS, BusinessCaseModel
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.maps import boundaries_url
from stpkit.web.core.tables import table_download

REGION = "Kent and Medway"
_model: StrokeModel | None = None
_lock = threading.Lock()

SHOWN = [
    "mean_minutes",
    "median_minutes",
    "p90_minutes",
    "p95_minutes",
    "max_minutes",
    "share_within_30",
    "share_within_45",
    "share_within_60",
    "share_within_90",
    "min_unit_volume",
    "max_unit_volume",
    "inflow_admissions",
    "residents_to_outside_units",
    "mean_onset_to_needle",
    "mean_onset_to_puncture",
    "share_mrs_0_2",
    "mean_utility",
    "added_good_outcomes",
    "mean_change_minutes",
    "max_increase_minutes",
    "admissions_over_15_min_longer",
]


MT_ROW = "candidate sites that provide thrombectomy (no transfer needed)"
ACCESS_ROW = "95% reach a unit within 45 minutes?"
# business-case figures shown under the model's (illustrative cost table: see docs/stroke.md)
BUSINESS_SHOWN = [
    "capital_gbp",
    "revenue_gbp_a_year",
    "revenue_change_gbp_a_year",
    "net_present_cost_gbp",
    "hasu_beds",
    "max_probability_no_bed",
    "consultants_wte",
    "nurses_wte",
    "most_deprived_change_minutes",
    "aged_60_plus_change_minutes",
    "visitor_hours_change",
]
_business: BusinessCaseModel | None = None


def business_model(model: StrokeModel) -> BusinessCaseModel:
    """Beds, staff, cost and equality assumptions with the region's IMD figures, once."""
    global _business
    with _lock:
        if _business is None or _business.model is not model:
            _business = BusinessCaseModel(model)
        return _business


def stroke_model() -> StrokeModel:
    global _model
    with _lock:
        if _model is None:
            _model = StrokeModel(load_geography(get_reference(), REGION))
        return _model


def _picked(model: StrokeModel, request: HttpRequest, key: str) -> tuple[str, ...]:
    """The candidate sites ticked under `key` (by short code), as names in the candidates'
    order: the one form a site list keeps from the page to the model and the map."""
    ticked = set(request.GET.getlist(key))
    return tuple(u.name for u in model.geo.candidates if u.short_code in ticked)


def _fmt(metric: str, v: float) -> str:
    if metric.startswith("share_"):
        return f"{v:.1%}"
    if metric == "mean_utility":
        return f"{v:.4f}"
    if metric == "added_good_outcomes":
        return f"{v:+.1f}"
    if metric.endswith("_gbp") or metric.endswith("_gbp_a_year"):
        return f"{'-' if v < 0 else ''}£{abs(v) / 1e6:,.1f}m"
    if metric == "max_probability_no_bed":
        return f"{v:.1%}"
    return f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}"


def _whole(admissions: float | None) -> int | None:
    """Admissions a year are expected counts from the model; people read whole numbers."""
    return None if admissions is None else round(admissions)


@area_required("decisions")
def stroke(request: HttpRequest) -> HttpResponse:
    model = stroke_model()
    sites = model.geo.candidates
    code = {u.name: u.short_code for u in sites}
    picked = {key: _picked(model, request, key) for key in ("a", "b", "a_mt", "b_mt")}
    chosen: list[ConfigResult] = [model.today]
    errors: list[dict[str, str]] = []
    if "a" in request.GET and not picked["a"]:
        errors.append({"href": "#a-sites", "text": "Pick at least one site for configuration A."})
    for label in ("A", "B"):
        key = label.lower()
        hasus, mt = picked[key], picked[f"{key}_mt"]
        not_hasu = mt_without_hasu(hasus, mt)  # the stroke engine's role rule
        if not_hasu:
            errors.append(
                {
                    "href": f"#{key}-mt-sites",
                    "text": f"Thrombectomy needs a HASU on the same site: in configuration "
                    f"{label}, tick {', '.join(f'{n} ({code[n]})' for n in not_hasu)} "
                    "as a HASU site too, or untick thrombectomy there.",
                }
            )
            continue
        if hasus:
            name = f"{label}: " + "+".join(code[n] for n in hasus)
            if mt:
                name += " (MT: " + "+".join(code[n] for n in mt) + ")"
            chosen.append(model.evaluate(model.configuration(name, hasus, mt)))
    mt_row: dict[str, Any] = {
        "metric": MT_ROW,
        **{
            r.config.name: ", ".join(code[n] for n in r.thrombectomy_sites) or "none"
            for r in chosen
        },
    }
    access_row: dict[str, Any] = {
        "metric": ACCESS_ROW,
        **{r.config.name: access_statement(r.metrics) for r in chosen},
    }
    business = business_model(model)
    figures = {r.config.name: {**r.metrics, **business.case(r).metrics()} for r in chosen}
    described = {**METRIC_DESCRIPTIONS, **BUSINESS_CASE_METRICS}
    rows: list[dict[str, Any]] = [
        mt_row,
        access_row,
        *(
            {
                "metric": described[m],
                **{name: round(f[m], 4) for name, f in figures.items()},
            }
            for m in [*SHOWN, *BUSINESS_SHOWN]
        ),
    ]
    columns = [("metric", "Measure"), *((r.config.name, r.config.name) for r in chosen)]
    download = table_download(request, rows, columns, "stroke-configurations")
    if download is not None:
        return download
    shown_rows: list[dict[str, Any]] = [
        mt_row,
        access_row,
        *(
            {
                "metric": described[m],
                **{name: _fmt(m, f[m]) for name, f in figures.items()},
            }
            for m in [*SHOWN, *BUSINESS_SHOWN]
        ),
    ]
    volumes = [
        {"unit": s.name, **{r.config.name: _whole(r.volumes.get(s.name)) for r in chosen}}
        for s in sites
    ]
    maps: list[dict[str, Any]] = []
    ref = get_reference()
    polygons = boundaries_url(REGION)
    # one row per kind of map, configurations side by side
    for kind, what in (
        ("time", "travel time to the first unit"),
        ("change", "change in travel time against today"),
        ("catchment", "catchments"),
    ):
        for r in chosen[1:]:
            maps.append(
                {
                    "id": f"map-{r.config.name[0].lower()}-{kind}",
                    "spec": map_spec(ref, r, kind, width=300, boundaries_url=polygons),
                    "description": f"Map of Kent and Medway LSOAs: {r.config.name}, {what}.",
                }
            )
    if len(chosen) == 1:
        maps.append(
            {
                "id": "map-today-time",
                "spec": map_spec(ref, model.today, "time", width=300, boundaries_url=polygons),
                "description": "Map of Kent and Medway LSOAs: travel time to the nearest unit",
            }
        )
    estimated = [s.name for s, e in zip(sites, model.geo.cand_estimated, strict=True) if e]
    return render(
        request,
        "decisions/stroke/configure.jinja",
        {
            "title": "Stroke service configurations",
            "sites": sites,
            "picked": {key: {code[n] for n in names} for key, names in picked.items()},
            "rows": shown_rows,
            "columns": columns,
            "volume_columns": [("unit", "Unit"), *((r.config.name, r.config.name) for r in chosen)],
            "volumes": volumes,
            "maps": maps,
            "errors": errors,
            "estimated": estimated,
            "model_error": float(model.geo.model_errors.mae_minutes.mean())
            if len(model.geo.model_errors)
            else None,
            "pathway": model.pathway.as_dict(),
        },
    )
