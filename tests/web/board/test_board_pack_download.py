"""The board update downloaded as a paper to send, from the demo's March 2018 meeting: the
RAG table, the charts, the escalated risks, the system view and enablers sections and the
audit witness, in Word and PDF; and a later rewrite of the change history is caught by
checking the chains against the circulated paper."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from typer.testing import CliRunner

from stpkit.cli.main import app
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import BoardMeeting, BoardUpdateDraft, WorkstreamUpdate
from stpkit.web.board.services import generate_update
from stpkit.web.core.models import ChangeRecord
from stpkit.web.programme.models import Workstream

MARCH = "2018-03-05"


@pytest.fixture
def published(
    board_demo: None, client_for: Callable[[Role], Client], monkeypatch: pytest.MonkeyPatch
) -> Client:
    from stpkit.demo import programme, system

    programme.load()  # milestones, dependencies and risks
    monkeypatch.setattr(system, "MONTHS", 24)  # two years are enough for the SPC icons
    monkeypatch.setattr(system, "DEMO_PROVIDERS", 4)
    system.load()
    office = client_for(Role.PROGRAMME_OFFICE)
    draft = BoardUpdateDraft.objects.filter(meeting__date=MARCH).first()
    if draft is None:
        generate_update(meeting=BoardMeeting.objects.get(date=MARCH), user=None)
    return office


def test_word_paper_has_the_rag_table_charts_risks_sections_and_witness(
    published: Client,
) -> None:
    response = published.get(reverse("board:public_update_docx", args=[MARCH]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="programme-board-update-2018-03-05.docx"'
    )
    document = Document(io.BytesIO(response.content))
    rag = document.tables[0]
    header = [c.text for c in rag.rows[0].cells]
    assert header[0] == "Workstream" and header[-1] == "Feb 2018" and len(header) == 7
    names = [row.cells[0].text for row in rag.rows[1:]]
    assert names == [*Workstream.objects.values_list("name", flat=True), "Programme (worst)"]
    hospital = next(r for r in rag.rows if r.cells[0].text == "Hospital care")
    assert hospital.cells[-1].text == "Amber"  # February 2018's accepted update
    assert len(document.inline_shapes) == 2  # the trend and the Gantt
    tables = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Risk", "Workstream", "Score", "Owner", "Mitigation"] in tables
    risks = document.tables[tables.index(["Risk", "Workstream", "Score", "Owner", "Mitigation"])]
    assert any("orkforce" in row.cells[0].text for row in risks.rows[1:])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    # Enablers' sections say plainly when no return is loaded (the demo here has none).
    for heading in ("The three gaps", "National standards", "Estates", "Workforce"):
        assert heading in headings
    gaps = document.tables[tables.index(["Gap", "Rating", "Measures", "Improving", "Worsening"])]
    assert [r.cells[0].text for r in gaps.rows[1:]] == [
        "Health and wellbeing",
        "Care and quality",
        "Finance and efficiency",
    ]
    standards = document.tables[
        tables.index(["Standard", "Target", "Month", "Actual", "Rating", "Variation", "Assurance"])
    ]
    variations = {r.cells[5].text for r in standards.rows[1:]}
    assert len(standards.rows) > 3 and variations & {
        "Common cause variation",
        "Special cause: improvement (higher)",
        "Special cause: concern (lower)",
        "Special cause: improvement (lower)",
        "Special cause: concern (higher)",
    }
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No estates return has been loaded yet." in text
    assert "Audit trail witness" in headings and "Witness web-change-history " in text


def test_pdf_paper_carries_the_same_and_the_paper_witnesses_the_history(
    published: Client, tmp_path: Path
) -> None:
    response = published.get(reverse("board:public_update_pdf", args=[MARCH]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Delivery confidence by workstream and month",
        "Programme (worst)",
        "Risks escalated to the board",
        "The three gaps",
        "National standards",
        "Witness web-change-history",
    ):
        assert expected in text, expected
    assert sum(len(page.images) for page in reader.pages) == 2
    paper = tmp_path / "board-update.pdf"
    paper.write_bytes(response.content)
    runner = CliRunner()
    ok = runner.invoke(app, ["kid", "governance", "verify-log", "--paper", str(paper)])
    assert ok.exit_code == 0, ok.output
    # Someone with database access rewrites history and re-chains it from scratch: the
    # chain verifies on its own, but not against the circulated paper.
    last = ChangeRecord.objects.filter(seq__isnull=False).order_by("-seq").first()
    assert last is not None
    ChangeRecord.objects.filter(pk=last.pk).update(reason="rewritten", hash="0" * 64)
    bad = runner.invoke(app, ["kid", "governance", "verify-log", "--paper", str(paper)])
    assert bad.exit_code == 1
    assert "does not verify" in bad.output


def test_only_the_office_sees_an_unpublished_paper(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    generate_update(meeting=BoardMeeting.objects.get(date=MARCH), user=None)
    board = client_for(Role.BOARD_MEMBER)
    response = board.get(reverse("board:public_update_pdf", args=[MARCH]))
    assert response["Content-Type"].startswith("text/html")
    assert "has not been published yet" in response.content.decode()


def test_a_workstream_highlight_report_carries_its_update_and_asks(
    board_demo: None, client_for: Callable[[Role], Client]
) -> None:
    from stpkit.demo import programme

    programme.load()
    update = WorkstreamUpdate.objects.get(workstream__slug="local-care", period__month="2018-02-01")
    update.board_asks = "Approve the local care hub business case\nRelease the digital funding"
    update.save()
    reader = client_for(Role.BOARD_MEMBER)
    url = reverse("board:highlight", args=["2018-02", "local-care", "docx"])
    document = Document(io.BytesIO(reader.get(url).content))
    assert document.paragraphs[0].text == "Local care: highlight report, February 2018"
    rag = document.tables[0]
    assert rag.rows[1].cells[-1].text == update.rag.label
    assert len(rag.columns) == 6  # this month and the five before
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Approve the local care hub business case", "Release the digital funding"]
    risks = document.tables[2]
    scores = [int(r.cells[1].text) for r in risks.rows[1:]]
    assert scores == sorted(scores, reverse=True) and 0 < len(scores) <= 3
    pdf = reader.get(reverse("board:highlight", args=["2018-02", "local-care", "pdf"]))
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
    page = reader.get(reverse("board:highlight", args=["2018-02", "local-care", "html"]))
    assert "<li>Release the digital funding</li>" in page.content.decode()
    missing = reader.get(reverse("board:highlight", args=["2016-01", "local-care", "pdf"]))
    assert missing.status_code == 404


def test_cli_writes_the_paper_as_pdf(board_demo: None, tmp_path: Path) -> None:
    out = tmp_path / "board-update.pdf"
    result = CliRunner().invoke(app, ["programme", "board-update", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Delivery confidence by workstream and month" in text
    assert "Update from the Programme Board meeting held on 5 March 2018" in text
    assert "Witness web-change-history" in text


def test_enablers_sections_summarise_the_estates_and_workforce_returns(
    demo_partnership: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stpkit.demo.enablers as enablers_demo
    from stpkit.web.board.pack import extra_sections

    monkeypatch.setattr(enablers_demo, "DEMO_STAFF", 2000)
    monkeypatch.setattr(enablers_demo, "DEMO_BUILDINGS", 60)
    enablers_demo.load()
    sections = {s.heading: s for s in extra_sections()}
    estates, workforce = sections["Estates and capital"], sections["Workforce"]
    assert any("estates return covers 60 buildings" in line for line in estates.bullets)
    assert any("capital plan is £" in line for line in estates.bullets)
    assert any("WTE in post" in line for line in workforce.bullets)
    # The system view's sections are there too, saying plainly that nothing is loaded.
    standards = sections["National standards"].tables[0]
    assert standards.rows == () and standards.empty.startswith("No national statistics")
