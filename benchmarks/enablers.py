"""Enabling workstreams: importing the estates and workforce returns of a 20-organisation
partnership (500 buildings, 60,000 staff records), the five-year workforce projection, and
the exact portfolio choice over 300 initiatives."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

from stpkit.enablers import Baseline, choose, parse_estates, parse_workforce, project, summarise
from stpkit.enablers.synthetic import estates_return, initiatives, organisations, workforce_return


def main() -> None:
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
    figure("enablers.import", t[0], "s")
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


if __name__ == "__main__":
    main()
