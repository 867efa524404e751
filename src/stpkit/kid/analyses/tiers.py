"""Local care tiers (seed 004): practices grouped into contiguous tiers within population bounds.

The straw-man system model groups GP practices into extended practices (20-60k registered),
community hubs (50-200k) and accountable care footprints (400-800k). Each tier is built from
the one below, so a hub is whole extended practices and a footprint whole hubs.

*Contiguity*: practices are neighbours when they share an edge of the Delaunay
triangulation of their locations (the population-weighted centre of their patients' LSOAs);
groups are neighbours when any of their members are. Every group is connected in that graph.

*Algorithm* (greedy region growing, then repair): start from the unit farthest from the
centre of those left (so the periphery is not stranded), add the neighbouring unit nearest
the region's centre while the total stays within the upper bound, and stop once it reaches
the lower bound. A region left below the lower bound is merged into the smallest
neighbouring region that stays within the upper bound. What cannot be fixed (a single
practice above the upper bound, an island below the lower one) is kept and flagged with its
reason, never silently dropped: every practice is in exactly one group at each tier.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import Delaunay, QhullError

TIER_BOUNDS: tuple[tuple[str, str, int, int], ...] = (
    ("extended_practice", "Extended practice", 20_000, 60_000),
    ("community_hub", "Community hub", 50_000, 200_000),
    ("accountable_care", "Accountable care footprint", 400_000, 800_000),
)


@dataclass
class Unit:
    name: str
    population: float
    x: float
    y: float
    practices: list[str]


@dataclass
class Group:
    tier: str
    name: str
    practices: list[str]
    parts: list[str]
    population: float
    x: float
    y: float
    problem: str = ""

    @property
    def within_bounds(self) -> bool:
        return not self.problem


@dataclass
class Tiers:
    groups: dict[str, list[Group]] = field(default_factory=dict)

    def assignment(self) -> pd.DataFrame:
        """One row per practice with the group it belongs to at each tier."""
        rows: dict[str, dict[str, str]] = {}
        for tier, groups in self.groups.items():
            for g in groups:
                for p in g.practices:
                    rows.setdefault(p, {"practice_code": p})[tier] = g.name
        return pd.DataFrame(list(rows.values()))


def adjacency(xs: np.ndarray, ys: np.ndarray) -> list[set[int]]:
    """Delaunay neighbours; for fewer than 4 points (or collinear ones) a chain by position."""
    n = len(xs)
    adj: list[set[int]] = [set() for _ in range(n)]
    points = np.column_stack([xs, ys]).astype(float)
    try:
        if n < 4:
            raise QhullError("too few points")
        jitter = np.random.default_rng(0).normal(0, 1e-6, points.shape)
        tri = Delaunay(points + jitter)
        for simplex in tri.simplices:
            for i in simplex:
                adj[i].update(int(j) for j in simplex if j != i)
    except QhullError:
        order = np.lexsort((ys, xs))
        for a, b in itertools.pairwise(order):
            adj[a].add(int(b))
            adj[b].add(int(a))
    return adj


def connected(members: Sequence[int], adj: list[set[int]]) -> bool:
    if not members:
        return False
    todo, seen, allowed = [members[0]], {members[0]}, set(members)
    while todo:
        for j in adj[todo.pop()] & allowed - seen:
            seen.add(j)
            todo.append(j)
    return seen == allowed


def grow_regions(units: list[Unit], adj: list[set[int]], lo: float, hi: float) -> list[list[int]]:
    """Partition unit indices into connected regions, aiming for lo <= population <= hi."""
    pop = np.array([u.population for u in units])
    xy = np.array([[u.x, u.y] for u in units])
    left = set(range(len(units)))
    regions: list[list[int]] = []
    while left:
        rest = sorted(left)
        centre = np.average(xy[rest], axis=0, weights=pop[rest] + 1e-9)
        seed = rest[int(np.argmax(np.hypot(*(xy[rest] - centre).T)))]
        region, total = [seed], pop[seed]
        left.discard(seed)
        while total < lo:
            frontier = {j for i in region for j in adj[i]} & left
            fits = [j for j in frontier if total + pop[j] <= hi]
            if not fits:
                break
            c = np.average(xy[region], axis=0, weights=pop[region] + 1e-9)
            best = min(fits, key=lambda j: float(np.hypot(*(xy[j] - c))))
            region.append(best)
            total += pop[best]
            left.discard(best)
        regions.append(region)
    # Repair: merge regions below `lo` into the smallest neighbour that stays within `hi`.
    changed = True
    while changed:
        changed = False
        totals = [pop[r].sum() for r in regions]
        owner = {i: k for k, r in enumerate(regions) for i in r}
        for k, r in enumerate(regions):
            if totals[k] >= lo or not r:
                continue
            neighbours = {owner[j] for i in r for j in adj[i]} - {k}
            fits = [m for m in neighbours if regions[m] and totals[m] + totals[k] <= hi]
            if fits:
                m = min(fits, key=lambda m: totals[m])
                regions[m] = regions[m] + r
                regions[k] = []
                changed = True
                break
        regions = [r for r in regions if r]
    return regions


def _level(
    units: list[Unit], tier: str, title: str, lo: int, hi: int, prefix: str
) -> tuple[list[Group], list[Unit]]:
    adj = adjacency(np.array([u.x for u in units]), np.array([u.y for u in units]))
    regions = grow_regions(units, adj, lo, hi)
    regions.sort(
        key=lambda r: (-np.mean([units[i].y for i in r]), np.mean([units[i].x for i in r]))
    )
    groups, next_units = [], []
    for k, r in enumerate(regions, start=1):
        members = [units[i] for i in r]
        total = float(sum(u.population for u in members))
        w = np.array([u.population for u in members]) + 1e-9
        x = float(np.average([u.x for u in members], weights=w))
        y = float(np.average([u.y for u in members], weights=w))
        practices = [p for u in members for p in u.practices]
        problem = ""
        if total < lo:
            problem = f"{total:,.0f} registered, below {lo:,}: no neighbour has room for it"
        elif total > hi:
            problem = f"{total:,.0f} registered, above {hi:,}: {members[0].name} alone exceeds it"
        name = f"{prefix}{k:02d}"
        groups.append(Group(tier, name, practices, [u.name for u in members], total, x, y, problem))
        next_units.append(Unit(name, total, x, y, practices))
    return groups, next_units


def local_care_tiers(practices: pd.DataFrame, scale: float = 1.0) -> Tiers:
    """Group practices (practice_code, population, x, y) into the three tiers.

    `scale` multiplies populations first, e.g. to take a sampled store up to the real
    registered population.
    """
    missing = {"practice_code", "population", "x", "y"} - set(practices.columns)
    if missing:
        raise ValueError(f"practices need columns {sorted(missing)}")
    units = [
        Unit(code, pop * scale, x, y, [code])
        for code, pop, x, y in zip(
            practices.practice_code.astype(str),
            practices.population.to_numpy(dtype=float),
            practices.x.to_numpy(dtype=float),
            practices.y.to_numpy(dtype=float),
            strict=True,
        )
    ]
    out = Tiers()
    prefixes = {"extended_practice": "EP", "community_hub": "HUB", "accountable_care": "ACF"}
    for tier, title, lo, hi in TIER_BOUNDS:
        groups, units = _level(units, tier, title, lo, hi, prefixes[tier])
        out.groups[tier] = groups
    return out


def practice_locations(store_con: object) -> pd.DataFrame:
    """Practices with registered population and the population-weighted centre of their LSOAs.

    `store_con` is an `InsightStore.con`; LSOA centroids come from the reference data.
    """
    from stpkit.reference import get_reference

    lsoas = get_reference().lsoas("England")[["lsoa_code", "easting", "northing"]]
    counts = store_con.execute(  # type: ignore[attr-defined]
        "SELECT practice_code, lsoa_code, count(*) AS n FROM person GROUP BY ALL"
    ).df()
    merged = counts.merge(lsoas, on="lsoa_code", how="inner")
    merged["wx"] = merged.easting * merged.n
    merged["wy"] = merged.northing * merged.n
    g = merged.groupby("practice_code").agg(
        population=("n", "sum"), wx=("wx", "sum"), wy=("wy", "sum")
    )
    g["x"] = g.wx / g.population
    g["y"] = g.wy / g.population
    return g[["population", "x", "y"]].reset_index()
