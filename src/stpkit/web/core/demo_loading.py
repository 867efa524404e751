"""Which areas of the demo are still loading while the app already serves.

`stpkit demo` serves as soon as the partnership and the programme are in and loads the
other areas in a thread of the same process; until an area is in, its pages would simply
look empty. It marks the areas pending here before it serves and each one done as it
commits, and every page says which areas are still loading, in words on the pages of such
an area (base.jinja). Outside the demo nothing is ever pending.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["AREA_LABELS", "Loading", "done", "fail", "failed", "loading", "pending", "start"]

# The demo's background areas: their name on the page and where their pages live.
AREA_LABELS: dict[str, str] = {
    "board": "Programme board",
    "data": "Data",
    "decisions": "Decisions",
    "consultation": "Consultation",
    "productivity": "Productivity",
    "enablers": "Enabling workstreams",
    "system": "System view",
}
_AREA_PATHS: dict[str, str] = {
    "board": "/programme/board/",
    "enablers": "/programme/enablers/",
    "system": "/programme/system/",
    "data": "/data/",
    "decisions": "/decisions/",
    "consultation": "/consultation/",
    "productivity": "/productivity/",
}

_lock = threading.Lock()
_pending: list[str] = []
_failed: list[str] = []


def start(areas: tuple[str, ...]) -> None:
    """Mark `areas` as loading (in the order they will load)."""
    with _lock:
        _pending[:] = list(areas)
        _failed.clear()


def fail(area: str) -> None:
    """Mark `area` and every area after it as not loaded (the loading stopped there)."""
    with _lock:
        _failed[:] = _pending[_pending.index(area) :] if area in _pending else [area]
        _pending.clear()


def done(area: str) -> None:
    """Mark `area` as loaded (its transaction has committed)."""
    with _lock:
        if area in _pending:
            _pending.remove(area)


def pending() -> tuple[str, ...]:
    with _lock:
        return tuple(_pending)


def failed() -> tuple[str, ...]:
    with _lock:
        return tuple(_failed)


@dataclass(frozen=True)
class Loading:
    """What a page says while areas are loading, or after loading stopped on an error: the
    area the page belongs to if it is among them, and all of them (labels, in loading
    order)."""

    here: str | None
    areas: tuple[str, ...]
    failed: bool = False


def loading(path: object) -> Loading | None:
    """What the page at `path` should say, or None when every area is in. `path` is not a
    string on pages rendered without a request (the error pages): the general line only."""
    path = path if isinstance(path, str) else ""
    areas, stopped = pending(), False
    if not areas:
        areas, stopped = failed(), True
    if not areas:
        return None
    here = next((a for a in areas if path.startswith(_AREA_PATHS.get(a, "\0"))), None)
    return Loading(
        here=AREA_LABELS.get(here, here) if here else None,
        areas=tuple(AREA_LABELS.get(a, a) for a in areas),
        failed=stopped,
    )
