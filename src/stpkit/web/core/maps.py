"""The LSOA polygon file every map fetches: one per ICB, public reference data.

A map on a page (population, local care tiers, year-of-care cost by LSOA, a workstream's,
the stroke configurations) carries only each LSOA's figures and names this file by URL
(`charts.geo.polygons`); the browser fetches it once and keeps it a day, instead of every
view building and sending the same 750 KB of polygons inside the page.
"""

from __future__ import annotations

import functools
import hashlib

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from stpkit.charts.geo import boundaries_json
from stpkit.errors import StpkitError
from stpkit.reference import get_reference
from stpkit.web.core.models import Partnership

DEFAULT_REGION = "Kent and Medway"


def partnership_region() -> str:
    """The ICB the partnership plans for (the demo's, Kent and Medway, before one is set)."""
    partnership = Partnership.objects.only("icb_code").first()
    return partnership.icb_code if partnership else DEFAULT_REGION


@functools.lru_cache(maxsize=8)
def _region_code(region: str) -> str:
    return get_reference().icb(region).code


def boundaries_url(region: str | None = None) -> str:
    """The URL of the polygon file of `region`'s LSOAs (by default the partnership's ICB)."""
    code = _region_code(region or partnership_region())
    return reverse("core:lsoa_boundaries", kwargs={"icb_code": code})


@functools.lru_cache(maxsize=8)
def _boundaries(icb_code: str) -> tuple[bytes, str]:
    """The ICB's LSOA polygons as GeoJSON with its ETag, built once per process: the
    reference data do not change while it runs."""
    ref = get_reference()
    codes = [str(c) for c in ref.lsoas(icb_code).lsoa_code]
    body = boundaries_json(ref, codes)
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def lsoa_boundaries(request: HttpRequest, icb_code: str) -> HttpResponse:
    """The ICB's LSOA polygons, kept by the browser a day (public reference data)."""
    try:
        body, etag = _boundaries(_region_code(icb_code))
    except StpkitError:
        return HttpResponse(f"No ICB {icb_code!r} in the reference data.", status=404)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    patch_cache_control(response, private=True, max_age=86400)
    return response
