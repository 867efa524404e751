"""The header's "My tasks" count: tasks due plus unread notifications.

Worked out at most once per request and kept for `CACHE_SECONDS` per person in Django's
cache, so pages do not pay for a dozen queries each time; the My tasks and notifications
pages refresh it, so a count is never more than half a minute behind.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from stpkit.web.core.clock import today
from stpkit.web.tasks.duties import tasks_for
from stpkit.web.tasks.notify import unread_count

CACHE_SECONDS = 30


def cache_key(user: Any) -> str:
    return f"stpkit.tasks.header:{user.pk}:{user.username}:{today().isoformat()}"


def remember(user: Any, *, tasks: int, unread: int) -> dict[str, int]:
    counts = {"tasks": tasks, "unread": unread}
    cache.set(cache_key(user), counts, CACHE_SECONDS)
    return counts


def forget(user: Any) -> None:
    cache.delete(cache_key(user))


def header_counts(request: Any) -> dict[str, int]:
    """{"tasks": n, "unread": n} for the signed-in person (zeros otherwise)."""
    cached = getattr(request, "_stpkit_header_counts", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = getattr(request, "user", None)
    counts = {"tasks": 0, "unread": 0}
    if user is not None and user.is_authenticated:
        counts = cache.get(cache_key(user)) or remember(
            user, tasks=len(tasks_for(user, today())), unread=unread_count(user)
        )
    request._stpkit_header_counts = counts
    return counts
