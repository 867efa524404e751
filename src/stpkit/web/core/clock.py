"""The app's "today": the real date, or in the demo the one date the demo is seen as at.

The demo's records sit on the seed papers' timeline (the March 2018 Programme Board); on
the real clock every review date and due date in it would be years overdue. With the
`DEMO_AS_AT` setting (`STPKIT_DEMO_AS_AT`, set by `stpkit demo`), every flag, due date and
"today" line in every area is worked out as at that date instead, and every page says so.
Audit stamps (who changed what, when) stay on the real clock.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def demo_as_at() -> date | None:
    """The date the demo is seen as at, or None outside the demo."""
    value: date | None = getattr(settings, "DEMO_AS_AT", None)
    return value


def today() -> date:
    """The date flags and due dates are judged against (the demo's date in the demo)."""
    return demo_as_at() or timezone.localdate()
