"""Differencing protection: the release ledger and the check against earlier releases.

Two allowed answers over nested populations can reveal a small group by subtraction even
when every published cell passes the disclosure policy. Every release's raw cell counts
(and which cells were shown) are kept in a ledger inside the pseudonymised zone; a new
answer's cells are suppressed where, summed onto the dimensions the two releases share,
it and an earlier nested release differ by 1 to the policy's threshold. Places named by
different dimensions (a locality, or its LSOAs but one) are resolved to the LSOAs they
cover first, so the nesting is seen whatever the names (module docstring of `query`).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from stpkit.disclosure import DisclosurePolicy
from stpkit.kid.governed.aggregate import AggregateQuery
from stpkit.kid.pipeline.insight_store import InsightStore


def threshold_of(policy: DisclosurePolicy) -> int:
    return int(getattr(policy, "threshold", 6))


@dataclass
class Release:
    """An earlier answer as the ledger keeps it: raw people per cell, and which were shown."""

    query: AggregateQuery
    cells: dict[tuple[str, ...], int]
    released: set[tuple[str, ...]] | None = None  # None: every cell was released

    def released_cells(self) -> dict[tuple[str, ...], int]:
        if self.released is None:
            return self.cells
        return {k: v for k, v in self.cells.items() if k in self.released}


@dataclass
class ReleaseLedger:
    """Raw cell counts of every released query, kept in the pseudonymised zone."""

    path: Path

    def releases(self, table: str, version: str) -> list[Release]:
        if not self.path.exists():
            return []
        out = []
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["table"] != table or r["version"] != version:
                    continue
                q = AggregateQuery(
                    r["table"], tuple(r["group_by"]), tuple((d, tuple(v)) for d, v in r["filters"])
                )
                # A cell is [key, raw people, released?]; older lines lack the flag (released).
                cells = {tuple(c[0]): int(c[1]) for c in r["cells"]}
                shown = {tuple(c[0]) for c in r["cells"] if len(c) < 3 or c[2]}
                out.append(Release(q, cells, shown))
        return out

    def record(
        self,
        q: AggregateQuery,
        version: str,
        raw: Mapping[tuple[str, ...], int],
        released: Iterable[tuple[str, ...]] | None = None,
    ) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        shown = set(raw) if released is None else set(released)
        line = json.dumps(
            {
                "table": q.table,
                "group_by": list(q.group_by),
                "filters": [[d, list(v)] for d, v in q.filters],
                "version": version,
                "cells": [[list(k), v, k in shown] for k, v in raw.items()],
            }
        )
        with self.path.open("a", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(line + "\n")
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Geography:
    """Which locality each LSOA lies in (from the store), to resolve places named differently."""

    locality_of: Mapping[str, str]

    @classmethod
    def of(cls, store: InsightStore) -> Geography:
        """Read once per store version (a version never changes), not once per query."""
        key = (str(store.path), store.version)
        cached = _GEOGRAPHIES.get(key)
        if cached is None:
            rows = store.con.execute(
                "SELECT DISTINCT lsoa_code, locality FROM person WHERE lsoa_code IS NOT NULL"
            ).fetchall()
            cached = _GEOGRAPHIES[key] = cls({str(lsoa): str(loc) for lsoa, loc in rows})
        return cached

    def lsoas_in(self, localities: Iterable[str]) -> frozenset[str]:
        wanted = set(localities)
        return frozenset(code for code, loc in self.locality_of.items() if loc in wanted)


NO_GEOGRAPHY = Geography({})
_GEOGRAPHIES: dict[tuple[str, str], Geography] = {}
_PLACE_DIMENSIONS = ("lsoa_code", "locality")


def resolved_filters(
    q: AggregateQuery, geography: Geography = NO_GEOGRAPHY
) -> dict[str, frozenset[str]]:
    """The query's filters with every place filter resolved to one set of LSOAs."""
    filters = {d: frozenset(v) for d, v in q.filters}
    if not geography.locality_of or not any(d in filters for d in _PLACE_DIMENSIONS):
        return filters
    lsoas = filters.pop("lsoa_code", None)
    localities = filters.pop("locality", None)
    if localities is not None:
        in_localities = geography.lsoas_in(localities)
        lsoas = in_localities if lsoas is None else lsoas & in_localities
    assert lsoas is not None
    filters["lsoa_code"] = lsoas
    return filters


def population_within(
    q: AggregateQuery, other: AggregateQuery, geography: Geography = NO_GEOGRAPHY
) -> bool:
    """True if q's population is contained in other's, whatever dimensions name the places."""
    mine = resolved_filters(q, geography)
    for dim, values in resolved_filters(other, geography).items():
        if dim not in mine or not mine[dim] <= values:
            return False
    return True


def _shared_keys(
    q: AggregateQuery, prior: AggregateQuery, geography: Geography
) -> tuple[list[str], list[str]]:
    """Dimensions to compare the two releases on: each side's name for each shared one.

    Where one groups by LSOA and the other by locality, both are compared by locality.
    """
    mine, theirs = [], []
    for d in q.group_by:
        if d in prior.group_by:
            mine.append(d)
            theirs.append(d)
    if geography.locality_of:
        if "lsoa_code" in q.group_by and "locality" in prior.group_by and "locality" not in mine:
            mine.append("lsoa_code>locality")
            theirs.append("locality")
        if "locality" in q.group_by and "lsoa_code" in prior.group_by and "locality" not in mine:
            mine.append("locality")
            theirs.append("lsoa_code>locality")
    return mine, theirs


def _lifter(
    group_by: Sequence[str], onto: Sequence[str], geography: Geography
) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    """Map a cell key of a release grouped by `group_by` onto the shared dimensions."""
    positions = {d: i for i, d in enumerate(group_by)}

    def part(key: tuple[str, ...], dim: str) -> str:
        if dim == "lsoa_code>locality":
            return geography.locality_of.get(key[positions["lsoa_code"]], "")
        return key[positions[dim]]

    return lambda key: tuple(part(key, d) for d in onto)


def _lifted_marginal(
    cells: Mapping[tuple[str, ...], int], lift: Callable[[tuple[str, ...]], tuple[str, ...]]
) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    for key, v in cells.items():
        k = lift(key)
        out[k] = out.get(k, 0) + v
    return out


def differencing_risks(
    q: AggregateQuery,
    raw: Mapping[tuple[str, ...], int],
    earlier: Iterable[Release | tuple[AggregateQuery, Mapping[tuple[str, ...], int]]],
    threshold: int,
    suppressed: Iterable[tuple[str, ...]] = (),
    geography: Geography = NO_GEOGRAPHY,
) -> set[tuple[str, ...]]:
    """Keys of cells of `q` that an earlier nested release would expose (1..threshold people).

    `suppressed` are the cells of `q` its policy hides anyway: they are left out of its
    released sums, so a total set against the released cells of a finer grouping is caught.
    With a `geography`, places named by different dimensions are compared as the LSOAs
    they cover (see the module docstring).
    """
    hidden = set(suppressed)
    mine_released = {k: v for k, v in raw.items() if k not in hidden}
    risky: set[tuple[str, ...]] = set()
    for item in earlier:
        release = item if isinstance(item, Release) else Release(item[0], dict(item[1]))
        prior = release.query
        if prior == q or not (
            population_within(q, prior, geography) or population_within(prior, q, geography)
        ):
            continue
        mine_dims, their_dims = _shared_keys(q, prior, geography)
        lift_mine = _lifter(q.group_by, mine_dims, geography)
        mine = _lifted_marginal(mine_released, lift_mine)
        theirs = _lifted_marginal(
            release.released_cells(), _lifter(prior.group_by, their_dims, geography)
        )
        bad = {
            k
            for k in set(mine) | set(theirs)
            if 0 < abs(mine.get(k, 0) - theirs.get(k, 0)) <= threshold
        }
        if not bad:
            continue
        risky.update(key for key in raw if lift_mine(key) in bad)
    return risky
