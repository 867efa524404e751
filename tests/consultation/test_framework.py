"""Importing an analysts' theme framework: good files in three formats, bad ones refused
with the file, row and field named."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from stpkit.consultation.framework import FrameworkError, load_framework

GOOD_CSV = (
    "question,key,name,description,examples,position\n"
    "q4,TR,Travel,Journeys to hospital take too long,bus takes an hour|no car,oppose\n"
    "q4,ST,Staffing,Not enough nurses and doctors,,\n"
    ",SP,Support,The respondent supports the proposal,,support\n"
)


def test_csv_framework_reads_every_field(tmp_path: Path) -> None:
    path = tmp_path / "framework.csv"
    path.write_text(GOOD_CSV)
    framework = load_framework(path)
    assert [t.key for t in framework.themes] == ["TR", "ST", "SP"]
    travel = framework.themes[0]
    assert travel.examples == ("bus takes an hour", "no car")
    assert (travel.position, framework.themes[1].position, framework.themes[2].position) == (
        "oppose",
        "",
        "support",
    )
    assert travel.text == "Travel. Journeys to hospital take too long"
    # a theme with no question applies to every question; others only to theirs
    assert [t.key for t in framework.for_question("q9")] == ["SP"]
    assert [t.key for t in framework.for_question("q4")] == ["TR", "ST", "SP"]


def test_json_and_excel_frameworks_match_the_csv(tmp_path: Path) -> None:
    csv_themes = load_framework(GOOD_CSV.encode(), "f.csv").themes
    as_json = {
        "themes": [
            {**t.to_dict(), "examples": list(t.examples)}  # examples as a list
            for t in csv_themes
        ]
    }
    assert load_framework(json.dumps(as_json).encode(), "f.json").themes == csv_themes
    buffer = io.BytesIO()
    pd.read_csv(io.StringIO(GOOD_CSV), dtype=str).to_excel(buffer, index=False)
    assert load_framework(buffer.getvalue(), "f.xlsx").themes == csv_themes


def test_keys_default_to_file_order() -> None:
    framework = load_framework(b"name,description\nTravel,far\nStaff,nurses\n", "f.csv")
    assert [t.key for t in framework.themes] == ["T1", "T2"]


@pytest.mark.parametrize(
    ("name", "content", "row", "field", "words"),
    [
        ("f.csv", "name,description\nTravel,far\n,no name here\n", 3, "name", "needs a name"),
        ("f.csv", "name,colour\nTravel,red\n", 2, "colour", "unknown field"),
        ("f.csv", "description\nfar\n", 1, "name", "no 'name' column"),
        ("f.csv", "name,key\nTravel,T\nStaff,T\n", 3, "key", "used twice"),
        ("f.csv", "name\nTravel\ntravel\n", 3, "name", "used twice"),
        ("f.csv", "name,position\nTravel,maybe\n", 2, "position", "support, oppose or neutral"),
        ("f.csv", "name,key\nTravel,has space\n", 2, "key", "letters, digits"),
        ("f.json", '{"themes": [{"name": "A"}, {"description": "x"}]}', 2, "name", "needs a name"),
        ("f.json", '{"themes": [{"name": "A", "weight": 2}]}', 1, "weight", "unknown field"),
    ],
)
def test_bad_rows_are_refused_naming_file_row_and_field(
    name: str, content: str, row: int, field: str, words: str
) -> None:
    with pytest.raises(FrameworkError) as caught:
        load_framework(content.encode(), name)
    error = caught.value
    assert (error.file, error.row, error.field) == (name, row, field)
    assert words in str(error) and f"row {row}" in str(error) and name in str(error)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("f.json", "{not json", "not valid JSON"),
        ("f.json", '{"topics": []}', "list of themes"),
        ("f.txt.pdf", "x", "must be a .csv, .xlsx or .json"),
        ("f.csv", "name\n", "no themes"),
        ("f.xlsx", "not a workbook", "not a readable Excel workbook"),
    ],
)
def test_unusable_files_are_refused(name: str, content: str, words: str) -> None:
    with pytest.raises(FrameworkError, match=words):
        load_framework(content.encode(), name)


def test_a_missing_file_is_a_framework_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="cannot be read"):
        load_framework(tmp_path / "absent.csv")


def test_every_bad_row_is_listed_not_only_the_first() -> None:
    content = "name,position\nTravel,support\n,oppose\nStaff,maybe\nTravel,\nRehab,\n"
    with pytest.raises(FrameworkError) as caught:
        load_framework(content.encode(), "f.csv")
    problems = [(p.row, p.field) for p in caught.value.problems]
    assert problems == [(3, "name"), (4, "position"), (5, "name")]
    assert "and 2 more problems" in str(caught.value)
    assert (caught.value.row, caught.value.field) == (3, "name")
