"""Productivity: validating a large metrics file and computing every opportunity."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

from stpkit.productivity import (
    Basis,
    opportunities,
    provider_totals,
    read_metrics,
    read_peer_groups,
)
from stpkit.productivity import kent_medway as km


def main() -> None:
    # Scale the demo up: the demo rows repeated for 50 copies of every provider (2,200
    # providers x 9 metrics = 19,800 rows), each copy its own peer group set.
    base = km.synthetic_metrics()
    peers = km.peer_group_rows()
    rows = [{**r, "provider": f"{r['provider']} #{i}"} for i in range(50) for r in base]
    groups = [
        {"provider": f"{p['provider']} #{i}", "peer_group": f"{p['peer_group']} #{i}"}
        for i in range(50)
        for p in peers
    ]
    metrics_csv, peers_csv = km.to_csv(rows), km.to_csv(groups)
    with timed() as t:
        data = read_metrics(
            metrics_csv, read_peer_groups(peers_csv, "p.csv"), km.catalogue(), "m.csv"
        )
    figure("productivity.import_20k_rows", t[0], "s")
    with timed() as t:
        totals = provider_totals(opportunities(data, km.catalogue(), Basis.UPPER_QUARTILE))
    figure("productivity.opportunity_20k_rows", t[0], "s")
    print(f"{len(data.values)} rows, {len(totals)} providers")


if __name__ == "__main__":
    main()
