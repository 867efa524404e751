"""Bounds on what one serving process's store connection may use.

DuckDB by default takes 80% of the machine's memory and every core for each connection;
a web process that answers pages from a full-scale store (1.8M people, tens of millions of
activity rows) then grows to many gigabytes on the first views after a store version
changes, and several such processes exhaust a shared machine. `bound` caps the store's
connection: a memory limit (DuckDB spills joins and aggregates beyond it to `temp_dir`
rather than failing) and a thread count. The pages' heavy figures are computed once per
store version (`memo.per_version`, the per-version Parquet tables), so the cap costs the
first views a little time and no later one.
"""

from __future__ import annotations

import re
from pathlib import Path

from stpkit.kid.errors import StoreError
from stpkit.kid.pipeline.insight_store import InsightStore

MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$", re.I)


def bound(store: InsightStore, memory_limit: str, threads: int, temp_dir: Path) -> InsightStore:
    """Cap `store`'s connection (every cursor shares it) at `memory_limit` and `threads`."""
    if not MEMORY.match(memory_limit.strip()):
        raise StoreError(
            f"store memory limit {memory_limit!r}: give a number and a unit, e.g. '1GB'"
        )
    if threads < 1:
        raise StoreError(f"store threads {threads}: give 1 or more")
    temp_dir.mkdir(parents=True, exist_ok=True)
    store.con.execute(f"SET memory_limit = '{memory_limit.strip()}'")
    store.con.execute(f"SET threads = {int(threads)}")
    store.con.execute("SET temp_directory = ?", [str(temp_dir)])
    return store
