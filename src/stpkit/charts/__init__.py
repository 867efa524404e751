"""Chart specifications (Vega-Altair) shared by the web app and the documents.

One module per area (`charts.programme`, `charts.board`, ...), each framework-free: it
takes plain rows or duck-typed records and returns a Vega-Lite spec (a dict) that the web
pages embed with vega-embed and the documents render with vl-convert. The names below are
the public API; they are loaded on first use, so importing `stpkit.charts` does not import
Altair.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stpkit.charts.board import RAG_COLOURS, confidence_trend
    from stpkit.charts.programme import (
        STATUS_COLOURS,
        MilestoneLike,
        gantt,
        programme_timeline,
        workstream_timeline,
    )
    from stpkit.charts.render import png

_EXPORTS: dict[str, str] = {
    "RAG_COLOURS": "stpkit.charts.board",
    "confidence_trend": "stpkit.charts.board",
    "STATUS_COLOURS": "stpkit.charts.programme",
    "MilestoneLike": "stpkit.charts.programme",
    "gantt": "stpkit.charts.programme",
    "png": "stpkit.charts.render",
    "programme_timeline": "stpkit.charts.programme",
    "workstream_timeline": "stpkit.charts.programme",
}
__all__ = [
    "RAG_COLOURS",
    "STATUS_COLOURS",
    "MilestoneLike",
    "confidence_trend",
    "gantt",
    "png",
    "programme_timeline",
    "workstream_timeline",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'stpkit.charts' has no attribute {name!r}")
