"""Gunicorn server hooks (`--config python:stpkit.web.config.gunicorn_hooks`).

Each worker opens the public reference data (a DuckDB database of LSOAs, stroke units and
travel times; a few seconds of CPU) after it is forked and before it takes its first
request. Opened on first use instead, every worker's first home page waited for it, and
the readers behind it with them: under 50 users that wait was a large part of the slowest
requests. It is not opened in the master before the fork, because a DuckDB connection and
its threads do not survive a fork.
"""

from __future__ import annotations

from typing import Any


def post_fork(server: Any, worker: Any) -> None:
    from stpkit.reference import get_reference

    get_reference()
