"""The web app's "today" for programme charts: the date a demonstration is seen as at
(STPKIT_AS_AT, which `stpkit demo` sets from `stpkit.demo.clock.AS_AT`), else the local
date. Reading it here keeps every "today" line on one clock."""

from __future__ import annotations

import os
from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    """STPKIT_AS_AT (a setting or the environment, as YYYY-MM-DD) or the local date."""
    value = getattr(settings, "STPKIT_AS_AT", None) or os.environ.get("STPKIT_AS_AT")
    if isinstance(value, date):
        return value
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            pass  # a malformed value must not take the pages down; the real date is right
    return timezone.localdate()
