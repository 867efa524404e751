"""A transaction that holds SQLite's write lock from its start: for a bulk writer that
shares the database with people using the app (the demo's areas loading while it serves).

SQLite has one writer at a time. A transaction in the default (deferred) mode that reads
and then writes must upgrade its read to a write; if another connection has committed in
between, SQLite refuses the upgrade at once ("database is locked") instead of waiting out
the busy timeout, and the whole load would fail because someone logged in. Begun
IMMEDIATE, the transaction waits (up to the busy timeout) for the lock before its first
statement, and then cannot be refused. Hold it only to write: work everything out first.
On other databases, and inside an outer transaction, this is plain `transaction.atomic`.

The pages' data version (`datacache`) moves at the transaction's first write and at its
commit, not on each of its thousands of statements (`datacache._bump_pending`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

__all__ = ["write_transaction"]


@contextmanager
def write_transaction() -> Iterator[None]:
    """`transaction.atomic()`, begun IMMEDIATE on SQLite (see the module's docstring)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    connection.ensure_connection()  # connecting sets the mode from the settings
    mode = getattr(connection, "transaction_mode", None)
    connection.transaction_mode = "IMMEDIATE"  # type: ignore[attr-defined]
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE: waits for the lock, then holds it
            connection.transaction_mode = mode  # type: ignore[attr-defined]
            yield
    finally:
        connection.transaction_mode = mode  # type: ignore[attr-defined]
