"""Importing milestones and risks from Excel: all rows or none, problems by row."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from stpkit.programme.importing import MILESTONES, RISKS
from stpkit.web.core.audit import history_for
from stpkit.web.programme.models import Milestone, Risk


def xlsx(headings: list[str], rows: list[list[Any]]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headings)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("plan.xlsx", out.getvalue())


M = [c.heading for c in MILESTONES.columns]
R = [c.heading for c in RISKS.columns]


def test_a_broken_row_is_reported_and_nothing_is_saved(client_as: Callable[[str], Client]) -> None:
    before = Milestone.objects.count()
    upload = xlsx(
        M,
        [
            [
                "hospital-care",
                "Stroke: ASU rehabilitation pathway agreed",
                None,
                "2018-09-30",
                None,
                "",
                "",
            ],
            ["hospital-care", "Stroke: ESD for half of patients", None, "2018-13-01", None, "", ""],
            ["Atlantis", "Nothing", None, "2018-09-30", None, "", ""],
        ],
    )
    page = (
        client_as("lead")
        .post(reverse("programme:import"), {"what": "milestones", "file": upload})
        .content.decode()
    )
    assert "Nothing was saved" in page
    assert "2018-13-01" in page and "no workstream called “Atlantis”" in page
    assert Milestone.objects.count() == before


def test_a_lead_cannot_import_rows_for_another_workstream(
    client_as: Callable[[str], Client],
) -> None:
    upload = xlsx(M, [["digital", "New digital milestone", None, "2018-09-30", None, "", ""]])
    page = (
        client_as("lead")
        .post(reverse("programme:import"), {"what": "milestones", "file": upload})
        .content.decode()
    )
    assert "you may not edit Digital" in page
    assert not Milestone.objects.filter(title="New digital milestone").exists()


def test_wrong_columns_get_a_clear_message(client_as: Callable[[str], Client]) -> None:
    upload = xlsx(["Workstream", "Milestone name", "When"], [["digital", "x", "2018-01-01"]])
    page = (
        client_as("office")
        .post(reverse("programme:import"), {"what": "milestones", "file": upload})
        .content.decode()
    )
    assert (
        "missing column(s): Title, Baseline date" in page
        and "unknown column(s): Milestone name, When" in page
    )


def test_a_good_file_creates_and_updates_with_history(client_as: Callable[[str], Client]) -> None:
    existing = Milestone.objects.get(title="Stroke: launch public consultation")
    upload = xlsx(
        M,
        [
            [
                "hospital-care",
                "Stroke: launch public consultation",
                None,
                "2018-02-01",
                "2018-07-03",
                "Stroke SRO",
                "In progress",
            ],
            [
                "Hospital care",
                "Stroke: ASU rehabilitation pathway agreed",
                "2018-05-01",
                "2018-09-30",
                None,
                "",
                "",
            ],
        ],
    )
    response = client_as("lead").post(
        reverse("programme:import"), {"what": "milestones", "file": upload}
    )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.forecast_date.isoformat() == "2018-07-03"
    assert "plan.xlsx, row 2" in history_for(existing).first().reason  # type: ignore[union-attr]
    new = Milestone.objects.get(title="Stroke: ASU rehabilitation pathway agreed")
    assert new.forecast_date == new.baseline_date and new.status == "not_started"


def test_risks_import_with_programme_wide_rows_and_score_history(
    client_as: Callable[[str], Client],
) -> None:
    upload = xlsx(
        R,
        [
            [
                None,
                "Brexit and EU staff",
                "Risk",
                "",
                "Programme director",
                4,
                4,
                3,
                3,
                "",
                "2018-06-30",
            ],
            ["workforce", "Medical school bid fails", "Risk", "", "", 2, 5, None, None, "", None],
        ],
    )
    response = client_as("office").post(
        reverse("programme:import"), {"what": "risks", "file": upload}
    )
    assert response.status_code == 302
    brexit = Risk.objects.get(title="Brexit and EU staff")
    assert brexit.workstream is None and brexit.score == 16 and brexit.target_score == 9
    assert brexit.scores.count() == 1


def test_the_template_downloads(client_as: Callable[[str], Client]) -> None:
    response = client_as("board").get(reverse("programme:import_template", args=["risks"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert (
        client_as("board").get(reverse("programme:import_template", args=["nope"])).status_code
        == 404
    )


def test_a_lead_cannot_import_programme_wide_risks_and_nothing_is_saved(
    client_as: Callable[[str], Client],
) -> None:
    before = Risk.objects.count()
    upload = xlsx(
        R,
        [
            [
                "hospital-care",
                "Stroke: thrombectomy staffing",
                "Risk",
                "",
                "",
                3,
                4,
                None,
                None,
                "",
                None,
            ],
            [None, "System-wide cyber attack", "Risk", "", "", 2, 5, None, None, "", None],
        ],
    )
    page = (
        client_as("lead")
        .post(reverse("programme:import"), {"what": "risks", "file": upload})
        .content.decode()
    )
    assert "you may not edit the programme-wide register" in page
    assert "Nothing was saved" in page
    assert Risk.objects.count() == before  # the good hospital-care row is not saved either


def test_a_sheet_with_only_headings_is_refused(client_as: Callable[[str], Client]) -> None:
    before = Milestone.objects.count()
    page = (
        client_as("office")
        .post(reverse("programme:import"), {"what": "milestones", "file": xlsx(M, [])})
        .content.decode()
    )
    assert "no rows under the headings" in page and "plan.xlsx" in page
    assert Milestone.objects.count() == before
