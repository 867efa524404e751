"""Who changed what and when, and refusing a save that would overwrite someone else's edit.

Models that people edit inherit `Versioned`; views save them with `audited_save`, which
records every changed field (before and after) in `ChangeRecord` and refuses the second of
two concurrent edits with `StaleEditError` instead of silently overwriting the first.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from stpkit.web.core.models import ChangeRecord

SavedModel = TypeVar("SavedModel", bound=models.Model)


class StaleEditError(Exception):
    """Someone else saved this item after the user opened it."""


class Versioned(models.Model):
    """An edit counter for optimistic locking; forms carry it in a hidden field.

    Any model with an integer `version` field is treated the same way by `audited_save`.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The current value of every concrete, editable field, as JSON-friendly values."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in ("id", "version") or not field.editable:
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(obj, field.name)
            values[field.name] = str(related) if related is not None else None
        else:
            values[field.name] = _plain(getattr(obj, field.attname))
    return values


def record_change(
    user: Any,
    obj: models.Model,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str = "",
) -> ChangeRecord | None:
    changes = {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
    if not changes and action == "update":
        return None
    from stpkit.web.core import history_chain

    signed_in = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        record = ChangeRecord.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action=action,
            changes=changes,
            user=signed_in,
            user_name=signed_in.get_username() if signed_in is not None else "",
            reason=reason,
        )
        history_chain.append(record)
    return record


def audited_save(
    obj: SavedModel,
    user: Any,
    *,
    expected_version: int | None = None,
    reason: str = "",
) -> SavedModel:
    """Create or update `obj`, recording the change; refuse a stale update.

    `expected_version` is the version the user's form was built from; if the row in the
    database has moved on, nobody's work is overwritten and StaleEditError says who did.
    """
    model = type(obj)
    with transaction.atomic():
        if obj.pk is None:
            obj.save()
            record_change(user, obj, "create", {}, snapshot(obj), reason)
            return obj
        current = model.objects.select_for_update().get(pk=obj.pk)  # type: ignore[attr-defined]
        versioned = hasattr(current, "version")
        _refuse_stale(current, expected_version, "Your changes were not saved")
        before = snapshot(current)
        if versioned:
            obj.version = current.version + 1  # type: ignore[attr-defined]
        obj.save()
        record_change(user, obj, "update", before, snapshot(obj), reason)
        return obj


def audited_delete(
    obj: models.Model, user: Any, reason: str = "", *, expected_version: int | None = None
) -> None:
    """Delete `obj`, recording the row as it stands; refuse if someone removed it already
    or, given `expected_version`, changed it after the user opened it (nothing deleted)."""
    with transaction.atomic():
        rows = type(obj).objects.select_for_update()  # type: ignore[attr-defined]
        current = rows.filter(pk=obj.pk).first()
        if current is None:
            raise StaleEditError(f"{obj} was removed by someone else after you opened it")
        _refuse_stale(current, expected_version, "It was not removed")
        record_change(user, current, "delete", snapshot(current), {}, reason)
        current.delete()


def _refuse_stale(current: models.Model, expected_version: int | None, outcome: str) -> None:
    """Raise StaleEditError if the row has moved on from the version the user opened."""
    if (
        expected_version is None
        or getattr(current, "version", expected_version) == expected_version
    ):
        return
    last = history_for(current).first()
    who = f" by {last.user_display}" if last else ""
    when = f" at {last.at:%H:%M on %d %b %Y}" if last else ""
    raise StaleEditError(
        f"{current} was changed{who}{when} after you opened it. "
        f"{outcome}: reload the page to see the latest version."
    )


def history_for(obj: models.Model) -> models.QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")


__all__ = [
    "StaleEditError",
    "Versioned",
    "audited_delete",
    "audited_save",
    "history_for",
    "record_change",
    "snapshot",
]
