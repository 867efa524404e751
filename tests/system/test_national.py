"""National files in their published layouts: good files load, bad files are refused with
file, row and column, and nothing is returned from a file with any problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stpkit.system import NationalFileError, aggregate, parse_period, read_national_file
from stpkit.system.layouts import AE_COLUMNS, LAYOUTS, RTT_BANDS
from stpkit.system.organisations import KENT_MEDWAY, PARTNERSHIP_CODES, england
from stpkit.system.synthetic import WRITERS, write_national_files

JAN = date(2017, 1, 1)
KNOWN = {o.code for o in KENT_MEDWAY}


def _ae(rows: list[list[object]]) -> str:
    lines = [",".join(f'"{c}"' for c in AE_COLUMNS)]
    lines += [",".join(str(c) for c in r) for r in rows]
    return "\n".join(lines) + "\n"


def _ae_row(
    org: str, t1: object, over1: object, period: str = "MSitAE-JANUARY-2017"
) -> list[object]:
    return [period, org, "NHS ENGLAND", "Trust", t1, 0, 100, 0, 0, 0, over1, 0, 0, 0, 0, 0, 5, 2,
            300, 0, 0, 50]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MSitAE-JANUARY-2017", JAN),
        ("RTT-January-2017", JAN),
        ("2017-01", JAN),
        ("2017-01-31", JAN),
        ("31/01/2017", JAN),
        ("Jan-17", JAN),
        ("not a month", None),
    ],
)
def test_period_labels(text: str, expected: date | None) -> None:
    assert parse_period(text) == expected


def test_ae_file_four_hour_share_is_computed_over_all_types() -> None:
    text = _ae([_ae_row("RN7", 900, 90), _ae_row("RPA", 1900, 400), _ae_row("TOTAL", 1, 1)])
    f = read_national_file("ae.csv", text, known_orgs=KNOWN)
    assert f.layout.key == "ae" and f.period == JAN
    values = {(v.measure, v.org_code): v for v in f.values}
    assert values["ae_4hr", "RN7"].value == pytest.approx(100 * (1000 - 90) / 1000)
    assert values["ae_12hr_dta", "RN7"].value == 2
    partnership = aggregate(f.values, PARTNERSHIP_CODES)
    assert partnership["ae_4hr", JAN] == pytest.approx(100 * (3000 - 490) / 3000)


def test_unknown_layout_names_file_and_missing_columns() -> None:
    changed = _ae([_ae_row("RN7", 900, 90)]).replace("Attendances over 4hrs Type 1", "Over 4h T1")
    with pytest.raises(NationalFileError) as err:
        read_national_file("Monthly-AE-January-2017.csv", changed, known_orgs=KNOWN)
    message = str(err.value)
    assert "Monthly-AE-January-2017.csv" in message
    assert "missing columns: 'Attendances over 4hrs Type 1'" in message
    assert "unexpected columns: 'Over 4h T1'" in message


def test_unknown_provider_and_non_numeric_values_name_row_and_column() -> None:
    text = _ae([_ae_row("RN7", 900, 90), _ae_row("XXX", 10, 1), _ae_row("RPA", "n/a", 5)])
    with pytest.raises(NationalFileError) as err:
        read_national_file("ae.csv", text, known_orgs=KNOWN)
    issues = {(i.row, i.column): i.reason for i in err.value.issues}
    assert issues[3, "Org Code"] == "organisation code 'XXX' is not known"
    assert issues[4, "A&E attendances Type 1"] == "'n/a' is not a number"
    assert len(err.value.issues) == 2


def test_a_row_from_another_month_is_refused() -> None:
    text = _ae([_ae_row("RN7", 900, 90), _ae_row("RPA", 900, 90, "MSitAE-FEBRUARY-2017")])
    with pytest.raises(NationalFileError, match=r"row 3.*not the file's period January 2017"):
        read_national_file("ae.csv", text, known_orgs=KNOWN)


def test_layout_without_period_needs_one() -> None:
    orgs = england(providers=3, commissioners=2)
    text = WRITERS["dm01"](JAN, orgs)
    with pytest.raises(NationalFileError, match="give the period"):
        read_national_file("dm01.csv", text, known_orgs={o.code for o in orgs})
    f = read_national_file("dm01.csv", text, known_orgs={o.code for o in orgs}, period=JAN)
    assert f.period == JAN and {v.measure for v in f.values} == {"dm01_6wk"}


def test_rtt_uses_part_2_total_rows_only() -> None:
    header = ["Period", "Provider Parent Org Code", "Provider Parent Name", "Provider Org Code",
              "Provider Org Name", "Commissioner Parent Org Code", "Commissioner Parent Name",
              "Commissioner Org Code", "Commissioner Org Name", "RTT Part Type",
              "RTT Part Description", "Treatment Function Code", "Treatment Function Name",
              *RTT_BANDS, "Total", "Patients with unknown clock start date",
              "Total All"]  # fmt: skip

    def row(part: str, tfc: str, per_band: int) -> str:
        bands = [per_band] * 105
        cells = ["RTT-January-2017", "Q", "P", "RWF", "MTW", "Q", "P", "99J", "WK", part, "d",
                 tfc, "t", *bands, "", "", sum(bands)]  # fmt: skip
        return ",".join(str(c) for c in cells)

    text = "\n".join(
        [",".join(f'"{h}"' for h in header), row("Part_2", "C_999", 2), row("Part_2", "C_100", 1),
         row("Part_1A", "C_999", 7)]
    )  # fmt: skip
    f = read_national_file("rtt.csv", text, known_orgs=KNOWN)
    values = {v.measure: v for v in f.values}
    assert values["rtt_18wk"].numerator == 36 and values["rtt_18wk"].denominator == 210
    assert values["rtt_52wk"].value == 2 * 53
    assert f.rows_read == 3  # rows skipped unparsed still count as read
    bad = text + "\n" + row("Part_2", "C_999", 1).replace(",1,", ",one,", 1)
    with pytest.raises(NationalFileError) as err:
        read_national_file("rtt.csv", bad, known_orgs=KNOWN)
    assert (err.value.issues[0].row, err.value.issues[0].column) == (5, "Gt 00 To 01 Weeks SUM 1")


def test_every_synthetic_file_reads_back_in_its_own_layout(tmp_path: Path) -> None:
    orgs = england(providers=5, commissioners=4)
    known = {o.code for o in orgs}
    paths = write_national_files(tmp_path, [JAN], orgs)
    assert len(paths) == len(LAYOUTS)
    for path in paths:
        key = path.name.split("-")[0]
        f = read_national_file(path.name, path.read_bytes(), known_orgs=known, period=JAN)
        assert f.layout.key == key
        assert f.period == JAN
        assert {o.org_code for o in f.values} & PARTNERSHIP_CODES
        partnership = aggregate(f.values, PARTNERSHIP_CODES)
        assert all(v is not None and v >= 0 for v in partnership.values())
