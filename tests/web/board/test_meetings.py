"""Board meetings, papers, actions carried forward, and the public board update."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from typer.testing import CliRunner

from stpkit.cli.main import app
from stpkit.demo import board as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import (
    Action,
    BoardMeeting,
    BoardUpdateDraft,
    BudgetLine,
    Paper,
    ReportingPeriod,
    WorkstreamUpdate,
)

MARCH = "2018-03-05"


def test_demo_is_faithful_and_idempotent(board_demo: None) -> None:
    demo.load()  # a second time
    assert ReportingPeriod.objects.count() == 12
    assert WorkstreamUpdate.objects.count() == 120
    assert BoardMeeting.objects.count() == 2
    assert (
        BudgetLine.objects.filter(financial_year=2018).values("workstream").distinct().count() == 10
    )
    march = BoardMeeting.objects.get(date=MARCH)
    assert march.items.all()[0].title == "Mental health ‘deep dive’"
    assert march.items.get(kind="deep_dive").workstream.slug == "mental-health"
    assert Paper.objects.filter(meeting=march).count() == 1
    assert BoardUpdateDraft.objects.get(meeting__date="2017-04-24").is_published


def test_open_actions_carry_forward_to_the_next_meeting(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    office = client_for(Role.PROGRAMME_OFFICE)
    html = office.get(reverse("board:meeting", args=[MARCH])).content.decode()
    forward = html.split("Actions carried forward")[1]
    assert "Propose system-wide governance for the Kent Integrated Dataset" in forward
    assert "Interview for the SRO/CEO" not in forward  # closed before March 2018
    kid = Action.objects.get(description__startswith="Propose system-wide governance")
    office.post(
        reverse("board:meeting", args=[MARCH]),
        {"form": "close", "action": kid.pk, "version": kid.version},
    )
    kid.refresh_from_db()
    assert kid.status == "done" and kid.closed_on.isoformat() == MARCH
    # Closed at this meeting: still listed here, as done, but not at a later meeting.
    office.post(reverse("board:meetings"), {"date": "2018-04-23", "location": "Maidstone"})
    april = office.get(reverse("board:meeting", args=["2018-04-23"])).content.decode()
    april_forward = april.split("Actions carried forward")[1]
    assert "Propose system-wide governance" not in april_forward
    assert "Finalise and submit the Kent and Medway response" in april_forward


def test_record_a_meeting_and_upload_a_paper(
    board_demo: None, client_for: Callable[[Role], Client], settings: object
) -> None:
    office = client_for(Role.PROGRAMME_OFFICE)
    url = reverse("board:meeting", args=[MARCH])
    office.post(
        url,
        {"form": "item", "item-kind": "decision", "item-title": "Winter plan", "item-order": "7"},
    )
    march = BoardMeeting.objects.get(date=MARCH)
    item = march.items.get(title="Winter plan")
    response = office.post(
        url,
        {
            "form": "action",
            "action-item": item.pk,
            "action-description": "Brief CCGs",
            "action-owner": "PMO",
            "action-due": "2018-13-01",
        },
    )
    assert "Enter a valid date" in response.content.decode()
    assert not Action.objects.filter(description="Brief CCGs").exists()
    script = SimpleUploadedFile("winter.exe", b"MZ", content_type="application/octet-stream")
    refused = office.post(url, {"form": "paper", "paper-title": "Bad", "paper-file": script})
    assert "winter.exe: papers must be one of pdf" in refused.content.decode()
    assert not Paper.objects.filter(title="Bad").exists()
    upload = SimpleUploadedFile(
        "winter.pdf", b"%PDF-1.4 winter plan", content_type="application/pdf"
    )
    office.post(
        url,
        {
            "form": "paper",
            "paper-title": "Winter plan paper",
            "paper-item": item.pk,
            "paper-file": upload,
        },
    )
    paper = Paper.objects.get(title="Winter plan paper")
    assert Path(paper.file.path).is_relative_to(Path(settings.MEDIA_ROOT))  # type: ignore[attr-defined]
    download = client_for(Role.BOARD_MEMBER).get(reverse("board:paper", args=[paper.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 winter plan"  # type: ignore[attr-defined]
    assert (
        client_for(Role.BOARD_MEMBER).post(url, {"form": "item", "item-title": "x"}).status_code
        == 403
    )


def test_board_update_generated_edited_and_downloaded(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    office = client_for(Role.PROGRAMME_OFFICE)
    BoardUpdateDraft.objects.filter(meeting__date=MARCH).delete()
    page = reverse("board:public_update", args=[MARCH])
    assert "Generate the board update" in office.get(page).content.decode()
    # Board members see nothing until it is published.
    board = client_for(Role.BOARD_MEMBER)
    office.post(page, {"step": "generate"})
    assert "has not been published yet" in board.get(page).content.decode()
    draft = BoardUpdateDraft.objects.get(meeting__date=MARCH)
    assert "## STP planning and budget 2018/19" in draft.body
    assert "Hospital care (Amber)" in draft.body  # February 2018's accepted update
    edit = reverse("board:public_update_edit", args=[MARCH])
    bad = office.post(
        edit, {"title": draft.title, "body": "Stray\n## Heading", "version": draft.version}
    )
    assert "line 1: text before the first heading" in bad.content.decode()
    body = draft.body.replace("## Chief Executive’s update", "## Chief Executive’s report")
    office.post(edit, {"title": draft.title, "body": body, "version": draft.version})
    draft.refresh_from_db()
    office.post(page, {"step": "publish", "version": draft.version})
    html = board.get(page).content.decode()
    assert "Chief Executive’s report" in html
    response = board.get(reverse("board:public_update_docx", args=[MARCH]))
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Update from the Programme Board meeting held on 5 March 2018" in headings
    assert "Chief Executive’s report" in headings and "Decisions" in headings


def test_cli_writes_the_latest_board_update(board_demo: None, tmp_path: Path) -> None:
    out = tmp_path / "update.docx"
    result = CliRunner().invoke(app, ["programme", "board-update", "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = Document(str(out))
    assert document.paragraphs[0].text.endswith("Programme Board Meeting Update, March 2018")
    april = tmp_path / "april.docx"
    result = CliRunner().invoke(
        app, ["programme", "board-update", "--meeting", "2017-04-24", "--out", str(april)]
    )
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(april)).paragraphs]
    assert "CCG governance for joint decision-making" in texts and "Recruitment update" in texts
    result = CliRunner().invoke(
        app, ["programme", "board-update", "--meeting", "2016-01-01", "--out", str(april)]
    )
    assert result.exit_code == 1 and "2017-04-24, 2018-03-05" in result.output


def test_a_post_naming_no_form_of_the_page_changes_nothing(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    office = client_for(Role.PROGRAMME_OFFICE)
    march = BoardMeeting.objects.get(date=MARCH)
    before = march.items.count()
    for which in ("bogus", ""):
        response = office.post(
            reverse("board:meeting", args=[MARCH]),
            {"form": which, "item-kind": "decision", "item-title": "Stray", "item-order": "9"},
        )
        assert response.status_code == 200  # the page again, nothing saved
    assert march.items.count() == before
    assert not march.items.filter(title="Stray").exists()
