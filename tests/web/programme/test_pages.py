"""Dashboard, lists, timelines and downloads."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from stpkit.programme.rag import Rag
from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
from stpkit.web.programme.models import Workstream


def test_dashboard_shows_latest_confidence_slips_warnings_and_escalations(
    client_as: Callable[[str], Client],
) -> None:
    hospital = Workstream.objects.get(slug="hospital-care")
    for month, rating in [("2018-01-01", Rag.AMBER), ("2018-02-01", Rag.AMBER_RED)]:
        period = ReportingPeriod.objects.create(month=month)
        WorkstreamUpdate.objects.create(
            workstream=hospital, period=period, confidence=rating.value, status="accepted"
        )
    page = client_as("board").get(reverse("programme:index")).content.decode()
    assert "programme-rag--amber_red" in page and "February 2018" in page
    assert "Overall delivery confidence" in page
    assert "waits for" in page  # a dependency warning
    assert "Capital availability for new hospital build" in page  # escalated (score 20)
    assert "milestones slipping" in page


def test_pages_render_for_a_reader(client_as: Callable[[str], Client]) -> None:
    client = client_as("board")
    for name, args in [
        ("programme:workstream", ["hospital-care"]),
        ("programme:milestones", []),
        ("programme:dependencies", []),
        ("programme:timeline", []),
        ("programme:risks", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("programme:workstream", args=["hospital-care"])).content.decode()
    assert "data-vega-spec" in page and "Gap it closes" in page and 'id="heat-map"' in page


def test_every_list_downloads_as_csv_and_excel(client_as: Callable[[str], Client]) -> None:
    client = client_as("board")
    for name, heading in [
        ("programme:index", "Status"),
        ("programme:milestones", "Baseline"),
        ("programme:dependencies", "Waits for milestone"),
        ("programme:risks", "Likelihood"),
    ]:
        response = client.get(reverse(name), {"format": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert heading in rows[0] and len(rows) > 1, name
        response = client.get(reverse(name), {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and heading in [c.value for c in sheet[1]], name


def test_filters_narrow_the_lists(client_as: Callable[[str], Client]) -> None:
    client = client_as("board")
    response = client.get(
        reverse("programme:milestones"), {"workstream": "digital", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {r["Workstream"] for r in rows} == {"Digital"}
    response = client.get(reverse("programme:risks"), {"escalated": "1", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and all(int(r["Score"]) >= 15 for r in rows)
    response = client.get(reverse("programme:risks"), {"cell": "45", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and all((r["Likelihood"], r["Consequence"]) == ("4", "5") for r in rows)


def test_the_dashboard_links_to_the_board_pages(client_as: Callable[[str], Client]) -> None:
    client = client_as("board")
    page = client.get(reverse("programme:index")).content.decode()
    nav = page[page.index('id="board-links"') :]
    nav = nav[: nav.index("</nav>")]
    for name in ("board:index", "board:trend", "board:budgets"):
        href = reverse(name)
        assert f'href="{href}"' in nav, name
        assert client.get(href).status_code == 200, name


def test_the_board_page_lists_the_risks_escalated_to_it(
    client_as: Callable[[str], Client],
) -> None:
    from stpkit.web.programme.models import Risk, RiskPolicy

    client = client_as("board")
    page = client.get(reverse("board:index")).content.decode()
    listed = page[page.index('id="escalated-risks"') :]
    listed = listed[: listed.index("</ul>")]
    assert "Capital availability for new hospital build" in listed  # 4 x 5 = 20
    assert "Scrutiny delays to the stroke consultation" not in listed  # 3 x 3 = 9
    Risk.objects.filter(title="Capital availability for new hospital build").update(status="closed")
    policy = RiskPolicy.current()
    policy.escalation_threshold = 25
    policy.save()
    page = client.get(reverse("board:index")).content.decode()
    assert 'id="escalated-risks"' not in page and "No open risk scores 25 or more" in page


def test_objectives_and_score_history_download(client_as: Callable[[str], Client]) -> None:
    from stpkit.web.programme.models import Risk

    client = client_as("board")
    response = client.get(
        reverse("programme:workstream", args=["hospital-care"]), {"format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["Workstream"] for r in rows} == {"Hospital care"}
    assert "Care and quality" in {r["Gap it closes"] for r in rows}
    assert len(rows) == Workstream.objects.get(slug="hospital-care").objectives.count()

    workforce = Risk.objects.get(title="Workforce shortages and reliance on agency staff")
    response = client.get(reverse("programme:risk", args=[workforce.pk]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["When", "Likelihood", "Consequence", "Score", "Band", "By"]
    # The seed history (12 in April 2017, 16 from November 2017), newest first.
    assert [row[3] for row in values[1:]] == [16, 16, 12]
    assert values[1][4] == "Extreme"
    page = client.get(reverse("programme:risk", args=[workforce.pk])).content.decode()
    assert 'id="score-history"' in page and "16 Extreme" in page


def test_the_workstreams_download_has_type_status_lead_and_sro(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("board").get(reverse("programme:index"), {"format": "csv"})
    rows = {
        r["Workstream"]: r
        for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    assert len(rows) == 10
    system = rows["System and commissioning transformation"]
    assert system["Status"] == "Mobilising" and system["Senior responsible officer"]
    assert rows["Digital"]["Type"] == "Enabling" and rows["Digital"]["Lead"]
    assert rows["Hospital care"]["Delivery confidence"] == "Not yet rated"


def _timeline_rows(page: str) -> list[dict[str, object]]:
    """The milestone rows of the Gantt chart's spec on a timeline page."""
    found = re.search(r'id="programme-timeline"[^>]*data-vega-spec="([^"]*)"', page)
    assert found is not None
    rows: list[dict[str, object]] = json.loads(html.unescape(found.group(1)))["datasets"][
        "milestones"
    ]
    return rows


def test_the_timeline_shows_one_workstream_when_asked(client_as: Callable[[str], Client]) -> None:
    client = client_as("board")
    every = client.get(reverse("programme:timeline")).content.decode()
    assert len({r["workstream"] for r in _timeline_rows(every)}) > 3
    assert 'option value="hospital-care">Hospital care</option>' in every
    page = client.get(reverse("programme:timeline"), {"workstream": "hospital-care"})
    assert page.status_code == 200
    text = page.content.decode()
    rows = _timeline_rows(text)
    hospital = Workstream.objects.get(slug="hospital-care")
    assert len(rows) == hospital.milestones.count() > 0
    assert {r["workstream"] for r in rows} == {"Hospital care"}
    assert "Programme timeline: Hospital care" in text
    assert 'option value="hospital-care" selected>' in text
    # the dependency path stays the programme's, listed whole
    assert text.count("forecast ") == every.count("forecast ")
    assert client.get(reverse("programme:timeline"), {"workstream": "nope"}).status_code == 404
