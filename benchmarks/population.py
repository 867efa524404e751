"""Population health: the real-geography generator, risk stratification, Monte Carlo demand.

Figures:
- `population.list_size_error_pct` (%): the largest gap between a practice's drawn list
  size and the real file's (July 2022), scaled, over practices of 50+ drawn people; at
  the full scale (1,960,615 people) every count is the real one and this is 0.
- `population.qof_error_pp` (percentage points): the largest gap between a practice's drawn
  prevalence and its QOF 2021-22 prevalence, over the 13 registers and practices of 50+
  drawn people.
- `population.generator_draw` (s): drawing the registered population (practices, LSOAs,
  ages, sexes, conditions) at that scale.
- `population.risk_train` (s): building the features for the training, test and scoring
  dates from the store, fitting the model and scoring everyone (`fit_risk`).
- `population.risk_auc` (-): the model's AUC on the held-out period.
- `population.projection_mc_1000` (s): the Monte Carlo projection, 1,000 draws, from the
  base year's inputs (`simulate`, median of 3), what a page pays once its inputs are cached.
- `population.projection_inputs` (s): summing those inputs from the store (once per version).
- `population.pages` (ms, with `--pages`): median server time of the new pages (and the
  population page with its deprivation gap) once cached, as a signed-in workstream lead.

Usage: `python benchmarks/population.py [--people N] [--store DIR]`. Without `--store` a
two-year sample store of `--people` (default 200,000) is written to a temporary directory
first (the risk model needs 18 months). `--geography-people` sets the generator's scale
(default the full 1,960,615).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite
from _figures import figure, timed


def generator(people: int) -> None:
    from stpkit.kid.sources.geography import QOF_TO_CONDITION, draw_registered, real_geography

    geo = real_geography()
    with timed() as t:
        drawn = draw_registered(people, np.random.default_rng(1))
    frame = pd.DataFrame({"practice": drawn.practice, **drawn.ltc})
    lists = geo.list_sizes()
    expected = lists * people / lists.sum()
    got = frame.groupby("practice").size().reindex(lists.index, fill_value=0)
    big = got >= 50
    codes = list(QOF_TO_CONDITION.values())
    prevalence = frame.groupby("practice")[codes].mean()
    qof = geo.prevalence.reindex(prevalence.index)
    big_prev = frame.groupby("practice").size() >= 50
    figure(
        "population.list_size_error_pct",
        float(((got - expected).abs() / expected)[big].max() * 100),
        "%",
    )
    figure(
        "population.qof_error_pp",
        float((prevalence - qof).abs()[big_prev].max().max() * 100),
        "pp",
    )
    figure("population.generator_draw", t[0], "s")
    print(f"generator: {people:,} people, {int(big.sum())} practices of 50+", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--geography-people", type=int, default=1_960_615)
    parser.add_argument("--pages", action="store_true", help="also time the new pages")
    args = parser.parse_args()
    generator(args.geography_people)
    from stpkit.kid.analyses.demand import DemandAssumptions, demand_inputs, simulate
    from stpkit.kid.analyses.risk import fit_risk
    from stpkit.kid.governed import dashboards, open_store
    from stpkit.kid.sources import SampleSpec, write_sample

    with tempfile.TemporaryDirectory() as tmp:
        path = args.store
        if path is None:
            with timed() as t:
                path = write_sample(
                    Path(tmp) / "sample",
                    SampleSpec(people=args.people, practices=200, years=(2023, 2024)),
                )
            print(
                f"sample store of {args.people:,} people written in {t[0]:.1f} s", file=sys.stderr
            )
        store = open_store(path)
        print(f"store: {store.people():,} people alive, years {store.years()}", file=sys.stderr)
        cpu = time.process_time()
        with timed() as t:
            model = fit_risk(store)
        cpu = time.process_time() - cpu  # every thread of this process, DuckDB's included
        figure("population.risk_train", t[0], "s")
        figure("population.risk_auc", model.auc, "-")
        print(
            f"risk: trained on {model.train_people:,}, tested on {model.test_people:,}, "
            f"scored {len(model.scored):,}; brier {model.brier:.4f}; CPU {cpu:.1f} s; "
            f"load average {os.getloadavg()[0]:.1f}",
            file=sys.stderr,
        )
        cal = model.calibration
        print(
            "calibration by tenth (predicted/observed %): "
            + ", ".join(
                f"{int(r.tenth)}: {100 * r.predicted:.1f}/{100 * r.observed:.1f}"
                for r in cal.itertuples()
            ),
            file=sys.stderr,
        )
        year = store.years()[-1]
        table = dashboards.segments_table(store, year, Path(tmp) / "cache")
        with timed() as t:
            inputs = demand_inputs(store, table, year)
        figure("population.projection_inputs", t[0], "s")
        runs = []
        for _ in range(3):
            with timed() as t:
                simulate(inputs, DemandAssumptions(draws=1000))
            runs.append(t[0])
        figure("population.projection_mc_1000", statistics.median(runs), "s")
        store.close()
        if args.pages:
            pages(Path(tmp), path)
    print(f"load average at the end: {os.getloadavg()}", file=sys.stderr)


PAGES = (
    "/data/inequalities/",
    "/data/inequalities/?population=65%2B",
    "/data/risk/",
    "/data/risk/?by=practice_code",
    "/data/demand/",
    "/data/demand/?view=locality",
    "/data/capitation/",
    "/data/population/",
)


def pages(tmp: Path, store: Path) -> None:
    """`population.pages` (ms): median server time of the new pages once cached, through
    Django's test client as a signed-in workstream lead (routing, governance, templates)."""
    data = tmp / "data"
    (data / "kid").mkdir(parents=True)
    (data / "kid" / "sample").symlink_to(store.resolve())
    django_on_sqlite(tmp / "bench.sqlite3", data_dir=data)
    from django.test import Client

    from stpkit.demo.data import load_purposes
    from stpkit.demo.partnership import load_partnership
    from stpkit.web.accounts.models import User

    load_partnership()
    load_purposes(analyst="bench-analyst", controller="bench-controller")
    client = Client()
    client.force_login(User.objects.create(username="bench-lead", role="workstream_lead"))
    for url in PAGES:  # first views fill the caches (model fit, Monte Carlo, segments)
        with timed() as t:
            assert client.get(url).status_code == 200, url
        print(f"  first {url}: {t[0]:.1f} s", file=sys.stderr)
    times: list[float] = []
    for _ in range(5):
        for url in PAGES:
            start = time.perf_counter()
            assert client.get(url).status_code == 200, url
            times.append((time.perf_counter() - start) * 1000)
    figure("population.pages", statistics.median(times), "ms")
    for i, url in enumerate(PAGES):
        median = statistics.median(times[i :: len(PAGES)])
        print(f"  {url}: median {median:.0f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
