"""A board meeting's page lists the risks escalated to the board as at the meeting's date,
from the score history, not today's scores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stpkit.demo import programme as programme_demo
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import BoardMeeting
from stpkit.web.core.audit import audited_save
from stpkit.web.programme.models import Risk, RiskScore
from stpkit.web.programme.services import save_risk

APRIL_2017, MARCH_2018 = "2017-04-24", "2018-03-05"


def escalated_then(client: Client, day: str) -> str:
    html = client.get(reverse("board:meeting", args=[day])).content.decode()
    return html.split('id="escalated-then"', 1)[1].split("</ul>", 1)[0]


def test_each_meeting_shows_what_was_escalated_on_its_date(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    programme_demo.load()
    board = client_for(Role.BOARD_MEMBER)
    april = escalated_then(board, APRIL_2017)
    march = escalated_then(board, MARCH_2018)
    # Scored 16 in April 2017, brought down to 8 in October 2017.
    governance = "CCG governance lead time for joint decision-making"
    assert governance in april and "score 16 then, 8 now" in april
    assert governance not in march
    # Scored 12 in April 2017 and 16 from November 2017.
    workforce = "Workforce shortages and reliance on agency staff"
    assert workforce not in april and workforce in march
    # Not on the register until March 2018.
    assert "Stroke units below recommended volumes" not in april
    assert "Capital availability for new hospital build" in april
    assert "Capital availability for new hospital build" in march


def test_later_changes_do_not_rewrite_a_past_meeting(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    programme_demo.load()
    office = client_for(Role.PROGRAMME_OFFICE)
    capital = Risk.objects.get(title="Capital availability for new hospital build")
    capital.likelihood = 1
    capital.status = "closed"
    save_risk(risk=capital, user=None, expected_version=capital.version)
    new = Risk(title="A risk raised today", likelihood=5, consequence=5)
    save_risk(risk=new, user=None)
    march = escalated_then(office, MARCH_2018)
    assert capital.title in march and "score 20 then, 5 now" in march
    assert new.title not in march
    # A meeting after the closure and the new risk sees both changes.
    later = BoardMeeting.objects.create(date=timezone.localdate() + timedelta(days=7))
    html = escalated_then(office, later.date.isoformat())
    assert capital.title not in html and new.title in html
    assert RiskScore.objects.filter(risk=new).count() == 1


def test_a_risk_closed_before_a_meeting_is_not_shown_at_it(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    risk = Risk(title="Closed before the meeting", likelihood=5, consequence=4)
    save_risk(risk=risk, user=None)
    risk.status = "closed"
    audited_save(risk, None)
    meeting = BoardMeeting.objects.create(date=timezone.localdate() + timedelta(days=3))
    assert risk.title not in escalated_then(client_for(Role.BOARD_MEMBER), meeting.date.isoformat())
