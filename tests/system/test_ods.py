"""NHS Digital's ODS organisation files in their published layout: 27 fields, no heading
row, dates YYYYMMDD; every row checked, nothing returned from a file with a problem."""

from __future__ import annotations

from datetime import date

import pytest

from stpkit.system import NationalFileError, read_national_file
from stpkit.system.ods import (
    check_together,
    kind_of,
    partnership_members,
    read_ods_file,
    write_ods_csv,
)
from stpkit.system.organisations import Organisation
from stpkit.system.synthetic import ae_file, ods_files


def ods_row(code: str, name: str, geography: str, *, opened: str = "19940401",
            closed: str = "", parent: str = "", width: int = 27) -> str:  # fmt: skip
    """One row as NHS Digital publishes it (quoted, 27 fields, the unused ones empty)."""
    fields = [""] * 27
    fields[0], fields[1], fields[2], fields[3] = code, name, "Y59", geography
    fields[9], fields[10], fields[11], fields[14] = "DA2 8DA", opened, closed, parent
    return ",".join(f'"{f}"' for f in fields[:width])


ETR = "\n".join(
    [
        ods_row("RN7", "DARTFORD AND GRAVESHAM NHS TRUST", "QKS"),
        ods_row("RVV", "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST", "QKS"),
        ods_row("RJ1", "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "QKK"),
        ods_row("RA2", "ROYAL SURREY COUNTY HOSPITAL NHS FOUNDATION TRUST", "QXU",
                closed="20230630"),
    ]
) + "\n"  # fmt: skip


def test_a_small_file_in_the_published_layout_loads() -> None:
    parsed = read_ods_file("etr.csv", ETR.encode("utf-8"))
    assert parsed.kind.key == "etr"
    by_code = {o.code: o for o in parsed.organisations}
    assert set(by_code) == {"RN7", "RVV", "RJ1", "RA2"}
    assert by_code["RJ1"].health_geography == "QKK"
    assert by_code["RN7"].open_date == date(1994, 4, 1) and by_code["RN7"].close_date is None
    assert by_code["RA2"].close_date == date(2023, 6, 30)
    assert by_code["RA2"].open_in(date(2023, 6, 1)) and not by_code["RA2"].open_in(date(2023, 7, 1))


def test_the_kind_comes_from_the_file_name_or_is_given() -> None:
    assert kind_of("etr.csv").key == "etr"  # type: ignore[union-attr]
    assert kind_of("downloads/eccgsite.csv").key == "eccgsite"  # type: ignore[union-attr]
    assert kind_of("trusts.csv") is None
    with pytest.raises(NationalFileError, match="names no kind"):
        read_ods_file("trusts.csv", ETR)
    assert read_ods_file("trusts.csv", ETR, kind="etr").kind.key == "etr"


def test_a_wrong_column_count_names_the_row() -> None:
    text = ETR + ods_row("RPA", "MEDWAY NHS FOUNDATION TRUST", "QKS", width=12) + "\n"
    with pytest.raises(NationalFileError) as err:
        read_ods_file("etr.csv", text)
    (issue,) = err.value.issues
    assert (issue.file, issue.row) == ("etr.csv", 5)
    assert "12 fields" in issue.reason and "27" in issue.reason


def test_a_heading_row_is_refused() -> None:
    heading = ",".join(["Organisation Code", "Name", *[f"F{i}" for i in range(25)]])
    with pytest.raises(NationalFileError, match="heading row"):
        read_ods_file("etr.csv", heading + "\n" + ETR)


def test_bad_codes_dates_and_duplicates_are_each_named() -> None:
    text = (
        ETR
        + ods_row("R N7", "A TRUST WITH A SPACE IN ITS CODE", "QKS") + "\n"
        + ods_row("RN8", "A TRUST THAT CLOSED BEFORE IT OPENED", "QKS",
                  opened="20200101", closed="20190101") + "\n"
        + ods_row("RN9", "A TRUST WITH A BAD DATE", "QKS", opened="2019-01-01") + "\n"
        + ods_row("RVV", "EAST KENT AGAIN", "QKS") + "\n"
    )  # fmt: skip
    with pytest.raises(NationalFileError) as err:
        read_ods_file("etr.csv", text)
    found = {(i.row, i.column) for i in err.value.issues}
    assert found == {
        (5, "Organisation Code"),
        (6, "Close Date"),
        (7, "Open Date"),
        (8, "Organisation Code"),
    }
    duplicate = next(i for i in err.value.issues if i.row == 8)
    assert "also on row 2" in duplicate.reason


def test_a_site_needs_its_parent_and_rolls_up_with_it() -> None:
    sites = (
        ods_row("RN707", "DARENT VALLEY HOSPITAL", "QKS", parent="RN7") + "\n"
        + ods_row("RJ122", "ST THOMAS' HOSPITAL", "QKK", parent="RJ1") + "\n"
    )  # fmt: skip
    ets = read_ods_file("ets.csv", sites)
    assert {o.code: o.parent for o in ets.organisations} == {"RN707": "RN7", "RJ122": "RJ1"}
    with pytest.raises(NationalFileError) as err:
        read_ods_file("ets.csv", ods_row("RN708", "A SITE WITHOUT A PARENT", "QKS"))
    assert err.value.issues[0].column == "Parent Organisation Code"
    # Membership by the health geography; the site follows its parent, even in another file.
    etr = read_ods_file("etr.csv", ETR)
    every = [*etr.organisations, *ets.organisations]
    assert partnership_members(every) == {"RN7", "RVV", "RN707"}
    # ... or by the partnership's own list
    assert partnership_members(every, geographies=(), codes=["RJ1"]) == {"RJ1", "RJ122"}


def test_files_loaded_together_must_not_repeat_a_code() -> None:
    etr = read_ods_file("etr.csv", ETR)
    again = read_ods_file("eccg.csv", ods_row("RN7", "NOT A CCG", "QKS"))
    with pytest.raises(NationalFileError, match=r"also in etr\.csv, row 1"):
        check_together([etr, again])


def test_a_closed_organisation_is_refused_for_a_month_after_it_closed() -> None:
    orgs = [Organisation("RN7", "Dartford", "acute", True), Organisation("RA2", "Surrey", "acute")]
    etr = read_ods_file("etr.csv", ETR)
    dates = {o.code: (o.open_date, o.close_date) for o in etr.organisations}
    known = {o.code for o in etr.organisations}
    june, july = date(2023, 6, 1), date(2023, 7, 1)
    assert read_national_file("ae.csv", ae_file(june, orgs), known_orgs=known, open_dates=dates)
    with pytest.raises(NationalFileError) as err:
        read_national_file("ae.csv", ae_file(july, orgs), known_orgs=known, open_dates=dates)
    (issue,) = err.value.issues
    assert issue.column == "Org Code" and issue.row == 3  # RA2 is the second provider row
    assert "closed on 30 Jun 2023" in issue.reason


def test_the_demo_list_is_written_in_the_layout_and_read_back() -> None:
    files = ods_files()
    for name, text in files.items():
        assert all(len(line.split('","')) == 27 for line in text.splitlines())
        parsed = read_ods_file(name, text)
        assert text == write_ods_csv(parsed.organisations)
    ccgs = read_ods_file("eccg.csv", files["eccg.csv"]).organisations
    assert {o.code for o in ccgs if o.close_date == date(2020, 3, 31)} == {
        "09C", "09E", "09J", "09W", "10A", "10D", "10E", "99J"
    }  # fmt: skip
