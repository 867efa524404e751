"""Integrated dataset insight: segment and cost pages, and the five-year projection.

Figures:
- `web.population_pages` (ms): median over repeated requests of the server-side work behind
  the segment and cost summary pages (the governed figures and the chart spec the view
  builds; template rendering excluded), with the per-version segment cache warm.
- `kid.population_segments_cache` (s): the one-off segmentation of every person for a store
  version (what the first page view after a load pays).
- `kid.projection_5y` (s): the five-year demand projection.

Usage: `python benchmarks/kid_insight.py [--store DIR] [--people N]`. With `--store`, any
store `stpkit.kid.insight_store.open_store` opens (a full-scale `stpkit kid build` output is
the target); without it, a sample store of N people (default 1.8 million, one year) is
written to a temporary directory first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

from stpkit.disclosure import DEFAULT_POLICY
from stpkit.kid import dashboards
from stpkit.kid.insight_store import open_store
from stpkit.kid.projection import project
from stpkit.kid.sample_store import SampleSpec, write_sample


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--people", type=int, default=1_800_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store
        if path is None:
            with timed() as t:
                path = write_sample(
                    Path(tmp) / "sample",
                    SampleSpec(people=args.people, practices=200, years=(2024,)),
                )
            print(f"sample store of {args.people:,} people written in {t[0]:.1f} s")
        store = open_store(path)
        print(f"store {path}: {store.people():,} people")
        year = store.years()[-1]
        with timed() as t:
            table = dashboards.segments_table(store, year, Path(tmp) / "cache")
        figure("kid.population_segments_cache", t[0], "s")
        from stpkit.web.data import charts  # chart specs only: no Django settings needed

        times = []
        for _ in range(5):
            for scheme in dashboards.SCHEMES:
                start = time.perf_counter()
                summary = dashboards.segment_summary(store, table, scheme, DEFAULT_POLICY)
                charts.bars(
                    summary.dropna(subset=["cost_per_person"]),
                    "segment",
                    "cost_per_person",
                    scheme,
                    "GBP",
                )
                times.append((time.perf_counter() - start) * 1000)
        figure("web.population_pages", statistics.median(times), "ms")
        with timed() as t:
            project(store)
        figure("kid.projection_5y", t[0], "s")


if __name__ == "__main__":
    main()
