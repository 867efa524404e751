"""Inserting many plain rows (a return of 60,000 staff records) without building a model
object per row.

`bulk_create` builds and prepares a Django model instance per row, which costs far more
than the database's own insert; for append-only tables of plain values loaded inside one
transaction, one parameterised INSERT run with `executemany` is the same SQL at a fraction
of the cost. Values other than plain numbers and text go through their field's
`get_db_prep_save`, so types are converted as the ORM would; no model `save()` or signals
run (callers use it only where none matter).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

__all__ = ["insert_rows"]

# Values every backend takes as they are; anything else (dates, decimals, enums) goes
# through its field's preparation.
_PLAIN = frozenset({int, float, str, bool, type(None)})


def _field(meta: Any, name: str) -> Any:
    """The field `name` names: a field of that name, or the foreign key whose attname it is."""
    for field in meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    raise ValueError(f"{meta.label} has no field {name!r}")


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """Insert `rows` (values in the order of `fields`; a foreign key by its `<name>_id`
    attname or `<name>` with the key value) into `model`'s table; returns the row count.
    Model defaults are not applied: give every column that cannot be null.
    Run it inside the caller's transaction so that a failure leaves nothing behind."""
    meta = model._meta
    columns = [_field(meta, name) for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    preps = [
        (f.target_field if isinstance(f, models.ForeignKey) else f).get_db_prep_save
        for f in columns
    ]
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            cursor.executemany(
                sql,
                [
                    tuple(
                        v if type(v) in _PLAIN else prep(v, connection)
                        for prep, v in zip(preps, row, strict=True)
                    )
                    for row in batch
                ],
            )
            count += len(batch)
    return count
