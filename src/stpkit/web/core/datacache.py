"""Computed page figures kept until the data behind them changes.

The dashboards (home, programme, productivity, decisions) compute the same figures for
every reader; under many readers that repeated work is most of a request. `cached(name,
compute)` keeps a figure in Django's cache under the current *data version* and computes
it again only after a write.

The data version must be shared by every server process (gunicorn runs several), so it
lives in a small file in the data directory, replaced with a new random token whenever any
process writes to the app database: a wrapper on every database connection
sees each INSERT, UPDATE, DELETE or TRUNCATE (saves, bulk creates, queryset updates and raw
SQL alike, so no code path can forget to invalidate) and replaces the file at once (at a
transaction's first write) and again when the transaction commits, so a figure computed
between the write and the commit is not kept under the new version. Writes that do not
change what the pages show (the session store, login throttling, a login's `last_login`)
are ignored, so a login keeps every figure. Figures also expire after CACHE_SECONDS, a
bound on staleness for a write made outside the app (for example with psql).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

T = TypeVar("T")
# read_since_bump: this thread has read the version since it last moved it
_THIS_THREAD = threading.local()
CACHE_SECONDS = 300
WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)', re.I
)
# Tables written on every request or login that no cached figure reads.
SAFE_NAME = re.compile(r"[\w.:,()+-]+")
IGNORED_TABLES = frozenset(
    {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
)
# A login's own write (`update_last_login` saves that one field): no page shows it.
LOGIN_WRITE = re.compile(
    r'^\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE\b', re.I
)


def version_file() -> Path:
    return Path(settings.STPKIT.data_dir) / "web-data-version"


def data_version() -> str:
    """The current data version: a new one after every write by any process."""
    try:
        version = version_file().read_text()
    except FileNotFoundError:
        version = bump()
    _THIS_THREAD.read_since_bump = True
    return version


def bump() -> str:
    """Give the data a new version; the file is replaced whole, so readers never see half."""
    path = version_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(token)
    os.replace(tmp, path)
    _THIS_THREAD.read_since_bump = False
    return token


def writes_table(sql: str) -> str | None:
    """The table an SQL statement writes to, or None for a read."""
    match = WRITE.match(sql)
    return match.group(1).split(".")[-1].lower() if match else None


def moves_version(sql: str) -> bool:
    """Whether an SQL statement can change what a page shows: any write except those of a
    login and its session (which used to drop every cached figure at each login)."""
    table = writes_table(sql)
    return table is not None and table not in IGNORED_TABLES and not LOGIN_WRITE.match(sql)


def _watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    result = execute(sql, params, many, context)
    if moves_version(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            bump()
        else:
            pending = _bump_pending(connection)
            if not pending or getattr(_THIS_THREAD, "read_since_bump", True):
                bump()
            if not pending:
                transaction.on_commit(bump, using=connection.alias)
    return result


def _bump_pending(connection: BaseDatabaseWrapper) -> bool:
    """Whether this transaction has already moved the version and will again at commit.

    Inside a transaction a write moves the version only if it is the transaction's first or
    this thread has read the version since the last move (a figure it keeps may then hold
    the transaction's own earlier writes). Other processes cannot read the writes before the
    commit, whose move supersedes anything they keep meanwhile. Moving on every statement
    replaced the file thousands of times in one bulk load (54 s of a demo area's load on a
    busy machine, all of it holding the write lock). A savepoint rolled back drops its
    callbacks, so a later write in the outer transaction registers again."""
    return any(entry[1] is bump for entry in connection.run_on_commit)


def watch_connection(connection: BaseDatabaseWrapper, **_: Any) -> None:
    """Install the write watcher on a database connection (once; `connection_created`)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def _safe(name: str) -> str:
    """A cache key any backend takes (memcached refuses spaces, control characters and keys
    over 250 characters): a long or unusual name becomes its digest."""
    if len(name) <= 160 and SAFE_NAME.fullmatch(name):
        return name
    return "h" + hashlib.sha256(name.encode()).hexdigest()


def cached(name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result, reused until the data changes (or CACHE_SECONDS pass)."""
    key = f"stpkit.figures:{_safe(name)}:{data_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value  # type: ignore[no-any-return]
