"""Fixtures for My tasks, notifications, reminders and search: a small programme built
by hand (so each test knows exactly what is due from whom) and the app's "today"."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import Action, BoardMeeting, ReportingPeriod, WorkstreamUpdate
from stpkit.web.programme.models import Risk, Workstream

TODAY = date(2018, 3, 5)


@pytest.fixture(autouse=True)
def as_at(settings: object) -> date:
    settings.STPKIT_TODAY = TODAY  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    cache.clear()  # the header counts are cached per person
    return TODAY


def person(username: str, role: Role, name: str = "", email: str = "") -> User:
    first, _, last = name.partition(" ")
    user = User.objects.create_user(
        username=username,
        password="a-long-test-password-1",
        role=role.value,
        first_name=first,
        last_name=last,
        email=email,
    )
    return user


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(db: None) -> dict[str, object]:
    """Two workstreams, a lead, the programme office, risks, a period and actions."""
    lead = person("amira", Role.WORKSTREAM_LEAD, "Amira Khan", "amira@example.nhs.uk")
    office = person("owen", Role.PROGRAMME_OFFICE, "Owen Price", "owen@example.nhs.uk")
    board = person("bea", Role.BOARD_MEMBER, "Bea Stone")
    controller = person("dora", Role.DATA_CONTROLLER, "Dora Lee")
    stroke = Workstream.objects.create(name="Stroke", slug="stroke", kind="transformation")
    digital = Workstream.objects.create(name="Digital", slug="digital", kind="enabling")
    stroke.lead = lead
    stroke.save()
    period = ReportingPeriod.objects.create(month=date(2018, 3, 1))
    ReportingPeriod.objects.create(month=date(2018, 2, 1))
    WorkstreamUpdate.objects.create(
        workstream=digital, period=period, confidence="amber", status="submitted"
    )
    overdue = Risk.objects.create(
        workstream=stroke,
        title="Thrombectomy rota gaps",
        likelihood=4,
        consequence=4,
        review_date=date(2018, 2, 28),
    )
    soon = Risk.objects.create(
        workstream=stroke,
        title="Ambulance handover delays",
        likelihood=3,
        consequence=3,
        review_date=date(2018, 3, 10),
    )
    Risk.objects.create(
        workstream=stroke,
        title="Later review",
        likelihood=2,
        consequence=2,
        review_date=date(2018, 6, 30),
    )
    Risk.objects.create(
        workstream=stroke,
        title="Closed risk",
        likelihood=2,
        consequence=2,
        review_date=date(2018, 1, 1),
        status="closed",
    )
    wide = Risk.objects.create(
        title="Programme-wide funding gap",
        likelihood=3,
        consequence=5,
        review_date=date(2018, 3, 1),
    )
    meeting = BoardMeeting.objects.create(date=date(2018, 3, 5), period=period)
    action = Action.objects.create(
        meeting=meeting,
        description="Bring the stroke workforce plan to the board",
        owner="Stroke workstream lead",
        due=date(2018, 4, 2),
    )
    office_action = Action.objects.create(
        meeting=meeting,
        description="Circulate the revised terms of reference",
        owner="programme office",
        due=date(2018, 3, 1),
    )
    return {
        "lead": lead,
        "office": office,
        "board": board,
        "controller": controller,
        "stroke": stroke,
        "digital": digital,
        "period": period,
        "overdue_risk": overdue,
        "soon_risk": soon,
        "wide_risk": wide,
        "meeting": meeting,
        "action": action,
        "office_action": office_action,
    }
