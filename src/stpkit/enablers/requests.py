"""Requests between workstreams: a transformation workstream asks an enabling one for
something by a date; the enabling one accepts, plans or declines it. Which are late and
which are unanswered."""

from __future__ import annotations

from datetime import date, timedelta

REQUEST_STATUSES = {
    "open": "Awaiting an answer",
    "accepted": "Accepted",
    "planned": "Planned",
    "declined": "Declined",
    "delivered": "Delivered",
}
ANSWER_WITHIN = timedelta(days=14)  # an enabling workstream answers within two weeks
CLOSED = ("declined", "delivered")


def request_flag(status: str, needed_by: date, raised_on: date, today: date) -> str:
    """ "late" (needed by a date now past and not delivered or declined), "unanswered"
    (no answer after two weeks, or none with the date under two weeks away), or ""."""
    if status not in REQUEST_STATUSES:
        raise ValueError(f"Unknown request status {status!r}")
    if status in CLOSED:
        return ""
    if needed_by < today:
        return "late"
    if status == "open" and (
        today - raised_on >= ANSWER_WITHIN or needed_by - today < ANSWER_WITHIN
    ):
        return "unanswered"
    return ""
