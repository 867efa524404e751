"""`stpkit web remind [--days N]`: send reminders of tasks due within N days."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stpkit.web.core.clock import today
from stpkit.web.tasks.reminders import send_reminders


class Command(BaseCommand):
    help = "Send each person reminders (in the app and by e-mail) of tasks due within N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Remind this many days ahead")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="As at")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = send_reminders(today=options["today"] or today(), days=options["days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Sent {run.sent} reminders to {run.people} people "
            f"({run.already_sent} already sent before, not repeated)."
        )
