"""The stroke configuration page: picks, side-by-side figures, maps and downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from stpkit.web.accounts.roles import Role
from stpkit.web.decisions.views.stroke import stroke_model

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
    key = html.split("data-site-key>")[1].split("</p>")[0]  # the codes are explained
    assert all(f"{c} " in key for c in ("DA", "MD", "WH", "KT"))
    assert "Maidstone" in key
    for kind in ("time", "change", "catchment"):
        assert f"map-a-{kind}" in html and f"map-b-{kind}" in html
    # side by side: each kind of map for A, then for B
    assert html.index("map-a-time") < html.index("map-b-time") < html.index("map-a-change")
    xlsx = c.get("/decisions/stroke/?a=DA&a=MD&a=WH&b=MD&b=WH&b=KT&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert isinstance(ws, Worksheet)
    header = [cell.value for cell in ws[1]]
    assert header == ["Measure", "Today", "A: DA+MD+WH", "B: KT+MD+WH"]
    measures = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    mean = measures["mean travel time to the first unit, minutes (residents, by admissions)"]
    assert float(str(mean[2].value)) > float(str(mean[1].value))  # three HASUs: longer than today
    text = c.get("/decisions/stroke/?a=QM&format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Measure,Today,A: QM"


def test_empty_pick_says_what_to_do(client_for: Callable[[Role], Client]) -> None:
    r = client_for(Role.ANALYST).get("/decisions/stroke/?a=XX")
    assert "Pick at least one site for configuration A." in r.content.decode()


def test_data_controller_is_refused(client_for: Callable[[Role], Client]) -> None:
    assert client_for(Role.DATA_CONTROLLER).get("/decisions/stroke/").status_code == 403


def test_thrombectomy_tick_shortens_onset_to_puncture(
    client_for: Callable[[Role], Client],
) -> None:
    """Same HASUs in A and B, B's William Harvey also provides thrombectomy: only the
    thrombectomy figures and outcomes differ, and by the removed transfer."""
    c = client_for(Role.ANALYST)
    url = "/decisions/stroke/?a=MD&a=WH&b=MD&b=WH&b_mt=WH"
    html = c.get(url).content.decode()
    assert 'id="b-mt-WH" name="b_mt" type="checkbox" value="WH" checked' in html
    assert "A: MD+WH" in html and "B: MD+WH (MT: WH)" in html
    text = c.get(url + "&format=csv").content.decode("utf-8-sig")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(text))}
    assert rows["candidate sites that provide thrombectomy (no transfer needed)"] == [
        "none",
        "none",
        "WH",
    ]

    def figure(name: str) -> list[float]:
        return [float(v) for v in rows[name]]

    _, a, b = figure("mean onset-to-thrombectomy time, minutes")
    # William Harvey's patients no longer wait for a transfer: each saves door in door out
    # + the transfer + arrival to puncture after it - arrival to puncture on site
    model = stroke_model()
    p, wh = model.pathway, model.geo.site_index("WH")
    saving = (
        p.door_in_door_out_hasu
        + model.geo.cand_transfer[wh]
        + p.transfer_arrival_to_puncture
        - p.arrival_to_puncture
    )
    lsoa = model.evaluate(model.configuration("A", ["MD", "WH"])).lsoa
    residents = lsoa[lsoa.resident]
    share_wh = residents.admissions[residents.unit == model.geo.candidates[wh].name].sum() / (
        residents.admissions.sum()
    )
    assert 0 < share_wh < 1
    assert a - b == pytest.approx(saving * share_wh, abs=1e-3)
    _, mean_a, mean_b = figure(
        "mean travel time to the first unit, minutes (residents, by admissions)"
    )
    assert mean_a == mean_b  # where patients go first does not change
    _, needle_a, needle_b = figure("mean onset-to-thrombolysis time, minutes")
    assert needle_a == needle_b
    _, good_a, good_b = figure("added admissions with mRS 0-2 a year against today")
    assert good_b > good_a


def test_thrombectomy_without_a_hasu_is_refused(client_for: Callable[[Role], Client]) -> None:
    html = client_for(Role.ANALYST).get("/decisions/stroke/?a=MD&a_mt=WH").content.decode()
    assert (
        "Thrombectomy needs a HASU on the same site: in configuration A, tick William Harvey "
        "Hospital, Ashford (WH) as a HASU site too, or untick thrombectomy there."
    ) in html
    assert 'href="#a-mt-sites"' in html


@pytest.mark.django_db
def test_the_decisions_page_links_to_the_stroke_explorer(
    client_for: Callable[[Role], Client],
) -> None:
    page = client_for(Role.BOARD_MEMBER).get("/decisions/").content.decode()
    assert 'href="/decisions/stroke/"' in page


def test_access_standard_and_business_case_rows(client_for: Callable[[Role], Client]) -> None:
    c = client_for(Role.BOARD_MEMBER)
    text = c.get("/decisions/stroke/?a=DA&a=MD&a=WH&b=MD&b=QM&b=WH&format=csv").content
    rows = {r[0]: r for r in csv.reader(io.StringIO(text.decode("utf-8-sig")))}
    access = rows["95% reach a unit within 45 minutes?"]
    assert access[1].startswith("Yes") and access[2].startswith("No: 89.5%")
    assert access[3].startswith("Yes")
    capital = rows["capital: HASU works and beds, GBP"]
    assert float(capital[1]) == 0.0 and float(capital[2]) > 0  # today needs no HASU works
    beds = rows["HASU beds (Erlang loss: at most 5% of patients find no bed)"]
    assert float(beds[2]) < float(beds[1])  # three pooled units need fewer than seven
    assert "change in visitors' road hours a year" in rows


def test_maps_share_one_polygon_file_and_the_page_stays_small(
    client_for: Callable[[Role], Client],
) -> None:
    c = client_for(Role.ANALYST)
    page = c.get("/decisions/stroke/?a=DA&a=MD&a=WH&b=MD&b=WH&b=KT")
    # six maps: each used to carry the same 750 KB of polygons
    assert page.status_code == 200 and len(page.content) < 400_000
    # the one polygon file of the ICB's LSOAs that every LSOA map shares (core.maps)
    assert page.content.decode().count("/maps/lsoas/E54000032.geojson") == 6
    polygons = c.get("/maps/lsoas/E54000032.geojson")
    assert polygons.status_code == 200
    assert len(polygons.json()["features"]) == 1065
    assert "max-age=86400" in polygons["Cache-Control"]
    again = c.get("/maps/lsoas/E54000032.geojson", HTTP_IF_NONE_MATCH=polygons["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_admissions_are_whole_and_money_signed_before_the_pound(
    client_for: Callable[[Role], Client],
) -> None:
    html = client_for(Role.ANALYST).get("/decisions/stroke/?a=DA&a=MD&a=WH").content.decode()
    table = html.split("Admissions a year by unit, residents")[1].split("</table>")[0]
    cells = [c.split(">")[-1].strip() for c in table.split("</td>")[:-1]]
    numbers = [c for c in cells if c and c[0].isdigit()]
    assert numbers and all("." not in c for c in numbers), numbers
    assert "£-" not in html
