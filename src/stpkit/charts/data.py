"""Vega-Lite specs (built with Altair) for the data area's population pages.

Every chart on those pages has a table too; `records` turns a frame into its rows.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from stpkit.charts.geo import figures_csv, lookup_figures, polygons
from stpkit.reference import get_reference

NHS_BLUE = "#005eb8"
NHS_COLOURS = [
    "#005eb8",
    "#ed8b00",
    "#009639",
    "#7c2855",
    "#330072",
    "#ffb81c",
    "#00a499",
    "#da291c",
    "#425563",
]


DATA = "table"
SUPPRESSED_GREY = "#d8dde0"  # NHS pale grey: a figure withheld by disclosure control


def _spec(chart: alt.TopLevelMixin, values: list[dict[str, Any]]) -> dict[str, Any]:
    """The chart's Vega-Lite dict with `values` as its data.

    Charts are built over a named placeholder and the values put in afterwards: Altair's
    `to_dict` walks every value recursively, which takes seconds for LSOA boundaries.
    """
    spec: dict[str, Any] = chart.to_dict(validate=False)

    def fill(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("data") == {"name": DATA}:
                node["data"] = {"values": values}
            for child in node.values():
                fill(child)
        elif isinstance(node, list):
            for child in node:
                fill(child)

    fill(spec)
    return spec


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return [
        {str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in clean.to_dict("records")
    ]


def pyramid(frame: pd.DataFrame, order: list[str]) -> dict[str, Any]:
    data = frame.assign(
        signed=[
            (-1 if s == "M" else 1) * (p or 0) for s, p in zip(frame.sex, frame.people, strict=True)
        ]
    )
    chart = (
        alt.Chart(alt.NamedData(DATA))
        .mark_bar()
        .encode(
            y=alt.Y("age_band:O", sort=list(reversed(order)), title="Age band"),
            x=alt.X("signed:Q", title="People (men left, women right)", axis=alt.Axis(format="~s")),
            color=alt.Color(
                "sex:N",
                scale=alt.Scale(domain=["F", "M"], range=["#ed8b00", NHS_BLUE]),
                title="Sex",
            ),
            tooltip=["age_band:O", "sex:N", alt.Tooltip("people:Q", format=",")],
        )
        .properties(width="container", height=360)
    )
    return _spec(chart, records(data))


def bars(
    frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, fmt: str = ","
) -> dict[str, Any]:
    chart = (
        alt.Chart(alt.NamedData(DATA))
        .mark_bar(color=NHS_BLUE)
        .encode(
            y=alt.Y(f"{x}:N", sort=None, title=x_title),
            x=alt.X(f"{y}:Q", title=y_title),
            tooltip=[f"{x}:N", alt.Tooltip(f"{y}:Q", format=fmt)],
        )
        .properties(width="container", height=max(120, 28 * len(frame)))
    )
    return _spec(chart, records(frame))


def lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    colour: str,
    x_title: str,
    y_title: str,
    dash: str | None = None,
) -> dict[str, Any]:
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:O", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format="~s")),
        "color": alt.Color(f"{colour}:N", title=None, scale=alt.Scale(range=NHS_COLOURS)),
        "tooltip": [f"{x}:O", f"{colour}:N", alt.Tooltip(f"{y}:Q", format=",.0f")],
    }
    if dash:
        enc["strokeDash"] = alt.StrokeDash(f"{dash}:N", title=None)
    chart = alt.Chart(alt.NamedData(DATA)).mark_line(point=True).encode(**enc)
    return _spec(chart.properties(width="container", height=320), records(frame))


def funnel(frame: pd.DataFrame) -> dict[str, Any]:
    """Rates against registered population with 95% and 99.8% control limits."""
    data = frame.dropna(subset=["rate_per_1000"]).sort_values("registered")
    recs = records(data)
    base = alt.Chart(alt.NamedData(DATA))
    points = base.mark_circle(size=60).encode(
        x=alt.X("registered:Q", title="Registered people"),
        y=alt.Y("rate_per_1000:Q", title="Emergency admissions per 1,000"),
        color=alt.Color(
            "outlier:N",
            scale=alt.Scale(domain=["", "high", "low"], range=[NHS_BLUE, "#da291c", "#009639"]),
            legend=alt.Legend(title="Beyond 99.8% limits"),
        ),
        tooltip=[
            "practice_code:N",
            alt.Tooltip("registered:Q", format=","),
            "admissions:Q",
            "rate_per_1000:Q",
        ],
    )
    layers = [points]
    for col, dash in (
        ("lower_95", [4, 4]),
        ("upper_95", [4, 4]),
        ("lower_998", [1, 0]),
        ("upper_998", [1, 0]),
    ):
        layers.append(
            base.mark_line(color="#425563", strokeDash=dash, interpolate="step-after").encode(
                x="registered:Q", y=f"{col}:Q"
            )
        )
    layers.append(base.mark_rule(color="#425563").encode(y="overall_rate_per_1000:Q"))
    return _spec(alt.layer(*layers).properties(width="container", height=360), recs)


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def _map(
    frame: pd.DataFrame,
    value: str,
    boundaries_url: str | None,
    numeric: bool,
    layers: list[dict[str, Any]],
) -> dict[str, Any]:
    """An LSOA map of `frame[value]`: the region's polygons (by URL, or inline without one)
    joined to each LSOA's figure (CSV dataset `figures`: `k` the code, `v` the value).

    The spec is a plain dict, not Altair: Altair validates every part against the schema,
    and the polygons, built and serialised on every view, were most of the population page.
    """
    codes = [str(c) for c in frame.lsoa_code]
    data, datasets = polygons(get_reference(), codes, boundaries_url)
    values = [None if pd.isna(v) else v for v in frame[value]]
    datasets["figures"] = figures_csv(["k", "v"], zip(codes, values, strict=True))
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 420,
        "projection": {"type": "mercator"},
        "data": data,
        "transform": lookup_figures("figures", ["k", "v"], ("v",) if numeric else ()),
        "layer": layers,
        "datasets": datasets,
    }


_NAME = {"field": "properties.lsoa_name", "type": "nominal", "title": "LSOA"}
_OUTLINE = {"type": "geoshape", "stroke": "white", "strokeWidth": 0.2}


def lsoa_map(
    frame: pd.DataFrame, value: str, title: str, boundaries_url: str | None = None
) -> dict[str, Any]:
    """A choropleth over the LSOAs in `frame` (generalised boundaries from the reference
    data); an LSOA whose figure is withheld (None) stays on the map in grey."""
    withheld = {"mark": {**_OUTLINE, "fill": SUPPRESSED_GREY}, "encoding": {"tooltip": [_NAME]}}
    shaded = {
        "mark": _OUTLINE,
        "encoding": {
            "color": {
                "field": "v",
                "type": "quantitative",
                "title": title,
                "scale": {"scheme": "blues"},
                "legend": {"format": ",.0f"},
            },
            "tooltip": [
                _NAME,
                {"field": "v", "type": "quantitative", "title": title, "format": ","},
            ],
        },
    }
    return _map(frame, value, boundaries_url, True, [withheld, shaded])


def tiers_map(
    frame: pd.DataFrame, value: str, title: str, boundaries_url: str | None = None
) -> dict[str, Any]:
    """LSOAs coloured by the tier group of the practice most of their people are registered with."""
    group = {"field": "v", "type": "nominal", "title": title}
    layer = {
        "mark": _OUTLINE,
        "encoding": {
            "color": {**group, "scale": {"scheme": "tableau20"}, "legend": None},
            "tooltip": [_NAME, group],
        },
    }
    return _map(frame, value, boundaries_url, False, [layer])
