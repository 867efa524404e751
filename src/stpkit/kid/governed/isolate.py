"""Heavy one-off work of a large store done in a child process, so a serving process stays small.

Building a store version's per-person table (`dashboards.segments_table`) or fitting the
risk model (`risk.published_risk`) holds a row per person in pandas: at full scale
(1.8M people) that is gigabytes, which a web process would keep as its high-water mark
for the rest of its life. Done in a child process, the memory is returned to the machine
when the child ends, and only the result comes back (a Parquet file on disk, or a small
summary). Stores of fewer than `ISOLATE_PEOPLE` people do the work in-process: there the
cost of starting a Python interpreter would dominate.

The child opens the store from its path and checks that it sees the same version as the
parent; if not (a new build landed in between), it does nothing and the caller works
in-process on the version it holds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from stpkit.kid.pipeline.insight_store import InsightStore, open_store

T = TypeVar("T")
ISOLATE_PEOPLE = 250_000


def worth_isolating(store: InsightStore) -> bool:
    return store.people() >= ISOLATE_PEOPLE


def in_child(store: InsightStore, work: Callable[..., T], *args: Any) -> T | None:
    """`work(child_store, *args)` in a fresh interpreter on the same store version (None
    when the child sees another version). `work` must be a module-level function."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        result: T | None = pool.apply(_run, (store.path, store.version, work, args))
    return result


def _run(path: Path, version: str, work: Callable[..., T], args: tuple[Any, ...]) -> T | None:
    store = open_store(path)
    try:
        if store.version != version:
            return None
        return work(store, *args)
    finally:
        store.close()
