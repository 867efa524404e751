"""The one-off work of a new store version, done before anyone asks: `stpkit kid warm`.

A store version's heaviest figures are computed once and kept on disk in the cache
directory: the per-person table of each year (`dashboards.segments_table`, which the
segments, costs, tiers, capitation, inequalities and demand pages read) and the risk
model's summary (`risk.published_model`). A deployment runs `warm` after a build lands, so
that the first reader of those pages pays for reading a file, not for a fit over the whole
population. Both are written by a child process for a large store (`isolate`), as when a
page asks, and are keyed by the store version, so a later build is never served an older
version's figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from stpkit.kid.errors import KidError
from stpkit.kid.governed.dashboards import segments_table
from stpkit.kid.governed.risk import published_model, summary_path
from stpkit.kid.pipeline.insight_store import InsightStore


@dataclass(frozen=True)
class Warmed:
    what: str
    path: Path | None  # the file written or found; None when the store cannot give it
    seconds: float
    note: str = ""


def warm(store: InsightStore, cache_dir: Path) -> list[Warmed]:
    """Write (or find) every per-version file the pages read for `store`."""
    done = []
    for year in store.years():
        start = time.perf_counter()
        path = segments_table(store, year, cache_dir)
        done.append(Warmed(f"per-person table {year}", path, time.perf_counter() - start))
    start = time.perf_counter()
    try:
        published_model(store, cache_dir)
    except KidError as exc:  # e.g. under 18 months of activity: the page says so too
        done.append(Warmed("risk model", None, time.perf_counter() - start, str(exc)))
    else:
        path = summary_path(store, cache_dir)
        done.append(Warmed("risk model", path, time.perf_counter() - start))
    return done
