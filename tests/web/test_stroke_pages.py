"""The stroke configuration page: picks, side-by-side figures, maps and downloads."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook

from stpkit.web.accounts.roles import Role

pytestmark = pytest.mark.slow  # builds the Kent and Medway model once per process


def test_today_only(client_for: Callable[[Role], Client]) -> None:
    r = client_for(Role.ANALYST).get("/decisions/stroke/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Stroke service configurations" in html
    assert "Maidstone District General Hospital (MD)" in html
    assert "Tunbridge Wells Hospital (TU) *" in html  # estimated times are marked
    assert "map-today-time" in html


def test_compare_two_configurations(client_for: Callable[[Role], Client]) -> None:
    c = client_for(Role.BOARD_MEMBER)
    r = c.get("/decisions/stroke/?a=DA&a=MD&a=WH&b=MD&b=WH&b=KT")
    html = r.content.decode()
    assert "A: DA+MD+WH" in html and "B: KT+MD+WH" in html
    for kind in ("time", "change", "catchment"):
        assert f"map-a-{kind}" in html and f"map-b-{kind}" in html
    # side by side: each kind of map for A, then for B
    assert html.index("map-a-time") < html.index("map-b-time") < html.index("map-a-change")
    xlsx = c.get("/decisions/stroke/?a=DA&a=MD&a=WH&b=MD&b=WH&b=KT&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [cell.value for cell in ws[1]]
    assert header == ["Measure", "Today", "A: DA+MD+WH", "B: KT+MD+WH"]
    measures = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    mean = measures["mean travel time to the first unit, minutes (residents, by admissions)"]
    assert float(mean[2].value) > float(mean[1].value)  # three HASUs: longer than today
    csv = c.get("/decisions/stroke/?a=QM&format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Measure,Today,A: QM"


def test_empty_pick_says_what_to_do(client_for: Callable[[Role], Client]) -> None:
    r = client_for(Role.ANALYST).get("/decisions/stroke/?a=XX")
    assert "Pick at least one site for configuration A." in r.content.decode()


def test_data_controller_is_refused(client_for: Callable[[Role], Client]) -> None:
    assert client_for(Role.DATA_CONTROLLER).get("/decisions/stroke/").status_code == 403
