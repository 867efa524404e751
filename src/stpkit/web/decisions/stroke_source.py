"""The stroke model (`stpkit.stroke`) as an option generator and evidence source.

The model evaluates every configuration of HASU sites on real travel times, volumes and
outcomes; here its long list becomes appraisal options (metrics kept on each option, so
computed hurdles and the packs use the model's own figures) and its default hurdle rules
become the programme's computed hurdle criteria. One model per region is built per process
(the geography is cached on disk by the stroke engine).
"""

from __future__ import annotations

from functools import lru_cache

from stpkit.appraisal import MetricBound
from stpkit.appraisal import Option as AppraisalOption
from stpkit.reference import get_reference
from stpkit.stroke import (
    DEFAULT_HURDLES,
    METRIC_DESCRIPTIONS,
    TODAY,
    StrokeModel,
    load_geography,
    long_list,
    to_option,
)


@lru_cache(maxsize=4)
def model_for(region: str) -> StrokeModel:
    return StrokeModel(load_geography(get_reference(), region))


def long_list_options(region: str, sizes: range) -> list[AppraisalOption]:
    """Every configuration with a HASU count in `sizes`, then today as business as usual."""
    model = model_for(region)
    options = [to_option(model, r, "model") for r in long_list(model, sizes)]
    return [*options, today_option(region)]


# Today's figures that make the case for change (volumes, access, time to treatment, outcomes).
CASE_FOR_CHANGE_METRICS = (
    "min_unit_volume",
    "max_unit_volume",
    "share_within_30",
    "share_within_60",
    "mean_onset_to_needle",
    "share_mrs_0_2",
)
SOURCE = "Stroke model (stpkit.stroke), today's configuration"


def today_option(region: str) -> AppraisalOption:
    """Today's configuration evaluated by the model, as business as usual."""
    model = model_for(region)
    return to_option(model, model.today, "business as usual")


def hurdle_bounds() -> list[MetricBound]:
    """The stroke model's default hurdles that bound one metric (volumes, access)."""
    return [h for h in DEFAULT_HURDLES if isinstance(h, MetricBound)]


def metric_description(metric: str) -> str:
    return METRIC_DESCRIPTIONS.get(metric, metric)


def descriptions() -> dict[str, str]:
    return dict(METRIC_DESCRIPTIONS)


__all__ = [
    "CASE_FOR_CHANGE_METRICS",
    "SOURCE",
    "TODAY",
    "descriptions",
    "hurdle_bounds",
    "long_list_options",
    "metric_description",
    "model_for",
    "today_option",
]
