"""Print benchmark figures in the one form `make bench` uses: a JSON object per line."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager


def figure(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 4), "unit": unit}), flush=True)


@contextmanager
def timed() -> Iterator[list[float]]:
    """Measure wall time in seconds: `with timed() as t: ...; t[0]`."""
    holder: list[float] = [0.0]
    start = time.perf_counter()
    yield holder
    holder[0] = time.perf_counter() - start
