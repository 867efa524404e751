"""Monthly updates: a lead submits, the office sends back and accepts; stale edits refused."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
from stpkit.web.board.summary import latest_confidence
from stpkit.web.core.audit import history_for
from stpkit.web.programme.models import Workstream

FORM = {
    "confidence": "amber",
    "narrative": "Stroke consultation launched.",
    "achievements": "PCBC approved.",
    "next_steps": "Evaluate responses.",
    "key_risks": "Judicial review.",
}


def _open_april(office: Client) -> str:
    response = office.post(reverse("board:periods"), {"month": "2018-04-17"})
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(month="2018-04-01").exists()
    return "2018-04"


def test_lead_submits_office_sends_back_then_accepts(
    board_demo: None, lead_of: Callable[[str], Client], client_for: Callable[[Role], Client]
) -> None:
    office = client_for(Role.PROGRAMME_OFFICE)
    month = _open_april(office)
    lead = lead_of("hospital-care")
    edit = reverse("board:update_edit", args=[month, "hospital-care"])
    page = reverse("board:update", args=[month, "hospital-care"])

    assert lead.post(edit, {**FORM, "submit": "1"}).status_code == 302
    update = WorkstreamUpdate.objects.get(
        period__month="2018-04-01", workstream__slug="hospital-care"
    )
    assert update.status == "submitted" and update.confidence == "amber"

    # Sending back needs a comment.
    response = office.post(page, {"decision": "return", "comment": "", "version": update.version})
    assert "Say what needs changing" in response.content.decode()
    office.post(
        page, {"decision": "return", "comment": "Add the JHOSC date.", "version": update.version}
    )
    update.refresh_from_db()
    assert update.status == "returned"
    assert "Add the JHOSC date." in lead.get(edit).content.decode()

    lead.post(
        edit,
        {**FORM, "next_steps": "JHOSC on 23 January.", "submit": "1", "version": update.version},
    )
    update.refresh_from_db()
    assert update.status == "submitted" and "JHOSC" in update.next_steps
    office.post(page, {"decision": "accept", "comment": "", "version": update.version})
    update.refresh_from_db()
    assert update.status == "accepted"
    ws = Workstream.objects.get(slug="hospital-care")
    assert latest_confidence()[ws.pk][1] == "April 2018"
    assert [r.reason for r in history_for(update)][:2] == ["Accepted", "Submitted"]
    # Accepted: the lead can no longer change it.
    assert lead.post(edit, {**FORM, "submit": "1", "version": update.version}).status_code == 403


def test_a_lead_edits_only_their_own_workstream(
    board_demo: None, lead_of: Callable[[str], Client], client_for: Callable[[Role], Client]
) -> None:
    month = _open_april(client_for(Role.PROGRAMME_OFFICE))
    lead = lead_of("digital")
    assert lead.get(reverse("board:update_edit", args=[month, "digital"])).status_code == 200
    assert lead.get(reverse("board:update_edit", args=[month, "estates"])).status_code == 403
    # Leads cannot review, board members cannot edit.
    page = reverse("board:update", args=["2018-03", "hospital-care"])
    assert lead.post(page, {"decision": "accept", "version": 1}).status_code == 403
    board = client_for(Role.BOARD_MEMBER)
    assert board.get(reverse("board:update_edit", args=[month, "digital"])).status_code == 403


def test_missing_narrative_and_rating_are_reported(
    board_demo: None, lead_of: Callable[[str], Client], client_for: Callable[[Role], Client]
) -> None:
    month = _open_april(client_for(Role.PROGRAMME_OFFICE))
    lead = lead_of("prevention")
    html = lead.post(
        reverse("board:update_edit", args=[month, "prevention"]), {"submit": "1"}
    ).content.decode()
    assert "There is a problem" in html and "Enter a summary of progress" in html
    assert "Choose a delivery confidence rating" in html
    assert not WorkstreamUpdate.objects.filter(
        period__month="2018-04-01", workstream__slug="prevention"
    ).exists()


def test_second_of_two_concurrent_edits_is_refused(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    update = WorkstreamUpdate.objects.get(period__month="2018-03-01", workstream__slug="digital")
    edit = reverse("board:update_edit", args=["2018-03", "digital"])
    first, second = client_for(Role.PROGRAMME_OFFICE), client_for(Role.ADMINISTRATOR)
    opened = update.version
    assert first.post(edit, {**FORM, "narrative": "First", "version": opened}).status_code == 302
    response = second.post(edit, {**FORM, "narrative": "Second", "version": opened})
    assert response.status_code == 200
    assert "was changed by" in response.content.decode()
    assert "Your changes were not saved" in response.content.decode()
    update.refresh_from_db()
    assert update.narrative == "First"


def test_trend_table_and_chart(board_demo: None, client_for: Callable[[Role], Client]) -> None:
    client = client_for(Role.BOARD_MEMBER)
    html = client.get(reverse("board:trend")).content.decode()
    assert "data-vega-spec" in html and "Apr 2017" in html and "Amber/Red" in html
    csv = client.get(reverse("board:trend") + "?format=csv").content.decode("utf-8-sig")
    header, *rows = csv.strip().splitlines()
    assert header.startswith("Workstream,Apr 2017")
    hospital = next(r for r in rows if r.startswith("Hospital care"))
    assert hospital.split(",")[1] == "Amber/Red"
    # March 2018's hospital care update is still submitted, so the accepted trend stops in February.
    assert header.split(",")[-1] == "Mar 2018" and hospital.split(",")[-1] == ""
    assert rows[-1].startswith("Programme (worst)")


def test_two_people_starting_the_same_update_do_not_overwrite(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    month = _open_april(client_for(Role.PROGRAMME_OFFICE))
    edit = reverse("board:update_edit", args=[month, "estates"])
    first, second = client_for(Role.PROGRAMME_OFFICE), client_for(Role.ADMINISTRATOR)
    assert first.post(edit, {**FORM, "narrative": "First"}).status_code == 302
    response = second.post(edit, {**FORM, "narrative": "Second"})
    assert "Your changes were not saved" in response.content.decode()
    update = WorkstreamUpdate.objects.get(period__month="2018-04-01", workstream__slug="estates")
    assert update.narrative == "First"
