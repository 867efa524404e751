"""Human labels for values that would otherwise reach people as internal codes.

One place for the words the templates show: RAG ratings, dates and times, hospital
settings, field names in the change history, counts with their noun. Each function is a
Jinja filter (registered in `config.jinja2env`), so a template writes
`{{ value | rag_label }}` rather than showing `amber_red` or an ISO timestamp.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

RAG_LABELS = {
    "green": "Green",
    "amber_green": "Amber/green",
    "amber": "Amber",
    "amber_red": "Amber/red",
    "red": "Red",
    "not_rated": "Not rated",
    "blue": "Blue (complete)",
}
SETTING_LABELS = {
    "ae": "A&E attendances",
    "apc": "Admitted patient care",
    "op": "Outpatient appointments",
    "gp": "GP appointments",
    "community": "Community care",
    "mental_health": "Mental health",
    "social_care": "Social care",
}
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def human_date(value: date | datetime | str | None) -> str:
    """`5 March 2018` (a datetime in the app's time zone); "–" for nothing."""
    if value in (None, ""):
        return "–"
    if isinstance(value, str):
        parsed = _parse(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def human_datetime(value: date | datetime | str | None) -> str:
    """`5 March 2018, 10:00` in the app's time zone; "–" for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        parsed = _parse(value)
        if parsed is None:
            return value
        value = parsed
    if not isinstance(value, datetime):
        return human_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.day} {local:%B %Y, %H:%M}"


def _parse(text: str) -> date | datetime | None:
    text = text.strip()
    if _ISO_DATE.match(text):
        return date.fromisoformat(text)
    if _ISO_DATETIME.match(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return None


def rag_label(code: str | None) -> str:
    """`Amber/red` for `amber_red`; other values pass through with the first letter capital."""
    if not code:
        return "Not rated"
    return RAG_LABELS.get(str(code), code_label(code))


def setting_label(code: str | None) -> str:
    """`Admitted patient care` for `apc`."""
    if not code:
        return "–"
    return SETTING_LABELS.get(str(code).lower(), str(code))


def code_label(code: Any) -> str:
    """A snake_case code or field name as words: `q4_comments` becomes `Q4 comments`."""
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def history_value(value: Any) -> str:
    """A before or after value in the change history, as a person would write it."""
    if value in (None, ""):
        return "–"
    if isinstance(value, (date, datetime)):
        return human_datetime(value) if isinstance(value, datetime) else human_date(value)
    text = str(value)
    if text in RAG_LABELS:
        return RAG_LABELS[text]
    parsed = _parse(text)
    if parsed is not None:
        return human_datetime(parsed) if isinstance(parsed, datetime) else human_date(parsed)
    if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", text):
        return code_label(text)
    return text


def whole(value: float | Decimal | None) -> str:
    """A count people read as whole: `1,101` for 1101.3 (rounded), "–" for nothing."""
    if value is None:
        return "–"
    return f"{round(float(value)):,}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 pass`, `3 passes`: a number with its noun in the right number."""
    word = noun if n == 1 else (plural or _plural(noun))
    return f"{n:,} {word}"


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def change_items(record: Any) -> list[tuple[str, str, str]]:
    """A change record's fields as (label, before, after) in words.

    The label is the model field's verbose name and a choice shows its display text (the
    record keeps the stored values, `amber_red`, for the hash chain); other values go
    through `history_value`.
    """
    model = record.content_type.model_class() if record.content_type_id else None
    items: list[tuple[str, str, str]] = []
    for name, pair in (record.changes or {}).items():
        before, after = ([*list(pair), None, None])[:2]
        label, choices = code_label(name), {}
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:  # a field since removed: its name in words
                field = None
            if field is not None:
                label = str(getattr(field, "verbose_name", name) or name)
                label = label[:1].upper() + label[1:]
                choices = {str(k): str(v) for k, v in (getattr(field, "flatchoices", None) or [])}
        items.append(
            (
                label,
                choices.get(str(before), history_value(before)),
                choices.get(str(after), history_value(after)),
            )
        )
    return items


FILTERS = {
    "human_date": human_date,
    "human_datetime": human_datetime,
    "rag_label": rag_label,
    "setting_label": setting_label,
    "code_label": code_label,
    "history_value": history_value,
    "whole": whole,
    "counted": counted,
    "change_items": change_items,
}
