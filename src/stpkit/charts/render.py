"""Vega-Lite specs rendered offline to PNG for documents (vl-convert, no browser, no network)."""

from __future__ import annotations

from typing import Any


def png(spec: dict[str, Any], *, width: int | None = None, scale: float = 2.0) -> bytes:
    """The chart as a PNG; `width` replaces a "container" width, which has no meaning
    outside a web page."""
    import vl_convert as vlc

    if width is not None or spec.get("width") == "container":
        spec = {**spec, "width": width or 600}
    return bytes(vlc.vegalite_to_png(spec, scale=scale))
