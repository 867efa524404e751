"""Read milestones and risks from the Excel import template and check every row.

Reading is all-or-nothing by design: `parse_workbook` returns every good row and every
bad row with its reason; the caller saves only when there are no errors, so a file with one
broken row changes nothing. Checks that need the database (does the workstream exist, may
this user edit it) are the caller's, reported in the same `RowError` form.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from stpkit.programme.errors import ImportFormatError, InvalidScoreError
from stpkit.programme.risk import check_level
from stpkit.programme.statuses import MILESTONE_STATUSES, RISK_KINDS


@dataclass(frozen=True)
class Column:
    heading: str
    key: str
    kind: str = "text"  # text | date | level | choice
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    hint: str = ""
    max_length: int | None = None  # text columns: the longest value the register stores


@dataclass(frozen=True)
class Template:
    name: str
    sheet: str
    columns: tuple[Column, ...]
    example: tuple[Any, ...]


MILESTONES = Template(
    "milestones",
    "Milestones",
    (
        Column("Workstream", "workstream", required=True, hint="name or short name (slug)"),
        Column("Title", "title", required=True, max_length=200),
        Column("Start date", "start_date", "date"),
        Column("Baseline date", "baseline_date", "date", required=True),
        Column("Forecast date", "forecast_date", "date", hint="blank: the baseline date"),
        Column("Owner", "owner", max_length=200),
        Column("Status", "status", "choice", choices=MILESTONE_STATUSES),
    ),
    (
        "hospital-care",
        "Submit PCBC to NHS England",
        date(2017, 12, 1),
        date(2018, 1, 17),
        date(2018, 1, 17),
        "Stroke SRO",
        "In progress",
    ),
)
RISKS = Template(
    "risks",
    "Risks",
    (
        Column("Workstream", "workstream", hint="blank: programme-wide"),
        Column("Title", "title", required=True, max_length=200),
        Column("Type", "kind", "choice", choices=RISK_KINDS),
        Column("Description", "description"),
        Column("Owner", "owner", max_length=200),
        Column("Likelihood", "likelihood", "level", required=True),
        Column("Consequence", "consequence", "level", required=True),
        Column("Target likelihood", "target_likelihood", "level"),
        Column("Target consequence", "target_consequence", "level"),
        Column("Mitigations", "mitigations"),
        Column("Review date", "review_date", "date"),
    ),
    (
        "workforce",
        "Agency staffing costs",
        "Risk",
        "Reliance on agency staff",
        "LWAB chair",
        4,
        4,
        3,
        3,
        "Medical school; recruitment campaign",
        date(2018, 6, 30),
    ),
)
TEMPLATES = {t.name: t for t in (MILESTONES, RISKS)}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number, as Excel shows it
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


@dataclass
class ParseResult:
    rows: list[ParsedRow]
    errors: list[RowError]


def template_bytes(template: Template) -> bytes:
    """A workbook whose data sheet has only the headings; the example row is on a sheet of
    its own ("Example", never read) and the allowed values on "Notes".

    The example used to sit under the headings on the data sheet, and a person who filled
    in the rows below it imported it as a real milestone.
    """
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = template.sheet
    ws.append([c.heading for c in template.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    example = workbook.create_sheet("Example")
    example.append([c.heading for c in template.columns])
    example.append(list(template.example))
    example.append([])
    example.append(
        [f"An example only: this sheet is never imported. Fill in the “{template.sheet}” sheet."]
    )
    notes = workbook.create_sheet("Notes")
    notes.append(["Column", "Required", "Allowed values"])
    for c in template.columns:
        allowed = ", ".join(c.choices.values()) if c.choices else c.hint
        if c.kind == "date":
            allowed = "a date (Excel date, or 2018-01-31, or 31/01/2018)"
        if c.kind == "level":
            allowed = "a whole number from 1 to 5"
        if c.max_length:
            allowed = f"text, at most {c.max_length} characters"
        notes.append([c.heading, "yes" if c.required else "no", allowed])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date (use 2018-01-31 or 31/01/2018)")


def _parse_choice(value: Any, choices: dict[str, str]) -> str:
    text = str(value).strip().lower()
    for key, label in choices.items():
        if text in (key, label.lower()):
            return key
    raise ValueError(f"“{value}” is not one of: {', '.join(choices.values())}")


def _convert(column: Column, value: Any) -> Any:
    if column.kind == "date":
        return _parse_date(value)
    if column.kind == "level":
        try:
            return check_level(value, column.heading)
        except InvalidScoreError as err:
            raise ValueError(str(err)) from None
    if column.kind == "choice":
        return _parse_choice(value, column.choices)
    text = str(value).strip()
    if column.max_length is not None and len(text) > column.max_length:
        raise ValueError(
            f"is {len(text)} characters long; the most it may be is {column.max_length}"
        )
    return text


def _check_row(template: Template, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Checks across columns of one row: (column heading, message)."""
    problems: list[tuple[str, str]] = []
    if template is MILESTONES:
        start, baseline = values.get("start_date"), values.get("baseline_date")
        forecast = values.get("forecast_date")
        if start and baseline and start > baseline:
            problems.append(("Start date", "the start date is after the baseline date"))
        if start and forecast and start > forecast:
            problems.append(("Start date", "the start date is after the forecast date"))
    if template is RISKS:
        pairs = [values.get("target_likelihood"), values.get("target_consequence")]
        if (pairs[0] is None) != (pairs[1] is None):
            problems.append(
                ("Target likelihood", "give both target likelihood and target consequence")
            )
    return problems


def read_rows(
    data: bytes, template: Template, filename: str = "the file"
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the template's sheet (or the first sheet) keyed by column key.

    Raises ImportFormatError when the file is not a workbook or its headings are not the
    template's (missing or unknown columns are named).
    """
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise ImportFormatError(
            f"{filename} is not an Excel workbook (.xlsx): {err}. "
            "Download the template and fill it in."
        ) from None
    ws = (
        workbook[template.sheet]
        if template.sheet in workbook.sheetnames
        else workbook.worksheets[0]
    )
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFormatError(f"{filename}: the sheet “{ws.title}” is empty.")
    headings = [str(h).strip() if h is not None else "" for h in header]
    while headings and not headings[-1]:
        headings.pop()
    by_heading = {c.heading.lower(): c for c in template.columns}
    unknown = [h for h in headings if h and h.lower() not in by_heading]
    present = {h.lower() for h in headings}
    missing = [
        c.heading for c in template.columns if c.required and c.heading.lower() not in present
    ]
    if unknown or missing:
        parts = []
        if missing:
            parts.append("missing column(s): " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s): " + ", ".join(unknown))
        expected = ", ".join(c.heading for c in template.columns)
        raise ImportFormatError(
            f"{filename}, sheet “{ws.title}”, row 1: {'; '.join(parts)}. "
            f"The {template.name} template has the columns: {expected}."
        )
    keys = [by_heading[h.lower()].key if h else None for h in headings]
    out: list[tuple[int, dict[str, Any]]] = []
    example_row = 0
    for number, raw in enumerate(rows, start=2):
        cells = {k: v for k, v in zip(keys, raw, strict=False) if k is not None}
        cleaned = {
            k: (None if (v is None or str(v).strip() == "") else v) for k, v in cells.items()
        }
        if all(v is None for v in cleaned.values()):
            continue
        if _is_example(template, cleaned):
            example_row = number  # the example of a template from before it moved: not data
            continue
        out.append((number, cleaned))
    workbook.close()
    if not out and example_row:
        raise ImportFormatError(
            f"{filename}, sheet “{ws.title}”, row {example_row}: the only row is the "
            "template's example, which is never imported. Add your rows under the headings."
        )
    if not out:
        raise ImportFormatError(
            f"{filename}, sheet “{ws.title}”: there are no rows under the headings, so there "
            "is nothing to import."
        )
    return out


def _is_example(template: Template, cells: dict[str, Any]) -> bool:
    """Whether a row is the template's own example, unchanged (never real data)."""

    def plain(value: Any) -> str:
        if isinstance(value, datetime):
            value = value.date()
        return "" if value is None else str(value).strip().lower()

    example = {c.key: plain(v) for c, v in zip(template.columns, template.example, strict=True)}
    return all(plain(cells.get(key)) == value for key, value in example.items())


def parse_rows(rows: Sequence[tuple[int, dict[str, Any]]], template: Template) -> ParseResult:
    """Convert and check each row; every row is either parsed or reported with reasons."""
    result = ParseResult([], [])
    for number, cells in rows:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for column in template.columns:
            raw = cells.get(column.key)
            if raw is None:
                if column.required:
                    errors.append(RowError(number, column.heading, "is required"))
                values[column.key] = None
                continue
            try:
                values[column.key] = _convert(column, raw)
            except ValueError as err:
                errors.append(RowError(number, column.heading, str(err)))
        if not errors:
            errors = [RowError(number, c, m) for c, m in _check_row(template, values)]
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append(ParsedRow(number, values))
    return result


def parse_workbook(data: bytes, template: Template, filename: str = "the file") -> ParseResult:
    return parse_rows(read_rows(data, template, filename), template)
