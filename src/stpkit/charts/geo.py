"""LSOA boundaries wound the way d3-geo (and so Vega) draws them: one rule for every map.

GeoJSON (RFC 7946) winds outer rings anticlockwise; d3-geo reads rings on the sphere, where
an anticlockwise outer ring is the whole globe minus the shape, so every path becomes
`M0,NaN...` and the map draws as one solid rectangle.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stpkit.reference import Reference


def _ring_area(ring: list[list[float]]) -> float:
    """Twice the signed area of a ring in longitude/latitude (positive: anticlockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def _rewind_polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """The polygon with its outer ring clockwise and its holes anticlockwise, as d3-geo wants.

    Vega draws maps with d3-geo, which reads rings on the sphere: an anticlockwise outer ring
    is the whole globe minus the LSOA, so one such ring fits the map to the world, every path
    becomes `M0,NaN...` and the map draws as one solid rectangle. Degenerate rings (no area)
    are dropped for the same reason.
    """
    out: list[list[list[float]]] = []
    for i, ring in enumerate(rings):
        area = _ring_area(ring)
        if len(ring) < 4 or area == 0:
            if i == 0:
                return []
            continue
        clockwise = area < 0
        out.append(ring if clockwise == (i == 0) else ring[::-1])
    return out


def d3_geometry(geometry: dict[str, Any]) -> dict[str, Any] | None:
    """A GeoJSON Polygon or MultiPolygon wound for d3-geo (None when nothing is left)."""
    if geometry["type"] == "Polygon":
        rings = _rewind_polygon(geometry["coordinates"])
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if geometry["type"] == "MultiPolygon":
        parts = [p for p in map(_rewind_polygon, geometry["coordinates"]) if p]
        return {"type": "MultiPolygon", "coordinates": parts} if parts else None
    return geometry


def _rounded(coords: Any, decimals: int) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), decimals) for c in coords]
    return [_rounded(c, decimals) for c in coords]


def wound_features(
    ref: Reference, lsoa_codes: list[str], decimals: int | None = None
) -> list[dict[str, Any]]:
    """The LSOAs' generalised boundary features wound for d3-geo, without any that have no
    area; with `decimals`, coordinates rounded to that many places (5: about a metre, far
    finer than the generalisation) for a file the browser fetches."""
    kept = []
    for feature in ref.boundaries(lsoa_codes)["features"]:
        geometry = d3_geometry(feature["geometry"])
        if geometry is None:
            continue
        if decimals is not None:
            geometry = {
                "type": geometry["type"],
                "coordinates": _rounded(geometry["coordinates"], decimals),
            }
        kept.append({**feature, "geometry": geometry})
    return kept


def boundaries_json(ref: Reference, lsoa_codes: list[str], decimals: int = 5) -> bytes:
    """The LSOAs' wound boundaries as one compact GeoJSON FeatureCollection: the file every
    LSOA map on a page fetches once by URL (`polygons`) instead of carrying inside it."""
    features = wound_features(ref, lsoa_codes, decimals)
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()


def polygons(
    ref: Reference, lsoa_codes: list[str], boundaries_url: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `data` of a map's LSOA layer and the datasets it needs.

    With `boundaries_url` (a page) the browser fetches the shared polygon file
    (`boundaries_json`) once and keeps it, so the spec carries only each LSOA's figures;
    without it (a file drawn by vl-convert, which fetches nothing) the polygons of
    `lsoa_codes` are inline as the dataset `lsoas`.
    """
    if boundaries_url is not None:
        return {"url": boundaries_url, "format": {"type": "json", "property": "features"}}, {}
    return {"name": "lsoas"}, {"lsoas": wound_features(ref, lsoa_codes, 5)}


def figures_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """Each LSOA's figures as CSV text (None as an empty field, which Vega reads as null):
    inside a page's HTML attribute every JSON quote costs six characters, so a list of
    objects was three times the size."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def lookup_figures(
    dataset: str, fields: list[str], numbers: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Transforms joining each polygon to its LSOA's figures (CSV dataset `dataset`, keyed
    by its first field, `k`) and dropping the polygons with no row: the polygon file holds
    the whole region, a map only the LSOAs it has figures for (a row whose figure is
    withheld is kept, its value null).

    The `numbers` are made numbers after the join (an empty field null): Vega-Lite drops a
    `format.parse` on a lookup's data, so they arrive as text, and a colour scale over
    text gave every LSOA the same shade."""
    return [
        {
            "lookup": "properties.lsoa_code",
            "from": {
                "data": {"name": dataset, "format": {"type": "csv"}},
                "key": "k",
                "fields": fields,
            },
        },
        {"filter": "isValid(datum.k)"},
        *({"calculate": f"toNumber(datum.{f})", "as": f} for f in numbers),
    ]
