"""`stpkit consultation` with an analyst's framework and labels: several themes per
response with confidence and evidence, and clear refusals of bad files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stpkit.cli.consultation import app
from stpkit.consultation.synthetic import FRAMEWORK

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("framework")
    export = folder / "responses.csv"
    known = folder / "known.csv"
    result = runner.invoke(app, ["synthetic", str(export), "--n", "300", "--labels", str(known)])
    assert result.exit_code == 0, result.output
    framework = folder / "framework.json"
    framework.write_text(json.dumps({"themes": [t.to_dict() for t in FRAMEWORK]}))
    with known.open() as f:
        rows = list(csv.DictReader(f))
    labels = folder / "labels.csv"
    with labels.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["response_id", "themes", "stance"])
        for r in rows[:60]:
            writer.writerow([r["response_id"], r["themes"], r["stance"]])
    return {"export": export, "known": known, "framework": framework, "labels": labels}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open() as f:
        return list(csv.DictReader(f))


def test_themes_with_framework_and_labels_lists_several_themes(files, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "themes",
            str(files["export"]),
            "--framework",
            str(files["framework"]),
            "--labels",
            str(files["labels"]),
            "--out",
            str(out),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "carry more than one theme" in result.output
    rows = _read(out)
    assert len(rows) == 300
    several = [r for r in rows if ";" in r["themes"]]
    assert several, "no response got several themes"
    for r in several:
        keys = [part.split(":")[0] for part in r["themes"].split(";")]
        assert r["theme"] == keys[0] and len(set(keys)) == len(keys)
        assert all(0 < float(part.split(":")[1]) <= 1 for part in r["themes"].split(";"))
        assert len(r["evidence"].split(" | ")) == len(keys)
    labelled = {r["response_id"]: r for r in _read(files["labels"])}
    for r in rows:
        if r["response_id"] in labelled:  # the analyst's labels are kept
            want = labelled[r["response_id"]]
            assert {p.split(":")[0] for p in r["themes"].split(";") if p} == set(
                filter(None, want["themes"].split(";"))
            )


def test_assign_any_response_file(files, tmp_path) -> None:  # type: ignore[no-untyped-def]
    responses = tmp_path / "responses.csv"
    responses.write_text(
        "response_id,text,closed_answer\n"
        "a,The journey to hospital by bus takes too long. There are not enough nurses.,Disagree\n"
        "b,I fully support the proposals.,\n"
        "c,,\n"
    )
    out = tmp_path / "assigned.csv"
    result = runner.invoke(
        app,
        [
            "assign",
            "--framework",
            str(files["framework"]),
            "--responses",
            str(responses),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {r["response_id"]: r for r in _read(out)}
    assert rows["a"]["stance"] == "disagree"  # its closed answer
    assert {"travel_access", "workforce"} <= {
        p.split(":")[0] for p in rows["a"]["themes"].split(";")
    }
    assert rows["b"]["stance"] == "agree" and rows["c"]["themes"] == ""


def test_bad_framework_and_labels_are_refused_with_row_and_field(files, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,description\nTravel,far\n,nameless\n")
    result = runner.invoke(
        app, ["themes", str(files["export"]), "--framework", str(bad)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "bad.csv, row 3, field 'name'" in result.output
    labels = tmp_path / "labels.csv"
    labels.write_text("response_id,themes\nR00001,no_such_theme\n")
    result = runner.invoke(
        app,
        [
            "themes",
            str(files["export"]),
            "--framework",
            str(files["framework"]),
            "--labels",
            str(labels),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 2 and "row 2, field 'themes'" in result.output


def test_propose_writes_an_editable_framework(files, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "proposed.csv"
    result = runner.invoke(app, ["propose", str(files["export"]), "--out", str(out), "--k", "8"])
    assert result.exit_code == 0, result.output
    from stpkit.consultation.framework import load_framework

    proposed = load_framework(out).themes
    assert len(proposed) == 8 and len({t.name for t in proposed}) == 8
