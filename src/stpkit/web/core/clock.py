"""The app's "today": one function every page and rule asks, so a demonstration can be
seen as at one date.

`STPKIT_TODAY` (a Django setting, or the environment variable of that name, as an ISO
date) fixes the date; `stpkit demo` sets it to the demo's as-at date. Unset, today is the
local date in the app's time zone.
"""

from __future__ import annotations

import os
from datetime import date

from django.conf import settings
from django.utils import timezone


def fixed_today() -> date | None:
    """The configured date, if one is set (a `date` or an ISO string)."""
    value = getattr(settings, "STPKIT_TODAY", None) or os.environ.get("STPKIT_TODAY")
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"STPKIT_TODAY must be a date like 2018-03-05, not {value!r}") from None


def today() -> date:
    """The configured date, else the local date."""
    return fixed_today() or timezone.localdate()
