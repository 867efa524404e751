"""One door to HiGHS for every engine that solves a mixed-integer programme.

HiGHS runs its MIP on one process-wide thread pool, sized by the `threads` option of the
first solve; a later solve asking for another size is refused by HiGHS (run status error,
model status "not set"). Two engines (stroke site choice, the enablers' portfolio) solve
in the same process (the web app, the test suite), so the pool must be managed in one
place: `run` rebuilds it when the size asked for changes and runs one solve at a time, so
that no pool is rebuilt under a running solve.
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.Lock()
_pool_threads: int | None = None


def run(h: Any, threads: int = 0) -> Any:
    """Run the `highspy.Highs` model `h` on a pool of `threads` threads (0: HiGHS chooses);
    returns HiGHS's run status."""
    import highspy

    global _pool_threads
    with _LOCK:
        if _pool_threads is not None and _pool_threads != threads:
            highspy.Highs.resetGlobalScheduler(True)
        h.setOptionValue("threads", int(threads))
        status = h.run()
        _pool_threads = threads
    return status
