"""`stpkit productivity` on real files."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from stpkit.cli.productivity import app

runner = CliRunner()


def test_sample_files_then_opportunity(tmp_path: Path) -> None:
    assert runner.invoke(app, ["sample-files", str(tmp_path)]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "opportunity",
            str(tmp_path / "metrics.csv"),
            "--peers",
            str(tmp_path / "peer-groups.csv"),
            "--catalogue",
            str(tmp_path / "catalogue.csv"),
            "--provider",
            "Medway NHS Foundation Trust",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "Medway NHS Foundation Trust" in result.output and "Total: £" in result.output
    result = runner.invoke(app, ["savings", str(tmp_path / "savings-2020-21.csv")])
    assert result.exit_code == 0 and "pathology" in result.output


def test_bad_savings_file_exits_2_naming_the_row(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "working_group,scheme,month,planned,actual,confidence\npathology,Hub,2021-05,10,,G\n"
    )
    result = runner.invoke(app, ["savings", str(plan)], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert (
        "plan.csv, row 2, field 'month': May 2021 is after the plan year 2020/21" in result.output
    )


def test_bridge_reconciles() -> None:
    result = runner.invoke(app, ["bridge"])
    assert result.exit_code == 0
    assert "-434 + 405 = -29: reconciles" in result.output
