"""Integrated dataset insight: segment and cost summary pages, and the five-year projection.

Figures:
- `kid.population_segments_cache` (s): the one-off segmentation and costing of every person
  for a store version (what the first segment or cost page view after a load pays).
- `web.population_pages` (ms): median server time of the segment and cost summary pages
  (every segmentation scheme, and cost by setting, locality, practice and LSOA), each
  requested repeatedly with the per-version cache warm. Measured in-process through
  Django's test client as a signed-in workstream lead, so it covers routing, the governance
  check, the disclosure-controlled figures, the chart spec, the audit-log entry each view
  writes, and template rendering; not the network.
- `web.segment_page`, `web.cost_page` (ms): the same medians per page.
- `kid.projection_5y` (s): the five-year demand projection (engine, median of 3), from the
  base year's per-person table the segment cache already holds (what the page does).
- `kid.projection_5y_uncached` (s): the same projection summed from the store's views.
- `web.projection_page` (ms): the projection page (median of 3).

Usage: `python benchmarks/kid_insight.py [--store DIR] [--people N]`. With `--store`, any
store `stpkit.kid.open_store` opens (a full-scale `stpkit kid build` output is
the target); without it, a sample store of N people (default 1.8 million, the Kent and
Medway registered population, one year) is written to a temporary directory first. The
benchmark uses its own temporary data directory and SQLite database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite
from _figures import figure, timed

RUNS = 7


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--people", type=int, default=1_800_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "kid").mkdir(parents=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["STPKIT_DATA_DIR"] = str(data)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stpkit.web.config.settings")
        from stpkit.kid.analyses import project
        from stpkit.kid.governed import open_store
        from stpkit.kid.sources import SampleSpec, write_sample

        if args.store is None:
            with timed() as t:
                write_sample(
                    data / "kid" / "sample",
                    SampleSpec(people=args.people, practices=200, years=(2024,)),
                )
            print(f"sample store of {args.people:,} people written in {t[0]:.1f} s")
        else:
            pipeline = (args.store / "CURRENT").exists()
            (data / "kid" / ("store" if pipeline else "sample")).symlink_to(args.store.resolve())

        django_on_sqlite(Path(tmp) / "bench.sqlite3", data_dir=data)
        from django.test import Client

        from stpkit.demo.data import load_purposes
        from stpkit.demo.partnership import load_partnership
        from stpkit.web.accounts.models import User
        from stpkit.web.data import services

        load_partnership()
        load_purposes(analyst="bench-analyst", controller="bench-controller")
        path = services.store_path()
        assert path is not None
        store = open_store(path)
        print(f"store {path}: {store.people():,} people, years {store.years()}")
        client = Client()
        client.force_login(User.objects.create(username="bench-lead", role="workstream_lead"))

        assert client.get("/data/").status_code == 200  # warm up: URL conf, templates, store
        with timed() as t:
            first = client.get("/data/segments/")
        assert first.status_code == 200 and b"data-vega-spec" in first.content
        figure("kid.population_segments_cache", t[0], "s")

        pages = {
            "segment": [f"/data/segments/?scheme={s}" for s in _schemes()],
            "cost": [f"/data/costs/?by={b}" for b in _groupings()],
        }
        for urls in pages.values():  # warm up: templates, the LSOA boundaries
            for url in urls:
                assert client.get(url).status_code == 200, url
        times: dict[str, list[float]] = {k: [] for k in pages}
        for _ in range(RUNS):
            for kind, urls in pages.items():
                for url in urls:
                    start = time.perf_counter()
                    response = client.get(url)
                    times[kind].append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200 and b"<table" in response.content, url
        figure("web.population_pages", statistics.median(times["segment"] + times["cost"]), "ms")
        figure("web.segment_page", statistics.median(times["segment"]), "ms")
        figure("web.cost_page", statistics.median(times["cost"]), "ms")
        for kind, urls in pages.items():
            per_url = len(times[kind]) // RUNS
            for i, url in enumerate(urls):
                slowest = max(times[kind][i::per_url])
                print(
                    f"  {url}: median {statistics.median(times[kind][i::per_url]):.0f} ms, "
                    f"slowest {slowest:.0f} ms"
                )

        from stpkit.kid.governed import dashboards

        base_year = store.years()[-1]
        table = dashboards.segments_table(
            store, base_year, services.cache_dir()
        )  # built above: cached
        engine, uncached, page = [], [], []
        for _ in range(3):
            with timed() as t:
                project(store, base_year=base_year, table=table)
            engine.append(t[0])
            with timed() as t:
                project(store, base_year=base_year)
            uncached.append(t[0])
            start = time.perf_counter()
            assert client.get("/data/projection/").status_code == 200
            page.append((time.perf_counter() - start) * 1000)
        figure("kid.projection_5y", statistics.median(engine), "s")
        figure("kid.projection_5y_uncached", statistics.median(uncached), "s")
        figure("web.projection_page", statistics.median(page), "ms")
        print(f"load average during the run: {os.getloadavg()}")
        store.close()


def _schemes() -> list[str]:
    from stpkit.kid.governed import dashboards

    return list(dashboards.SCHEMES)


def _groupings() -> list[str]:
    from stpkit.kid.governed import dashboards

    return list(dashboards.COST_GROUPINGS)


if __name__ == "__main__":
    main()
