"""`stpkit web remind`, run as a user (or cron) would run it: bad options are refused
before anything touches the database (the reminders themselves: test_notifications)."""

from __future__ import annotations

from tests.cli.test_cli import run


def test_remind_refuses_bad_options() -> None:
    bad = run("web", "remind", "--days", "-1")
    assert bad.returncode == 2 and "--days must be 0 or more, not -1" in bad.stderr
    bad_date = run("web", "remind", "--today", "5/3/2018")
    assert bad_date.returncode == 2
    assert "--today must be a date like 2018-03-05, not '5/3/2018'" in bad_date.stderr
