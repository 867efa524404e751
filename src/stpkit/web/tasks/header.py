"""The header's "My tasks" count: tasks due plus unread notifications, once per request."""

from __future__ import annotations

from typing import Any

from stpkit.web.core.clock import today
from stpkit.web.tasks.duties import tasks_for
from stpkit.web.tasks.notify import unread_count


def header_counts(request: Any) -> dict[str, int]:
    """{"tasks": n, "unread": n} for the signed-in person (zeros otherwise)."""
    cached = getattr(request, "_stpkit_header_counts", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = getattr(request, "user", None)
    counts = {"tasks": 0, "unread": 0}
    if user is not None and user.is_authenticated:
        counts = {"tasks": len(tasks_for(user, today())), "unread": unread_count(user)}
    request._stpkit_header_counts = counts
    return counts
