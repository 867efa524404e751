"""The board paper carries the deprivation gap: the governed, disclosure-controlled figures
the Inequalities page publishes (most and least deprived fifths, the gap, the slope index),
a dash where the policy hides one, its reading logged; and says why when there are none."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from stpkit.demo.data import load_purposes
from stpkit.disclosure import policy_named
from stpkit.kid.governed import Governance, governance_dir, inequalities, open_store
from stpkit.kid.sources import SampleSpec, write_sample
from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import BoardMeeting
from stpkit.web.board.services import generate_update
from stpkit.web.data.board import BOARD_MEASURES, COLUMNS, HEADING

MARCH = "2018-03-05"


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Small enough that the policy hides some quintiles' deaths, large enough for the rest.
    return write_sample(
        tmp_path_factory.mktemp("kid") / "sample", SampleSpec(people=2_500, practices=12)
    )


def _paper(client: Client) -> Document:
    generate_update(meeting=BoardMeeting.objects.get(date=MARCH), user=None)
    response = client.get(reverse("board:public_update_docx", args=[MARCH]))
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def test_the_paper_holds_the_published_deprivation_gap(
    board_demo: None,
    client_for: Callable[[Role], Client],
    small_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    (tmp_path / "kid").mkdir()
    (tmp_path / "kid" / "sample").symlink_to(small_store)
    load_purposes(analyst="test-analyst", controller="test-data_controller")
    governance = Governance(governance_dir(tmp_path))
    document = _paper(client_for(Role.PROGRAMME_OFFICE))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert HEADING in headings
    tables = [[c.text for c in t.rows[0].cells] for t in document.tables]
    table = document.tables[tables.index(list(COLUMNS))]
    shown = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}

    # The same figures the governed layer publishes under the purpose's policy.
    store = open_store(small_store)
    purpose = governance.purpose("population-dashboards")
    year = store.years()[-1]
    result = inequalities(store, year, tmp_path / "check", policy_named(purpose.disclosure_policy))
    store.close()
    assert len(shown) == len(BOARD_MEASURES)
    hidden = 0
    for key in BOARD_MEASURES:
        gap = result.gap(key)
        assert gap is not None
        cells = shown[gap["label"]]
        values = (gap["most"], gap["least"], gap["gap"], gap["sii"])
        for cell, value in zip(cells, values, strict=True):
            if value is None:
                assert cell == "–"
                hidden += 1
            else:
                number = float(cell.replace("£", "").replace(",", "").rstrip("%"))
                pounds = cell.startswith("£")  # to the pound on paper
                assert number == pytest.approx(value, abs=0.5 if pounds else 0.05), (key, cell)
    assert hidden > 0  # the policy hid a small count, and the paper did not guess it
    cost = shown["Cost per person a year (GBP)"]
    assert cost[0].startswith("£")
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"Everyone registered in {year}" in text and "disclosure policy" in text
    assert any(e.what == "board paper deprivation gap" for e in governance.entries())


def test_without_an_approved_purpose_the_paper_says_why(
    board_demo: None,
    client_for: Callable[[Role], Client],
    small_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(tmp_path))
    (tmp_path / "kid").mkdir()
    (tmp_path / "kid" / "sample").symlink_to(small_store)
    document = _paper(client_for(Role.PROGRAMME_OFFICE))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No figures: The purpose “population-dashboards” has not been requested" in text
    tables = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert list(COLUMNS) not in tables
