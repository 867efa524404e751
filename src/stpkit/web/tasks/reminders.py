"""Reminders before (and once after) a due date, sent as notifications and e-mails.

Each reminder's key is the task's key, its due date and whether it is "due" or "overdue",
so running `stpkit web remind` every day sends each reminder once; a task whose due date
moves is reminded again for the new date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from stpkit.web.accounts.models import User
from stpkit.web.tasks.duties import tasks_for
from stpkit.web.tasks.notify import notify


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    already_sent: int
    people: int


def when(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"on {due.day} {due:%B %Y} ({days} days)"


def send_reminders(*, today: date, days: int) -> ReminderRun:
    """Remind every active person of tasks due within `days` days, and once of overdue ones."""
    if days < 0:
        raise ValueError(f"--days must be 0 or more, not {days}")
    sent = already = 0
    people = User.objects.filter(is_active=True).order_by("pk")
    for person in people:
        for task in tasks_for(person, today):
            if task.due is None or task.due > today + timedelta(days):
                continue
            if task.due < today:
                key = f"overdue:{task.key}:{task.due.isoformat()}"
                text = f"Overdue since {task.due.day} {task.due:%B %Y}: {task.title}"
            else:
                key = f"due:{task.key}:{task.due.isoformat()}"
                text = f"Due {when(task.due, today)}: {task.title}"
            if notify(recipient=person, text=text, link=task.link, key=key):
                sent += 1
            else:
                already += 1
    return ReminderRun(sent=sent, already_sent=already, people=people.count())
