"""How long each demo area holds SQLite's write lock: `demo.write_lock.<area>` (seconds).

`stpkit demo` serves while its slower areas load in a background thread, and every
login writes (the session, the last login). SQLite has one writer at a time: a write
waits at most the busy timeout (30 s) for another's transaction, so an area whose load
held the write lock longer than that made logins fail. Each area loads in one
transaction (all or nothing); this measures, on a fresh file database like the demo's,
the time from that transaction's first write (or its BEGIN IMMEDIATE) to its commit (the
span in which SQLite holds the write lock), and the area's whole load time
(`demo.load.<area>`) beside it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure

# what takes the write lock: a write, or a transaction begun IMMEDIATE (the demo's own)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "BEGIN IMMEDIATE")


class FirstWrite:
    """An execute wrapper noting when the current transaction first wrote."""

    def __init__(self) -> None:
        self.at: float | None = None

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self.at is None and sql.lstrip()[:16].upper().startswith(WRITES):
            self.at = time.perf_counter()
        return execute(sql, params, many, context)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="stpkit-demo-lock-") as data:
        os.environ["STPKIT_DATA_DIR"] = data
        os.environ["DATABASE_URL"] = f"sqlite:///{data}/app.db"
        os.environ.setdefault("STPKIT_DEMO_AS_AT", "2018-03-05")
        from stpkit.cli.django_setup import setup_django

        setup_django()
        from django.db import connection

        from stpkit.demo import AREAS, load_demo
        from stpkit.web.core.schema import migrate

        migrate()
        longest = ("", 0.0)
        for area in AREAS:
            first = FirstWrite()
            start = time.perf_counter()
            with connection.execute_wrapper(first):
                load_demo(areas=(area,))
            end = time.perf_counter()
            held = end - first.at if first.at is not None else 0.0
            figure(f"demo.load.{area}", end - start, "s")
            figure(f"demo.write_lock.{area}", held, "s")
            longest = max(longest, (area, held), key=lambda x: x[1])
        print(f"longest write transaction: {longest[0]} {longest[1]:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
