"""Offline LSOA maps of a configuration as Vega-Lite specs (Altair), and PNG/SVG files.

Boundaries come from the reference data (generalised LSOA polygons), so no tile server is
needed. Three maps: travel time to the first unit, change against today, and catchments
(which unit each LSOA's patients go to), each with the HASUs marked and the sites that
also provide thrombectomy marked apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import vl_convert as vlc

from stpkit.charts.geo import lookup_figures, polygons
from stpkit.charts.render import png as render_png
from stpkit.reference import Reference
from stpkit.stroke.model import ConfigResult

MAP_KINDS = ("time", "change", "catchment")


SITE_ROLES = ("HASU", "HASU with thrombectomy")  # how a configuration's sites are marked
SITE_SHAPES = ("diamond", "triangle-up")


def site_frame(result: ConfigResult) -> pd.DataFrame:
    """One row per HASU site of the configuration: where it is, its admissions, and its
    role (thrombectomy sites are marked apart: today, those that provide it now)."""
    by_name = {u.name: u for u in result.geo.candidates}
    mt = set(result.thrombectomy_sites)
    return pd.DataFrame(
        [
            {
                "name": name,
                "short_code": by_name[name].short_code,
                "role": SITE_ROLES[name in mt],
                "latitude": by_name[name].latitude,
                "longitude": by_name[name].longitude,
                "admissions": round(result.volumes.get(name, 0.0)),
            }
            for name in result.hasu_sites
        ]
    )


def resident_lsoas(result: ConfigResult) -> list[str]:
    """The LSOAs a region's maps draw (its residents'), in a stable order."""
    return sorted(result.lsoa.loc[result.lsoa.resident, "lsoa_code"])


MAP_TITLES = {
    "time": "travel time to the first unit",
    "change": "change in travel time against today",
    "catchment": "catchments",
}
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Each LSOA's figures as CSV text, not a list of objects: inside a page's HTML attribute
# every JSON quote costs six characters, which tripled the size of a map.
FIGURE_NUMBERS = ("u", "m", "c", "e")


def map_spec(
    ref: Reference,
    result: ConfigResult,
    kind: str,
    width: int = 520,
    residents_only: bool = True,
    boundaries_url: str | None = None,
) -> dict[str, Any]:
    """A Vega-Lite spec (dict) of one map kind for one configuration.

    The LSOA polygons are joined to each LSOA's figures by a lookup. With `boundaries_url`
    (a page) the browser fetches the polygons once from that URL (the region's polygon file
    every LSOA map shares, `charts.geo.boundaries_json`) and the spec carries only the
    figures, so six maps on a page cost tens of kilobytes each instead of the same 750 KB
    of polygons six times. Without it
    (files: PNG/SVG through vl-convert, which fetches nothing) the polygons are inline.

    The spec is written as a plain dict rather than through Altair: Altair validates every
    part against the Vega-Lite schema, which took most of a second per map."""
    if kind not in MAP_KINDS:
        raise ValueError(f"Unknown map kind {kind!r}; valid: {', '.join(MAP_KINDS)}")
    df = result.lsoa
    if residents_only:
        df = df[df.resident]
    units = sorted(set(df["unit"]))
    index = {u: i for i, u in enumerate(units)}
    figures = "k,u,m,c,e\n" + "".join(
        f"{code},{index[unit]},{float(m):.1f},{float(c):.1f},{int(bool(e))}\n"
        for code, unit, m, c, e in zip(
            df["lsoa_code"],
            df["unit"],
            df["minutes"],
            df["change_minutes"],
            df["estimated_time"],
            strict=True,
        )
    )
    datasets: dict[str, Any] = {
        "figures": figures,
        "units": [{"u": i, "unit": u} for u, i in index.items()],
        "sites": site_frame(result).to_dict("records"),
    }
    data, inline = polygons(ref, list(df.lsoa_code), boundaries_url)
    datasets.update(inline)
    lsoa_layer = {
        "data": data,
        "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.1},
        "transform": [
            *lookup_figures("figures", ["k", *FIGURE_NUMBERS], FIGURE_NUMBERS),
            {
                "lookup": "u",
                "from": {"data": {"name": "units"}, "key": "u", "fields": ["unit"]},
            },
        ],
        "encoding": {
            "color": _colour(result, df, kind),
            "tooltip": [
                {"field": "properties.lsoa_name", "type": "nominal", "title": "LSOA"},
                {"field": "unit", "type": "nominal", "title": "First unit"},
                {"field": "m", "type": "quantitative", "title": "Minutes"},
                {"field": "c", "type": "quantitative", "title": "Change (min)"},
                {"field": "e", "type": "nominal", "title": "Estimated time (1 = yes)"},
            ],
        },
    }
    return {
        "$schema": SCHEMA,
        "title": f"{result.config.name}: {MAP_TITLES[kind]}",
        "width": width,
        "height": int(width * 0.7),
        "projection": {"type": "mercator"},
        "layer": [lsoa_layer, *_site_layers()],
        "datasets": datasets,
    }


def _colour(result: ConfigResult, df: pd.DataFrame, kind: str) -> dict[str, Any]:
    """The colour of one map kind: minutes, change against today, or the unit (one colour
    per unit whatever the configuration, so two maps compare)."""
    if kind == "time":
        return {
            "field": "m",
            "type": "quantitative",
            "title": "Minutes to first unit",
            "scale": {"scheme": "viridis", "reverse": True, "domain": [0, 60], "clamp": True},
        }
    if kind == "change":
        return {
            "field": "c",
            "type": "quantitative",
            "title": "Change in minutes",
            "scale": {"scheme": "redblue", "reverse": True, "domain": [-30, 30], "clamp": True},
        }
    g = result.geo
    units = [u.name for u in g.candidates] + sorted({u.name for u in g.outside_units})
    present = set(df["unit"])
    return {
        "field": "unit",
        "type": "nominal",
        "title": "Unit",
        "scale": {"scheme": "tableau20", "domain": units},
        "legend": {
            "values": [u for u in units if u in present],
            "orient": "bottom",
            "columns": 1,
            "labelLimit": 400,
        },
    }


def _site_layers() -> list[dict[str, Any]]:
    """The configuration's sites (dataset `sites`), marked by role and labelled by code."""
    where = {
        "longitude": {"field": "longitude", "type": "quantitative"},
        "latitude": {"field": "latitude", "type": "quantitative"},
    }
    return [
        {
            "data": {"name": "sites"},
            "mark": {"type": "point", "size": 140, "filled": True, "color": "black"},
            "encoding": {
                **where,
                "shape": {
                    "field": "role",
                    "type": "nominal",
                    "title": "Sites",
                    "scale": {"domain": list(SITE_ROLES), "range": list(SITE_SHAPES)},
                    "legend": {"orient": "bottom"},
                },
                "tooltip": [
                    {"field": "name", "type": "nominal"},
                    {"field": "role", "type": "nominal", "title": "Role"},
                    {"field": "admissions", "type": "quantitative", "title": "Admissions a year"},
                ],
            },
        },
        {
            "data": {"name": "sites"},
            "mark": {"type": "text", "dy": -12, "fontSize": 11, "fontWeight": "bold"},
            "encoding": {**where, "text": {"field": "short_code", "type": "nominal"}},
        },
    ]


def change_map_png(ref: Reference, result: ConfigResult, width: int = 520) -> bytes:
    """The change-in-travel-time map of one configuration as a PNG, drawn offline from the
    vendored boundaries: the picture a Word pack carries beside its equality tables."""
    return render_png(map_spec(ref, result, "change", width), scale=1.5)


def write_maps(ref: Reference, result: ConfigResult, out_dir: Path, stem: str) -> list[Path]:
    """Write the three maps as PNG and SVG: `<stem>-<kind>.png|svg`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in MAP_KINDS:
        spec = map_spec(ref, result, kind)
        png = out_dir / f"{stem}-{kind}.png"
        png.write_bytes(vlc.vegalite_to_png(spec, scale=1.5))
        svg = out_dir / f"{stem}-{kind}.svg"
        svg.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
        written += [png, svg]
    return written
