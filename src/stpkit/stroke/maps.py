"""Offline LSOA maps of a configuration as Vega-Lite specs (Altair), and PNG/SVG files.

Boundaries come from the reference data (generalised LSOA polygons), so no tile server is
needed. Three maps: travel time to the first unit, change against today, and catchments
(which unit each LSOA's patients go to), each with the HASUs marked and the sites that
also provide thrombectomy marked apart.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

from stpkit.reference import Reference
from stpkit.stroke.model import ConfigResult

MAP_KINDS = ("time", "change", "catchment")


def _signed_area(ring: list[list[float]]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def _rewind(geometry: dict[str, Any]) -> dict[str, Any]:
    """d3 (Vega) wants exterior rings clockwise, the opposite of RFC 7946 GeoJSON; a ring
    the wrong way round fills the whole globe."""

    def fix(poly: list[list[list[float]]]) -> list[list[list[float]]]:
        out = []
        for i, ring in enumerate(poly):
            clockwise = _signed_area(ring) < 0
            want_clockwise = i == 0
            out.append(ring if clockwise == want_clockwise else ring[::-1])
        return out

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": fix(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [fix(p) for p in geometry["coordinates"]]}
    return geometry


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


def map_spec(
    ref: Reference, result: ConfigResult, kind: str, width: int = 520, residents_only: bool = True
) -> dict[str, Any]:
    """A Vega-Lite spec (dict) of one map kind for one configuration."""
    if kind not in MAP_KINDS:
        raise ValueError(f"Unknown map kind {kind!r}; valid: {', '.join(MAP_KINDS)}")
    df = result.lsoa
    if residents_only:
        df = df[df.resident]
    geo = ref.boundaries(list(df.lsoa_code))
    rows = df.set_index("lsoa_code")
    for f in geo["features"]:
        f["geometry"] = _rewind(f["geometry"])
        r = rows.loc[f["properties"]["lsoa_code"]]
        f["properties"].update(
            {
                "unit": r["unit"],
                "minutes": round(float(r["minutes"]), 1),
                "change": round(float(r["change_minutes"]), 1),
                "estimated": bool(r["estimated_time"]),
            }
        )
    # the polygons go in as a named dataset after `to_dict`: Altair would deep-copy and
    # validate thousands of coordinates otherwise (seconds a map)
    data = alt.NamedData(name="lsoas")
    base = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.1)
    tooltip = [
        alt.Tooltip("properties.lsoa_name:N", title="LSOA"),
        alt.Tooltip("properties.unit:N", title="First unit"),
        alt.Tooltip("properties.minutes:Q", title="Minutes"),
        alt.Tooltip("properties.change:Q", title="Change (min)"),
        alt.Tooltip("properties.estimated:N", title="Estimated time"),
    ]
    if kind == "time":
        color = alt.Color(
            "properties.minutes:Q",
            title="Minutes to first unit",
            scale=alt.Scale(scheme="viridis", reverse=True, domain=[0, 60], clamp=True),
        )
        title = f"{result.config.name}: travel time to the first unit"
    elif kind == "change":
        color = alt.Color(
            "properties.change:Q",
            title="Change in minutes",
            scale=alt.Scale(scheme="redblue", reverse=True, domain=[-30, 30], clamp=True),
        )
        title = f"{result.config.name}: change in travel time against today"
    else:
        # one colour per unit whatever the configuration, so two maps compare
        g = result.geo
        units = [u.name for u in g.candidates] + sorted({u.name for u in g.outside_units})
        present = [u for u in units if u in set(df["unit"])]
        color = alt.Color(
            "properties.unit:N",
            title="Unit",
            scale=alt.Scale(scheme="tableau20", domain=units),
            legend=alt.Legend(values=present, orient="bottom", columns=1, labelLimit=400),
        )
        title = f"{result.config.name}: catchments"
    layer = base.encode(color=color, tooltip=tooltip)
    frame = site_frame(result)
    sites = (
        alt.Chart(frame)
        .mark_point(size=140, filled=True, color="black")
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            shape=alt.Shape(
                "role:N",
                title="Sites",
                scale=alt.Scale(domain=list(SITE_ROLES), range=list(SITE_SHAPES)),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                "name:N",
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("admissions:Q", title="Admissions a year"),
            ],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(dy=-12, fontSize=11, fontWeight="bold")
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="short_code:N")
    )
    chart = (
        alt.layer(layer, sites, labels)
        .project(type="mercator")
        .properties(width=width, height=int(width * 0.7), title=title)
    )
    spec = chart.to_dict()
    spec.setdefault("datasets", {})["lsoas"] = geo["features"]
    return spec


def change_map_png(ref: Reference, result: ConfigResult, width: int = 520) -> bytes:
    """The change-in-travel-time map of one configuration as a PNG, drawn offline from the
    vendored boundaries: the picture a Word pack carries beside its equality tables."""
    return bytes(vlc.vegalite_to_png(map_spec(ref, result, "change", width), scale=1.5))


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
