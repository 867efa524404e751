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


def _rounded(coords: Any, decimals: int) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) for c in coords]
    return [_rounded(c, decimals) for c in coords]


def boundary_features(
    ref: Reference, lsoa_codes: list[str], decimals: int = 5
) -> list[dict[str, Any]]:
    """The LSOAs' generalised boundaries wound for d3, each with its code and name only, the
    coordinates rounded to `decimals` places (5: about a metre, far finer than the
    generalisation): what a page's maps share, fetched once instead of inside every map."""
    features = ref.boundaries(lsoa_codes)["features"]
    for f in features:
        geometry = _rewind(f["geometry"])
        f["geometry"] = {
            "type": geometry["type"],
            "coordinates": _rounded(geometry["coordinates"], decimals),
        }
    return features


def resident_lsoas(result: ConfigResult) -> list[str]:
    """The LSOAs a region's maps draw (its residents'), in a stable order."""
    return sorted(result.lsoa.loc[result.lsoa.resident, "lsoa_code"])


def map_spec(
    ref: Reference,
    result: ConfigResult,
    kind: str,
    width: int = 520,
    residents_only: bool = True,
    boundaries_url: str | None = None,
) -> dict[str, Any]:
    """A Vega-Lite spec (dict) of one map kind for one configuration.

    With `boundaries_url` (a page), the polygons are not in the spec: the browser fetches
    them once from that URL (`boundary_features` of the residents' LSOAs) and the spec
    carries only each LSOA's figures, joined by a lookup, so six maps on a page cost tens of
    kilobytes each instead of the same 750 KB of polygons six times. Without it (files,
    PNG/SVG through vl-convert, which fetches nothing) the polygons are inline."""
    if kind not in MAP_KINDS:
        raise ValueError(f"Unknown map kind {kind!r}; valid: {', '.join(MAP_KINDS)}")
    df = result.lsoa
    if residents_only:
        df = df[df.resident]
    if boundaries_url is not None:
        return _linked_map_spec(result, df, kind, width, boundaries_url)
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
    fields = {
        "minutes": "properties.minutes",
        "change": "properties.change",
        "unit": "properties.unit",
    }
    color = _colour(result, df, kind, fields)
    title = f"{result.config.name}: {MAP_TITLES[kind]}"
    layer = base.encode(color=color, tooltip=tooltip)
    spec = _with_sites(result, layer, width, title)
    spec.setdefault("datasets", {})["lsoas"] = geo["features"]
    return spec


def _colour(result: ConfigResult, df: pd.DataFrame, kind: str, fields: dict[str, str]) -> Any:
    """The colour of one map kind: minutes, change against today, or the unit (one colour
    per unit whatever the configuration, so two maps compare)."""
    if kind == "time":
        return alt.Color(
            f"{fields['minutes']}:Q",
            title="Minutes to first unit",
            scale=alt.Scale(scheme="viridis", reverse=True, domain=[0, 60], clamp=True),
        )
    if kind == "change":
        return alt.Color(
            f"{fields['change']}:Q",
            title="Change in minutes",
            scale=alt.Scale(scheme="redblue", reverse=True, domain=[-30, 30], clamp=True),
        )
    g = result.geo
    units = [u.name for u in g.candidates] + sorted({u.name for u in g.outside_units})
    present = [u for u in units if u in set(df["unit"])]
    return alt.Color(
        f"{fields['unit']}:N",
        title="Unit",
        scale=alt.Scale(scheme="tableau20", domain=units),
        legend=alt.Legend(values=present, orient="bottom", columns=1, labelLimit=400),
    )


MAP_TITLES = {
    "time": "travel time to the first unit",
    "change": "change in travel time against today",
    "catchment": "catchments",
}


def _linked_map_spec(
    result: ConfigResult, df: pd.DataFrame, kind: str, width: int, boundaries_url: str
) -> dict[str, Any]:
    """The map with its polygons fetched from `boundaries_url` and its figures inline."""
    units = sorted(set(df["unit"]))
    index = {u: i for i, u in enumerate(units)}
    values = [
        {
            "k": code,
            "u": index[unit],
            "m": round(float(m), 1),
            "c": round(float(c), 1),
            "e": int(bool(e)),
        }
        for code, unit, m, c, e in zip(
            df["lsoa_code"],
            df["unit"],
            df["minutes"],
            df["change_minutes"],
            df["estimated_time"],
            strict=True,
        )
    ]
    data = alt.UrlData(url=boundaries_url, format=alt.JsonDataFormat(property="features"))
    fields = {"minutes": "m", "change": "c", "unit": "unit"}
    layer = (
        alt.Chart(data)
        .mark_geoshape(stroke="white", strokeWidth=0.1)
        .transform_lookup(
            lookup="properties.lsoa_code",
            from_=alt.LookupData(
                data=alt.NamedData(name="figures"), key="k", fields=["u", "m", "c", "e"]
            ),
        )
        .transform_filter("isValid(datum.m)")
        .transform_lookup(
            lookup="u",
            from_=alt.LookupData(data=alt.NamedData(name="units"), key="u", fields=["unit"]),
        )
        .encode(
            color=_colour(result, df, kind, fields),
            tooltip=[
                alt.Tooltip("properties.lsoa_name:N", title="LSOA"),
                alt.Tooltip("unit:N", title="First unit"),
                alt.Tooltip("m:Q", title="Minutes"),
                alt.Tooltip("c:Q", title="Change (min)"),
                alt.Tooltip("e:N", title="Estimated time (1 = yes)"),
            ],
        )
    )
    spec = _with_sites(result, layer, width, f"{result.config.name}: {MAP_TITLES[kind]}")
    # the figures go in as named datasets after `to_dict` (no validation of every value)
    spec.setdefault("datasets", {}).update(
        {"figures": values, "units": [{"u": i, "unit": u} for u, i in index.items()]}
    )
    return spec


def _with_sites(result: ConfigResult, layer: Any, width: int, title: str) -> dict[str, Any]:
    """The LSOA layer with the configuration's sites marked and labelled, as a spec."""
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
    return chart.to_dict()  # type: ignore[no-any-return]


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
