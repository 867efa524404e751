"""The demo's one clock: the Kent and Medway demo is seen as at the March 2018 Programme
Board. Every area's loader dates what it records from here, so the demo reads as one
moment in the programme's life whatever day it is loaded."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

AS_AT = date(2018, 3, 5)  # the March 2018 Programme Board, whose view the statuses give


def at(day: date, hour: int = 10) -> datetime:
    """`day` at `hour` o'clock, in the app's time zone (demo records are stamped so)."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
