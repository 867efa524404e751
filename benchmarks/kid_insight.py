"""Integrated dataset pages at full scale: every data page timed on its own, and the web
process's peak memory.

Figures:
- `kid.population_segments_cache` (s): the first view of the segments page on a fresh
  store version (the one-off segmentation and costing of every person it pays for).
- `web.page.<page>` (ms): the median server time of one data page (never pooled), each
  requested `--runs` times after a first, unrecorded view fills the per-version caches.
  `<page>` names the path and query, e.g. `data.segments.scheme_frailty`. Measured
  in-process through Django's test client as a signed-in workstream lead, so it covers
  routing, the governance check, the disclosure-controlled figures, the chart spec, the
  audit-log entry each view writes and template rendering; not the network.
- `web.page_first.<page>` (ms): that page's first view (what a reader pays after a store
  version changes, before the caches are warm).
- `web.process_peak_memory` (GB): the peak resident set of this process, which is the web
  process serving every page above (the sample store, when one is written, is written by a
  child process so it does not count).
- `kid.projection_5y` (s), `kid.projection_5y_uncached` (s): the five-year projection
  engine from the cached per-person table and from the store's views (median of 3).

Load averages are printed before and after. Usage:
`python benchmarks/kid_insight.py [--store DIR] [--people N] [--runs N]`. With `--store`,
any store `stpkit.kid.open_store` opens; without it a sample store of N people (default
1.8 million, the Kent and Medway registered population, two years: the risk page needs
18 months) is written to a temporary directory first.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite
from _figures import figure, timed

# Every data page that shows figures from the store, and the area's governance pages.
PAGES: tuple[str, ...] = (
    "/data/",
    "/data/population/",
    "/data/population/?measure=admissions_per_1000",
    "/data/segments/?scheme=yoc_band",
    "/data/segments/?scheme=bridges_segment",
    "/data/segments/?scheme=frailty",
    "/data/segments/?scheme=cambridge_group",
    "/data/costs/?by=setting",
    "/data/costs/?by=locality",
    "/data/costs/?by=practice_code",
    "/data/costs/?by=lsoa_code",
    "/data/trends/",
    "/data/practices/",
    "/data/projection/",
    "/data/tiers/",
    "/data/tiers/?tier=extended_practice",
    "/data/inequalities/",
    "/data/inequalities/?population=65%2B",
    "/data/risk/",
    "/data/risk/?by=practice_code",
    "/data/demand/",
    "/data/demand/?view=locality",
    "/data/capitation/",
    "/data/query/",
    "/data/purposes/",
    "/data/audit/",
)


def page_name(url: str) -> str:
    """`/data/segments/?scheme=frailty` -> `data.segments.scheme_frailty`."""
    path, _, query = url.partition("?")
    parts = [p for p in path.strip("/").split("/") if p] or ["data"]
    name = ".".join(p.replace("-", "_") for p in parts)
    if query:
        name += "." + re.sub(r"[^a-z0-9]+", "_", query.lower().replace("%2b", "plus")).strip("_")
    return name


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def write_store(out: Path, people: int) -> None:
    """Write the sample in a child process, so its memory is not the web process's."""
    code = (
        "import sys; from pathlib import Path; "
        "from stpkit.kid.sources import SampleSpec, write_sample; "
        "write_sample(Path(sys.argv[1]), SampleSpec(people=int(sys.argv[2]), practices=200, "
        "years=(2023, 2024)))"
    )
    subprocess.run([sys.executable, "-c", code, str(out), str(people)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--people", type=int, default=1_800_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", help="time only pages whose path contains this")
    parser.add_argument(
        "--cache", type=Path, help="keep the per-version caches here (default: fresh, temporary)"
    )
    args = parser.parse_args()
    print(f"load average at the start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "kid").mkdir(parents=True)
        store_dir = args.store
        if store_dir is None:
            store_dir = Path(tmp) / "sample"
            with timed() as t:
                write_store(store_dir, args.people)
            print(f"sample store of {args.people:,} people written in {t[0]:.1f} s")
        pipeline = (store_dir / "CURRENT").exists()
        (data / "kid" / ("store" if pipeline else "sample")).symlink_to(store_dir.resolve())
        if args.cache is not None:
            args.cache.mkdir(parents=True, exist_ok=True)
            (data / "kid" / "cache").symlink_to(args.cache.resolve())

        django_on_sqlite(Path(tmp) / "bench.sqlite3", data_dir=data)
        from django.test import Client

        from stpkit.demo.data import load_purposes
        from stpkit.demo.partnership import load_partnership
        from stpkit.web.accounts.models import User
        from stpkit.web.data import services
        from stpkit.web.programme.models import Workstream

        load_partnership()
        load_purposes(analyst="bench-analyst", controller="bench-controller")
        store = services.get_store()
        assert store is not None
        print(f"store {store.path}: {store.people():,} people, years {store.years()}")
        client = Client()
        client.force_login(User.objects.create(username="bench-lead", role="workstream_lead"))
        # The governance pages (query, purposes, audit) are an analyst's, not a lead's.
        analyst = Client()
        person, _ = User.objects.get_or_create(username="bench-analyst")
        person.role = "analyst"
        person.save()
        analyst.force_login(person)
        controller = Client()
        controller.force_login(
            User.objects.create(username="bench-controller-user", role="data_controller")
        )
        clients: dict[str, Client] = {}

        with timed() as t:
            first = client.get("/data/segments/")
        assert first.status_code == 200 and b"data-vega-spec" in first.content
        figure("kid.population_segments_cache", t[0], "s")

        slugs = sorted(Workstream.objects.values_list("slug", flat=True))
        urls = [*PAGES, *(f"/data/workstreams/{s}/" for s in slugs)]
        if args.only:
            urls = [u for u in urls if args.only in u]
        for url in urls:  # first views: fill the per-version caches
            with timed() as t:
                response = client.get(url)
            clients[url] = client
            for other in (analyst, controller):  # the governance pages are theirs
                if response.status_code == 403:
                    clients[url] = other
                    with timed() as t:
                        response = other.get(url)
            assert response.status_code == 200, (url, response.status_code)
            figure(f"web.page_first.{page_name(url)}", t[0] * 1000, "ms")
            print(f"  after {url}: peak {peak_gb():.2f} GB", flush=True)
        for url in urls:
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = clients[url].get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            figure(f"web.page.{page_name(url)}", statistics.median(times), "ms")
        figure("web.process_peak_memory", peak_gb(), "GB")
        print(f"load average after the pages: {load()}")

        from stpkit.kid.analyses import project
        from stpkit.kid.governed import dashboards

        base_year = store.years()[-1]
        table = dashboards.segments_table(store, base_year, services.cache_dir())
        engine, uncached = [], []
        for _ in range(3):
            with timed() as t:
                project(store, base_year=base_year, table=table)
            engine.append(t[0])
            with timed() as t:
                project(store, base_year=base_year)
            uncached.append(t[0])
        figure("kid.projection_5y", statistics.median(engine), "s")
        figure("kid.projection_5y_uncached", statistics.median(uncached), "s")
        print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
