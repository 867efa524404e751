"""Linkage quality report without truth: aggregates per feed and month, no identifiers."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from typer.testing import CliRunner

from stpkit.cli import kid_link
from stpkit.kid.sources.person_faults import FaultSpec, person_records

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(kid_link.app, name="kid")
    return app


def test_quality_report_per_feed_and_month_holds_no_identifiers(tmp_path: Path) -> None:
    records = person_records(FaultSpec(people=60, seed=4))
    for i, r in enumerate(records):
        r["feed"] = "Hospital" if i % 2 else "GP practice"
        r["month"] = "2026-01" if i % 3 else "2026-02"
    with (tmp_path / "feed.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    report = tmp_path / "quality.csv"
    result = runner.invoke(
        _app(),
        [
            "kid", "link", str(tmp_path / "feed.csv"), "--out", str(tmp_path / "out.csv"),
            "--id", "record_id", "--forename", "forename", "--surname", "surname",
            "--dob", "date_of_birth", "--postcode", "postcode", "--nhs", "nhs_number",
            "--report-by", "feed", "--report-by", "month", "--report", str(report),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "linkage quality: Hospital / 2026-01" in result.output
    with report.open() as handle:
        table = list(csv.DictReader(handle))
    groups = {(r["feed"], r["month"]) for r in table}
    assert len(groups) == 4
    records_per_group = {
        (r["feed"], r["month"]): float(r["value"]) for r in table if r["measure"] == "records"
    }
    assert sum(records_per_group.values()) == len(records)  # every record in one group
    for group in groups:
        rows = [r for r in table if (r["feed"], r["month"]) == group]
        by = {(r["measure"], r["band"]): float(r["value"]) for r in rows}
        sizes = sum(v for (m, _), v in by.items() if m == "cluster size")
        assert sizes == by[("records", "")]
        methods = sum(v for (m, _), v in by.items() if m == "method")
        assert (
            methods
            == by[("linked", "")]
            == sum(v for (m, _), v in by.items() if m == "match weight")
        )
        assert 0 <= by[("share linked", "")] <= 1
        assert 0 <= by[("estimated false-match rate", "")] < 0.05
    assert {r["band"] for r in table if r["measure"] == "method"} <= {
        "NHS number", "deterministic", "probabilistic"
    }  # fmt: skip
    assert any(r["band"] == "NHS number" for r in table)
    text = report.read_text()
    for r in records:  # no record id, name, date of birth or NHS number in the report
        for field in ("record_id", "surname", "date_of_birth", "nhs_number"):
            assert not r[field] or r[field] not in text
