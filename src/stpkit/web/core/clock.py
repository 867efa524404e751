"""The app's "today": the real date, or in the demo the one date the demo is seen as at.

The demo's records sit on the seed papers' timeline (the March 2018 Programme Board); on
the real clock every review date and due date in it would be years overdue. With the
`DEMO_AS_AT` setting (`STPKIT_DEMO_AS_AT`, set by `stpkit demo`), every flag, due date,
task, reminder and "today" line in every area is worked out as at that date instead, and
every page says so. `STPKIT_TODAY` (a setting or environment variable, an ISO date) fixes
the date the same way without the demonstration banner (for rehearsals and tests). Audit
stamps (who changed what, when) stay on the real clock.
"""

from __future__ import annotations

import os
from datetime import date

from django.conf import settings
from django.utils import timezone


def _as_date(name: str, value: object) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be a date like 2018-03-05, not {value!r}") from None


def demo_as_at() -> date | None:
    """The date the demo is seen as at, or None outside the demo."""
    return _as_date("DEMO_AS_AT", getattr(settings, "DEMO_AS_AT", None))


def fixed_today() -> date | None:
    """The configured date, if one is set: the demo's, else `STPKIT_TODAY`."""
    return demo_as_at() or _as_date(
        "STPKIT_TODAY", getattr(settings, "STPKIT_TODAY", None) or os.environ.get("STPKIT_TODAY")
    )


def today() -> date:
    """The date flags and due dates are judged against (the demo's date in the demo)."""
    return fixed_today() or timezone.localdate()
