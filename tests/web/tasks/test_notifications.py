"""Notifications when something is assigned, read and unread, e-mail through Django's
mail settings (locmem here), and reminders that are never sent twice."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import Action
from stpkit.web.decisions import services
from stpkit.web.tasks.models import Notification
from stpkit.web.tasks.notify import notify
from stpkit.web.tasks.reminders import send_reminders
from tests.web.tasks.conftest import TODAY, login, person


def texts(user: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("text", flat=True))


def test_a_new_lead_is_notified_and_e_mailed(world: dict[str, Any]) -> None:
    # the fixture made amira the Stroke lead
    lead_texts = texts(world["lead"])
    assert "You are now the lead of the Stroke workstream." in lead_texts
    (message,) = [m for m in mail.outbox if m.subject.startswith("You are now the lead")]
    assert message.to == ["amira@example.nhs.uk"]
    assert message.subject == "You are now the lead of the Stroke workstream."
    assert "/programme/workstreams/stroke/" in message.body
    # saving the workstream again (same lead) does not notify again
    world["stroke"].save()
    assert len(texts(world["lead"])) == len(lead_texts)


def test_an_action_notifies_everyone_its_owner_names(world: dict[str, Any]) -> None:
    assert any("Bring the stroke workforce plan" in t for t in texts(world["lead"]))
    assert any("Circulate the revised terms" in t for t in texts(world["office"]))
    assert not texts(world["board"])
    nobody = Action.objects.create(
        meeting=world["meeting"], description="x", owner="Someone else", due=TODAY
    )
    assert not Notification.objects.filter(text__contains=f"{nobody.description}").exists()


def test_a_submitted_update_notifies_the_office_and_a_returned_one_the_lead(
    world: dict[str, Any],
) -> None:
    from stpkit.web.board.models import WorkstreamUpdate

    update = WorkstreamUpdate.objects.create(
        workstream=world["stroke"], period=world["period"], confidence="amber", status="submitted"
    )
    assert "The Stroke update for March 2018 is ready for your review." in texts(world["office"])
    update.status = "returned"
    update.version += 1
    update.save()
    assert "The programme office sent back the Stroke update for March 2018." in texts(
        world["lead"]
    )


def test_scorers_and_governance_roles_are_notified(world: dict[str, Any]) -> None:
    prog = services.create_programme(name="Stroke services", slug="ss", process_key="stroke")
    services.assign_role(
        prog=prog, user=world["office"], holder=world["lead"], role="clinical_lead"
    )
    assert "You are the Clinical lead on Stroke services." in texts(world["lead"])
    rnd = prog.rounds.create(number=1)
    rnd.scorers.add(world["board"])
    assert texts(world["board"]) == ["Scoring round 1 for Stroke services is open to you."]


def test_a_key_is_sent_once_and_no_address_means_no_e_mail(world: dict[str, Any]) -> None:
    board = world["board"]
    before = len(mail.outbox)
    assert notify(recipient=board, text="Hello", key="k1") is not None
    assert notify(recipient=board, text="Hello again", key="k1") is None
    assert texts(board) == ["Hello"]
    assert len(mail.outbox) == before  # Bea has no e-mail address


def test_the_notifications_page_marks_read(world: dict[str, Any]) -> None:
    lead = world["lead"]
    client = login(lead)
    unread = Notification.objects.filter(recipient=lead, read_at__isnull=True)
    n = unread.count()
    assert n >= 2
    html = client.get(reverse("tasks:notifications")).content.decode()
    assert f"{n} unread" in html and "You are now the lead of the Stroke workstream." in html
    first = unread.first()
    assert first is not None
    response = client.post(reverse("tasks:notifications"), {"notification": first.pk})
    assert response.status_code == 302
    assert unread.count() == n - 1
    # another person's notification cannot be marked read through this page
    other = notify(recipient=world["board"], text="For Bea")
    assert other is not None
    login(lead).post(reverse("tasks:notifications"), {"notification": other.pk})
    other.refresh_from_db()
    assert not other.is_read
    client.post(reverse("tasks:notifications"), {"all": "on"})
    assert unread.count() == 0
    assert client.post(reverse("tasks:notifications"), {}).status_code == 200  # nothing chosen


def test_reminders_go_before_the_due_date_and_never_twice(world: dict[str, Any]) -> None:
    lead = world["lead"]
    Notification.objects.all().delete()
    mail.outbox.clear()
    run = send_reminders(today=TODAY, days=7)
    mine = texts(lead)
    # overdue risk review (once), the review due 10 March (within 7 days); not the update
    # due 31 March nor the action due 2 April
    assert sorted(mine) == [
        "Due on 10 March 2018 (5 days): Review the risk: Ambulance handover delays",
        "Overdue since 28 February 2018: Review the risk: Thrombectomy rota gaps",
    ]
    assert sum(1 for m in mail.outbox if m.to == ["amira@example.nhs.uk"]) == 2
    assert run.sent >= 2 and run.already_sent == 0
    again = send_reminders(today=TODAY, days=7)
    assert again.sent == 0 and again.already_sent == run.sent
    assert len(texts(lead)) == 2
    # a month later the update is due too, reminded once
    later = send_reminders(today=date(2018, 3, 30), days=3)
    assert later.sent > 0
    assert "Due tomorrow: Submit the Stroke update for March 2018" in texts(lead)


def test_the_remind_command(world: dict[str, Any]) -> None:
    out = StringIO()
    call_command("remind", days=30, stdout=out)
    assert out.getvalue().startswith("Sent ")
    out2 = StringIO()
    call_command("remind", days=30, stdout=out2)
    assert out2.getvalue().startswith("Sent 0 reminders")
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        call_command("remind", days=-1)


def test_inactive_people_get_nothing(world: dict[str, Any]) -> None:
    gone = person("gone", Role.PROGRAMME_OFFICE, "Gone Away", "gone@example.nhs.uk")
    gone.is_active = False
    gone.save()
    assert notify(recipient=gone, text="x") is None


def test_an_accepted_update_notifies_no_one_even_with_its_period_given_as_text(
    world: dict[str, Any],
) -> None:
    from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate

    before = Notification.objects.count()
    period = ReportingPeriod.objects.create(month="2018-01-01")  # as a test or import may
    WorkstreamUpdate.objects.create(
        workstream=world["stroke"], period=period, confidence="amber", status="accepted"
    )
    assert Notification.objects.count() == before
    WorkstreamUpdate.objects.create(
        workstream=world["digital"], period=period, confidence="amber", status="submitted"
    )
    assert "The Digital update for January 2018 is ready for your review." in texts(world["office"])


def test_an_action_given_its_due_date_as_text_is_still_notified(world: dict[str, Any]) -> None:
    Action.objects.create(
        meeting=world["meeting"], description="Send the pack", owner="Amira Khan", due="2018-03-20"
    )
    assert any(
        t.startswith("Board action for you") and "due 20 March 2018" in t
        for t in texts(world["lead"])
    )
