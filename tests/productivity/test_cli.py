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
    result = runner.invoke(app, ["savings", str(tmp_path / "savings-2017-18.csv")])
    assert result.exit_code == 0 and "pathology" in result.output


def test_bad_savings_file_exits_2_naming_the_row(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "working_group,scheme,month,planned,actual,confidence\npathology,Hub,2018-05,10,,G\n"
    )
    result = runner.invoke(app, ["savings", str(plan)], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert (
        "plan.csv, row 2, field 'month': May 2018 is after the plan year 2017/18" in result.output
    )


def test_bridge_reconciles() -> None:
    result = runner.invoke(app, ["bridge"])
    assert result.exit_code == 0
    assert "-434 + 405 = -29: reconciles" in result.output


def test_target_basis_uses_the_catalogue_targets(tmp_path: Path) -> None:
    import csv

    assert runner.invoke(app, ["sample-files", str(tmp_path)]).exit_code == 0
    with (tmp_path / "catalogue.csv").open() as f:
        definitions = {r["code"]: r for r in csv.DictReader(f)}
    targeted = {c: d for c, d in definitions.items() if d["target"]}
    assert set(targeted) == {"agency_share", "los_emergency_75plus", "theatre_utilisation"}
    # The sum by hand: gap to the target x denominator x cash rate, Medway only. No two
    # targeted metrics share an overlap group, so every one counts.
    expected = 0.0
    with (tmp_path / "metrics.csv").open() as f:
        for r in csv.DictReader(f):
            d = definitions[r["metric"]]
            if r["provider"] != "Medway NHS Foundation Trust" or not d["target"]:
                continue
            value, target = float(r["value"]), float(d["target"])
            gap = value - target if d["direction"] == "lower" else target - value
            expected += max(0.0, gap) * float(r["denominator"]) * float(d["cash_per_activity"])
    result = runner.invoke(
        app,
        [
            "opportunity",
            str(tmp_path / "metrics.csv"),
            "--peers",
            str(tmp_path / "peer-groups.csv"),
            "--catalogue",
            str(tmp_path / "catalogue.csv"),
            "--basis",
            "target",
            "--provider",
            "Medway NHS Foundation Trust",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert expected > 0
    assert f"Total: £{expected / 1e6:,.1f}m" in result.output
    assert "Metrics with no target, left out: corporate_cost_per_income" in result.output


def test_bridge_from_a_file(tmp_path: Path) -> None:
    assert runner.invoke(app, ["sample-files", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["bridge", str(tmp_path / "bridge.csv")])
    assert result.exit_code == 0 and "-434 + 405 = -29: reconciles" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("label,kind,amount\nGap,change,-100\nLeft,end,-90\n")
    result = runner.invoke(app, ["bridge", str(bad)], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "bad.csv, row 3, field 'amount': 'Left' is stated as -90.0" in result.output
