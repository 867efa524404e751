"""Importing returns: good files load; every problem in a bad file is listed with its
file, row and column, and nothing is returned."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from stpkit.enablers import ReturnRejected, parse_estates, parse_workforce, template_csv
from stpkit.enablers.importers import BUILDING_COLUMNS, SITE_COLUMNS, STAFF_COLUMNS
from stpkit.enablers.synthetic import estates_return, organisations, workforce_return

ORGS = {"RWF", "RPA", "KCC"}
SITES = "site_code,site_name,organisation_code,postcode\nS1,Maidstone Hospital,RWF,\n"
B_HEAD = ",".join(c.name for c in BUILDING_COLUMNS)
GOOD_B = "S1,B1,Main,acute,freehold,MTW,1000,B,0,0,0,0,300,80,0,N,0,RPA"
MEASURES = "organisation_code,staff_group,vacancies_wte,leavers_wte\nRWF,nursing,10,12\n"
S_HEAD = ",".join(c.name for c in STAFF_COLUMNS)


def _f(name: str, text: str) -> tuple[str, bytes]:
    return name, text.encode()


def test_templates_round_trip_through_the_importer() -> None:
    sites = template_csv("estates_sites").decode().replace("RWF01", "S1")
    buildings = template_csv("estates_buildings").decode().replace("RWF01", "S1")
    ret = parse_estates(
        _f("s.csv", sites),
        _f("b.csv", buildings.replace("RYY;KCC", "KCC")),
        year=2017,
        organisations=ORGS,
    )
    assert len(ret.buildings) == 1 and ret.buildings[0].utilisation == pytest.approx(0.85)
    assert ret.buildings[0].shared_with == ("KCC",)


def test_good_estates_return() -> None:
    ret = parse_estates(
        _f("s.csv", SITES), _f("b.csv", f"{B_HEAD}\n{GOOD_B}\n"), year=2017, organisations=ORGS
    )
    b = ret.buildings[0]
    assert (b.site, b.floor_area_m2, b.condition, b.listed) == ("S1", 1000, "B", False)
    assert ret.sites[0].organisation == "RWF"


def test_every_estates_problem_is_named_and_nothing_returned() -> None:
    bad = "\n".join(
        [
            B_HEAD,
            GOOD_B,
            "S9,B2,x,acute,freehold,o,10,B,0,0,0,0,1,50,0,N,0,",  # unknown site
            "S1,B3,x,acute,freehold,o,-5,B,0,0,0,0,1,50,0,N,0,",  # negative area
            GOOD_B,  # duplicate of row 2
            "S1,B4,x,spa,freehold,o,10,Z,0,0,0,0,1,150,0,maybe,0,",  # three problems
        ]
    )
    with pytest.raises(ReturnRejected) as err:
        parse_estates(
            _f("sites.csv", SITES),
            _f("buildings.csv", bad),
            year=2018,
            organisations=ORGS,
            loaded_years={2018},
        )
    problems = err.value.problems
    got = {(p.file, p.row, p.column) for p in problems}
    assert ("sites.csv", None, None) in got  # year already loaded
    assert ("buildings.csv", 3, "site_code") in got
    assert ("buildings.csv", 4, "floor_area_m2") in got
    assert ("buildings.csv", 5, "building_code") in got
    assert {
        ("buildings.csv", 6, c) for c in ("use", "condition", "utilisation_pct", "listed")
    } <= got
    text = str(err.value)
    assert "already loaded" in text and "unknown site 'S9'" in text and "-5 is negative" in text
    assert "duplicate of row 2" in text and "buildings.csv, row 3, column 'site_code'" in text


def test_missing_columns_are_named() -> None:
    with pytest.raises(ReturnRejected) as err:
        parse_estates(
            _f("s.csv", "site_code,site_name\nS1,x\n"),
            _f("b.csv", f"{B_HEAD}\n"),
            year=2017,
            organisations=ORGS,
        )
    cols = {p.column for p in err.value.problems if p.file == "s.csv"}
    assert cols == {"organisation_code"}  # postcode is optional, so may be left out


def test_workforce_problems_unknown_group_org_negative_wte_duplicate() -> None:
    staff = "\n".join(
        [
            S_HEAD,
            "P1,RWF,nursing,5,1.0,40",
            "P2,RWF,porters,5,1.0,40",  # unknown staff group
            "P3,XYZ,nursing,5,-1,40",  # unknown organisation and negative WTE
            "P1,RWF,nursing,5,1.0,41",  # duplicate record id
        ]
    )
    with pytest.raises(ReturnRejected) as err:
        parse_workforce(
            _f("staff.csv", staff), _f("m.csv", MEASURES), year=2017, organisations=ORGS
        )
    got = {(p.row, p.column): p.message for p in err.value.problems}
    assert "unknown staff group 'porters'" in got[(3, "staff_group")]
    assert got[(4, "wte")] == "-1 is negative"
    assert "duplicate of row 2" in got[(5, "record_id")]
    assert len(err.value.problems) == 3  # P3's organisation is not checked once WTE is bad


def test_workforce_excel_file_loads() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.name for c in STAFF_COLUMNS])
    ws.append(["P1", "RWF", "medical", "medical", 1, 50])
    ws.append(["P2", "RPA", "nursing", 6, 0.6, 29])
    out = io.BytesIO()
    wb.save(out)
    ret = parse_workforce(
        ("staff.xlsx", out.getvalue()), _f("m.csv", MEASURES), year=2017, organisations=ORGS
    )
    assert [(r.record_id, r.band, r.wte) for r in ret.records] == [
        ("P1", "medical", 1.0),
        ("P2", "6", 0.6),
    ]
    assert ret.measures[0].vacancies_wte == 10 and ret.measures[0].agency_spend == 0


def test_synthetic_returns_load_at_scale() -> None:
    orgs = organisations(20)
    codes = {c for c, _, _ in orgs}
    sites, buildings = estates_return(orgs, buildings=200)
    staff, measures = workforce_return(orgs, staff=3000)
    e = parse_estates(("s.csv", sites), ("b.csv", buildings), year=2017, organisations=codes)
    w = parse_workforce(("p.csv", staff), ("m.csv", measures), year=2017, organisations=codes)
    assert len(e.buildings) == 200 and len(w.records) == 3000
    assert {s.organisation for s in e.sites} == codes
    assert SITE_COLUMNS[0].name == "site_code"


def test_an_unknown_column_is_named_not_ignored() -> None:
    with pytest.raises(ReturnRejected) as err:
        parse_estates(
            _f("s.csv", "site_code,site_name,organisation_code,post_code\nS1,x,RWF,ME1\n"),
            _f("b.csv", f"{B_HEAD}\n{GOOD_B}\n"),
            year=2017,
            organisations=ORGS,
        )
    [problem] = [p for p in err.value.problems if p.file == "s.csv"]
    assert (problem.row, problem.column) == (1, "post_code")
    assert "unknown column 'post_code'" in str(problem) and "postcode" in problem.message


def test_a_row_cut_short_is_refused_with_its_number() -> None:
    with pytest.raises(ReturnRejected) as err:
        parse_workforce(
            _f("staff.csv", f"{S_HEAD}\nP1,RWF,nursing,5,0.8,40\nP2,RWF,nursing\n"),
            _f("m.csv", MEASURES),
            year=2017,
            organisations=ORGS,
        )
    assert [(p.file, p.row) for p in err.value.problems] == [("staff.csv", 3)]
