"""Enabling workstreams: importing the estates and workforce returns of a 20-organisation
partnership (500 buildings, 60,000 staff records) into the web app's database (reading,
checking and loading, as an upload does), the five-year workforce projection, the exact
portfolio choice over 300 initiatives (the stated instance, and eight more generated ones,
so one easy instance does not speak for all), and each enablers page's median time.

Data: the project's synthetic returns in the national shapes (`stpkit.enablers.synthetic`),
on SQLite in a temporary folder.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _django import django_on_sqlite, median_ms
from _figures import figure, timed

from stpkit.enablers import Baseline, choose, parse_estates, parse_workforce, project, summarise
from stpkit.enablers.synthetic import estates_return, initiatives, organisations, workforce_return

REPEATS = 11
PAGES = {
    "enablers_dashboard": "/programme/enablers/",
    "enablers_estates": "/programme/enablers/estates/",
    "enablers_buildings": "/programme/enablers/estates/buildings/",
    "enablers_workforce": "/programme/enablers/workforce/",
    "enablers_projection": "/programme/enablers/workforce/projection/",
    "enablers_capital": "/programme/enablers/capital/",
    "enablers_portfolio": "/programme/enablers/portfolio/",
}


def engine_figures() -> None:
    orgs = organisations(20)
    codes = {c for c, _, _ in orgs}
    sites, buildings = estates_return(orgs, buildings=500)
    staff, measures = workforce_return(orgs, staff=60_000)
    with timed() as t:
        e = parse_estates(
            ("sites.csv", sites), ("buildings.csv", buildings), year=2017, organisations=codes
        )
        w = parse_workforce(
            ("staff.csv", staff), ("measures.csv", measures), year=2017, organisations=codes
        )
    figure("enablers.import_read", t[0], "s")
    print(f"{len(orgs)} organisations, {len(e.buildings)} buildings, {len(w.records)} staff")
    with timed() as t:
        rows = [r for r in summarise(w.records, w.measures) if r.organisation == "*"]
        base = {
            r.staff_group: Baseline(r.wte, r.wte * r.near_retirement_share, r.vacancies_wte)
            for r in rows
        }
        p = project(base, {}, years=5)
    figure("enablers.workforce_projection", t[0], "s")
    print(f"{len(p.rows)} group-years projected")
    items, limits = initiatives(300)
    with timed() as t:
        choice = choose(items, limits)
    figure("enablers.portfolio_300", t[0], "s")
    print(
        f"{len(choice.chosen)} of 300 chosen, value {choice.value:,.0f}, "
        f"status {choice.status}, proven optimal: {choice.proven_optimal}"
    )
    seconds = []
    for seed in range(4, 12):
        items, limits = initiatives(300, seed=seed)
        with timed() as t:
            c = choose(items, limits)
        seconds.append(t[0])
        print(f"  instance seed {seed}: {t[0]:.2f} s, proven optimal: {c.proven_optimal}")
    figure("enablers.portfolio_300_median_of_8", statistics.median(seconds), "s")
    figure("enablers.portfolio_300_max_of_8", max(seconds), "s")


def web_figures() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        django_on_sqlite(Path(tmp) / "bench.sqlite3")
        from django.test import Client

        import stpkit.demo.enablers as demo
        from stpkit.demo import partnership, programme
        from stpkit.web.accounts.models import User
        from stpkit.web.enablers import loading
        from stpkit.web.enablers.models import Organisation

        partnership.load()
        programme.load()
        orgs = organisations(20)
        for code, name, kind in orgs:
            Organisation.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
        sites, buildings = estates_return(orgs, buildings=500)
        staff, measures = workforce_return(orgs, staff=60_000)
        with timed() as t:
            loading.import_estates(
                sites=("sites.csv", sites), buildings=("buildings.csv", buildings), year=2017,
                user=None,
            )  # fmt: skip
            loading.import_workforce(
                staff=("staff.csv", staff), measures=("measures.csv", measures), year=2017,
                user=None,
            )  # fmt: skip
        figure("enablers.import", t[0], "s")
        print("(read, checked and loaded into SQLite, one transaction per return)")
        demo.load()  # the rest of the demo (capital, portfolio, requests) on top
        user = User.objects.create(username="bench-board", role="board_member")
        client = Client()
        client.force_login(user)
        for name, url in PAGES.items():
            figure(f"web.page.{name}", median_ms(client, url, repeats=REPEATS), "ms")


def main() -> None:
    print(f"load average before: {os.getloadavg()}")
    engine_figures()
    web_figures()
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
