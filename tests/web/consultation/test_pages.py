"""Consultation pages with a real database: import, theme edits, corrections, reports."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from stpkit.consultation.survey import survey_to_dict
from stpkit.consultation.synthetic import OPEN_QUESTION, STROKE_SURVEY
from stpkit.demo import consultation as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.models import Consultation, Correction, TextAnswer, Theme
from stpkit.web.core.models import ChangeRecord
from tests.consultation.test_importing import ROWS, csv_bytes

pytestmark = pytest.mark.slow
Q = OPEN_QUESTION


@pytest.fixture
def stroke(db: None) -> Consultation:
    demo.load(n=300)
    return Consultation.objects.get(slug=demo.SLUG)


def url(name: str, consultation: Consultation, **kwargs: str) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


def test_import_reports_broken_rows_and_a_refused_file_changes_nothing(
    db: None, client_for: Callable[[Role], Client]
) -> None:
    consultation = Consultation.objects.create(
        title="Test", slug="test", survey=survey_to_dict(STROKE_SURVEY)
    )
    client = client_for(Role.ANALYST)
    upload = io.BytesIO(csv_bytes(ROWS))
    upload.name = "responses.csv"
    page = client.post(url("import", consultation), {"file": upload}).content.decode()
    assert "2 of 9 rows loaded" in page
    assert "the response ID repeats row 2" in page
    assert consultation.respondents.count() == 2
    assert consultation.imports.first().errors[0]["row"] == 4

    broken = io.BytesIO(b"response_id,respondent_type\nR9,public\n")
    broken.name = "broken.csv"
    page = client.post(url("import", consultation), {"file": broken}).content.decode()
    assert "The file was not loaded" in page and "missing column" in page
    assert consultation.respondents.count() == 2  # the earlier load is intact

    board = client_for(Role.BOARD_MEMBER)  # reads the import history, cannot load files
    assert board.get(url("import", consultation)).status_code == 200
    again = io.BytesIO(csv_bytes(ROWS))
    again.name = "responses.csv"
    assert board.post(url("import", consultation), {"file": again}).status_code == 403


def test_readers_cannot_edit_themes(
    stroke: Consultation, client_for: Callable[[Role], Client]
) -> None:
    board = client_for(Role.BOARD_MEMBER)
    themes_url = url("themes", stroke, code=Q)
    assert board.get(themes_url).status_code == 200
    response = board.post(themes_url, {"action": "rename", "key": "t1", "label": "Hacked"})
    assert response.status_code == 403
    assert Theme.objects.get(consultation=stroke, key="t1").label != "Hacked"


def test_rename_correct_and_reassign_keep_the_analysts_decisions(
    stroke: Consultation, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.ANALYST)
    client.post(
        url("theme", stroke, code=Q, key="t1"),
        {"action": "rename", "key": "t1", "label": "Travel time"},
    )
    theme = Theme.objects.get(consultation=stroke, question_code=Q, key="t1")
    assert theme.label == "Travel time"
    assert ChangeRecord.objects.filter(object_id=str(theme.pk), action="update").exists()

    answer = (
        TextAnswer.objects.filter(respondent__consultation=stroke, question_code=Q, theme_key="t1")
        .exclude(text="")
        .first()
    )
    assert answer is not None
    rid = answer.respondent.response_id
    client.post(
        url("review", stroke, code=Q), {"action": "correct", "response_id": rid, "theme_key": "t2"}
    )
    assert Correction.objects.get(consultation=stroke, response_id=rid).theme_key == "t2"

    client.post(url("themes", stroke, code=Q), {"action": "reassign"})
    answer.refresh_from_db()
    assert answer.theme_key == "t2" and answer.confidence == 1.0

    # merging t2 into t3 moves the correction with it
    client.post(
        url("themes", stroke, code=Q), {"action": "merge", "keys": ["t3", "t2"], "label": "Merged"}
    )
    assert not Theme.objects.filter(consultation=stroke, key="t2").exists()
    assert Correction.objects.get(consultation=stroke, response_id=rid).theme_key == "t3"
    answer.refresh_from_db()
    assert answer.theme_key == "t3"
    page = client.get(url("theme", stroke, code=Q, key="t3")).content.decode()
    assert "Merged" in page


def test_add_and_split_themes(stroke: Consultation, client_for: Callable[[Role], Client]) -> None:
    client = client_for(Role.ANALYST)
    before = Theme.objects.filter(consultation=stroke).count()
    client.post(
        url("themes", stroke, code=Q),
        {"action": "add", "label": "Parking", "keywords": "parking, parking charges"},
    )
    added = Theme.objects.get(consultation=stroke, label="Parking")
    client.post(
        url("theme", stroke, code=Q, key="t1"), {"action": "split", "key": "t1", "parts": "2"}
    )
    assert Theme.objects.filter(consultation=stroke).count() == before + 2
    assigned = set(
        TextAnswer.objects.filter(respondent__consultation=stroke).values_list(
            "theme_key", flat=True
        )
    )
    assert added.key in assigned


def test_closed_question_tables_and_downloads(
    stroke: Consultation, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.BOARD_MEMBER)
    page = client.get(
        url("question", stroke, code="q1_agree") + "?by=respondent_type"
    ).content.decode()
    assert "Agree (net)" in page and "public" in page
    csv = client.get(url("question", stroke, code="q1_agree") + "?by=area&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "95% CI from" in csv.content.decode("utf-8-sig")
    dupes = client.get(url("duplicates", stroke, code=Q)).content.decode()
    assert "Yes" in dupes  # the synthetic campaign letters are flagged


def test_reports_open_with_python_docx_and_as_html(
    stroke: Consultation, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    response = client.get(url("report_docx", stroke))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    labels = list(Theme.objects.filter(consultation=stroke).values_list("label", flat=True))
    assert demo.TITLE in text and "stroke-kent-medway" in text
    assert any(label in text for label in labels)
    assert len(document.tables) >= 3
    html = client.get(url("report_html", stroke)).content.decode()
    assert html.startswith("<!doctype html>") and demo.TITLE in html
    assert "Wilson" in html


def test_linked_to_the_service_change_programme_in_decisions(
    stroke: Consultation, client_for: Callable[[Role], Client]
) -> None:
    from stpkit.web.decisions.models import Programme

    client = client_for(Role.ANALYST)
    before = client.get(url("detail", stroke)).content.decode()
    assert "stroke-kent-medway (no such programme in Decisions)" in before
    Programme.objects.create(
        name="Hyper-acute stroke services in Kent and Medway",
        slug=stroke.programme_slug,
        process_key="stroke",
    )
    detail = client.get(url("detail", stroke)).content.decode()
    link = reverse("decisions:programme", kwargs={"slug": stroke.programme_slug})
    assert f'<a href="{link}">Hyper-acute stroke services in Kent and Medway</a>' in detail
    assert client.get(link).status_code == 200  # the link lands on the programme
    document = Document(io.BytesIO(client.get(url("report_docx", stroke)).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Service change programme: Hyper-acute stroke services in Kent and Medway" in text
    html = client.get(url("report_html", stroke)).content.decode()
    assert "Service change programme: Hyper-acute stroke services in Kent and Medway" in html
