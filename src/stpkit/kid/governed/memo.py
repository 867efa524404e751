"""Published figures kept per store version, so a page pays for its query once.

A store version never changes (a new build is a new version), so a figure published from
it under a disclosure policy stays right for as long as that version is live: the pages
ask for the same few hundred published cells on every view, and at full scale each
question scans tens of millions of activity rows. `per_version` keeps the *published*
result (after disclosure control, small) in this process, keyed by the store (its path
and version) and everything else the figure depends on (the policy's name, the year,
the grouping), and drops the least recently used beyond `MAX_ENTRIES` so the process's
memory stays bounded.

The governance check and the audit-log entry are not cached: every view still checks the
purpose and logs what it showed; only the arithmetic is reused. Frames are handed out as
copies, so a caller that changes one cannot change what the next reader sees.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

from stpkit.kid.pipeline.insight_store import InsightStore

T = TypeVar("T")
MAX_ENTRIES = 256
_entries: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_lock = threading.Lock()


def per_version(store: InsightStore, key: tuple[Hashable, ...], make: Callable[[], T]) -> T:
    """`make()`'s result for this store version and `key`, computed once per process."""
    full = (str(store.path), store.version, *key)
    with _lock:
        if full in _entries:
            _entries.move_to_end(full)
            return _handed_out(_entries[full])  # type: ignore[no-any-return]
    value = make()
    with _lock:
        _entries[full] = value
        _entries.move_to_end(full)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return _handed_out(value)


def forget() -> None:
    """Drop every kept figure (tests that rebuild a store under the same version)."""
    with _lock:
        _entries.clear()


def _handed_out(value: Any) -> Any:
    return value.copy() if isinstance(value, pd.DataFrame) else value
