"""Vega-Lite specs rendered offline to PNG for documents (vl-convert, no browser, no network)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any


def png(spec: dict[str, Any], *, width: int | None = None, scale: float = 2.0) -> bytes:
    """The chart as a PNG; `width` replaces a "container" width, which has no meaning
    outside a web page. The same chart asked for again (a paper downloaded as Word and
    then as PDF) is not drawn twice."""
    if width is not None or spec.get("width") == "container":
        spec = {**spec, "width": width or 600}
    return _render(json.dumps(spec, sort_keys=True, default=str), scale)


@lru_cache(maxsize=32)
def _render(spec_json: str, scale: float) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(spec_json, scale=scale))
