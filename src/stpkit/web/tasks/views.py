"""My tasks, notifications and search: pages every signed-in person has."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from stpkit.web.core.clock import today
from stpkit.web.tasks.duties import KINDS, tasks_for
from stpkit.web.tasks.forms import MarkReadForm, SearchForm
from stpkit.web.tasks.header import forget, remember
from stpkit.web.tasks.models import Notification
from stpkit.web.tasks.notify import unread_count
from stpkit.web.tasks.search import search

NOTIFICATIONS_SHOWN = 50


def my_tasks(request: HttpRequest) -> HttpResponse:
    day = today()
    tasks = tasks_for(request.user, day, check_conditions=True)
    overdue = [t for t in tasks if t.is_overdue(day)]
    unread = unread_count(request.user)
    remember(request.user, tasks=len(tasks), unread=unread)
    return render(
        request,
        "tasks/tasks.jinja",
        {
            "title": "My tasks",
            "tasks": tasks,
            "overdue": overdue,
            "today": day,
            "kinds": KINDS,
            "unread": unread,
        },
    )


def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient_id=request.user.pk)
    if request.method == "POST":
        form = MarkReadForm(request.POST)
        if form.is_valid():
            unread = mine.filter(read_at__isnull=True)
            if not form.cleaned_data["all"]:
                unread = unread.filter(pk=form.cleaned_data["notification"])
            n = unread.update(read_at=timezone.now())
            forget(request.user)
            messages.success(request, f"Marked {n} notification{'s' if n != 1 else ''} as read.")
            return redirect("tasks:notifications")
    forget(request.user)
    total = mine.count()
    return render(
        request,
        "tasks/notifications.jinja",
        {
            "title": "Notifications",
            "notifications": list(mine[:NOTIFICATIONS_SHOWN]),
            "total": total,
            "shown": min(total, NOTIFICATIONS_SHOWN),
            "unread": mine.filter(read_at__isnull=True).count(),
        },
    )


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    groups = search(request.user, query) if query else []
    context: dict[str, Any] = {
        "title": f"Search: {query}" if query else "Search",
        "query": query,
        "groups": groups,
        "found": sum(len(g.results) for g in groups),
    }
    return render(request, "tasks/search.jinja", context)
