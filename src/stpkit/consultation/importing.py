"""Read a survey tool's CSV or Excel export into validated responses.

Every data row is either loaded or reported with its row number, column and reason, so
an analyst can fix the export and load it again; nothing half-valid gets through. A column
the survey does not define is refused by name (`stpkit.tabular.column_issues`): survey
tools add columns such as an IP address that have no place in the analysis.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stpkit import tabular
from stpkit.consultation.areas import area_for
from stpkit.consultation.errors import ResponseFileError
from stpkit.consultation.survey import NOT_STATED, QuestionKind, Response, Survey

POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
LSOA_CODE = re.compile(r"^[EW]01[0-9]{6}$")
MAX_TEXT = 20_000
MULTI_SEPARATOR = ";"


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    value: str
    reason: str
    file: str = ""  # the export the row came from

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.file else f"row {self.row}"
        return f"{where}, column {self.column!r}: {self.reason} (value {self.value!r})"


@dataclass
class ImportResult:
    filename: str
    rows_read: int
    responses: list[Response] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def read_table(source: Path | bytes, filename: str) -> pd.DataFrame:
    """The export as text cells; CSV (UTF-8, with or without BOM) or Excel by file name."""
    data = source.read_bytes() if isinstance(source, Path) else source
    suffix = Path(filename).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(
                io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False
            )
        else:
            raise ResponseFileError(f"{filename}: expected a .csv or .xlsx file, not {suffix!r}")
    except ResponseFileError:
        raise
    except Exception as exc:  # pandas raises many kinds; say which file and why
        raise ResponseFileError(f"{filename}: cannot be read as a table ({exc})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def import_responses(source: Path | bytes, survey: Survey, filename: str = "") -> ImportResult:
    """Validate every row of an export; good rows become responses, bad rows errors."""
    filename = filename or (source.name if isinstance(source, Path) else "upload.csv")
    frame = read_table(source, filename)
    missing = [c for c in survey.required_columns if c not in frame.columns]
    if survey.postcode_column not in frame.columns and survey.lsoa_column not in frame.columns:
        missing.append(f"{survey.postcode_column} or {survey.lsoa_column}")
    if missing:
        raise ResponseFileError(
            f"{filename}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}"
        )
    unknown = tabular.column_issues(
        filename,
        [str(c) for c in frame.columns],
        survey.required_columns,
        [survey.postcode_column, survey.lsoa_column],
    )
    if unknown:  # a column the survey does not define: refused, not silently dropped
        raise ResponseFileError("; ".join(str(issue) for issue in unknown))
    result = ImportResult(filename=filename, rows_read=len(frame))
    widths = _csv_widths(source, filename)
    seen: dict[str, int] = {}
    for i, record in enumerate(frame.to_dict(orient="records")):
        row = i + 2
        if widths is not None and i < len(widths) and widths[i] != len(frame.columns):
            result.errors.append(
                RowError(
                    row,
                    str(frame.columns[min(widths[i], len(frame.columns) - 1)]),
                    "",
                    f"the row has {widths[i]} values but the header has {len(frame.columns)}: "
                    "it is cut short or has extra separators",
                    filename,
                )
            )
            continue
        cells = {str(k): str(v).strip() for k, v in record.items()}
        response, errors = _validate_row(cells, survey, row, seen, filename)
        if errors:
            result.errors.extend(errors)
        else:
            assert response is not None
            seen[response.response_id] = row
            result.responses.append(response)
    return result


def _csv_widths(source: Path | bytes, filename: str) -> list[int] | None:
    """How many values each data record of a CSV export has (blank lines skipped, as the
    table reader skips them), so a row cut short is refused rather than padded with blanks.
    None for Excel, where every row has the sheet's width."""
    if Path(filename).suffix.lower() not in (".csv", ".txt"):
        return None
    data = source.read_bytes() if isinstance(source, Path) else source
    records = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    next(records, None)  # the header
    widths = []
    for values in records:
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # an empty line, which the table reader skips too
        widths.append(len(values))
    return widths


def _validate_row(
    cells: dict[str, str], survey: Survey, row: int, seen: dict[str, int], filename: str = ""
) -> tuple[Response | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(row, column, cells.get(column, ""), reason, filename))

    response_id = cells[survey.id_column]
    if not response_id:
        bad(survey.id_column, "the response ID is blank")
    elif response_id in seen:
        bad(survey.id_column, f"the response ID repeats row {seen[response_id]}")

    rtype = cells[survey.type_column].lower()
    if rtype not in survey.respondent_types:
        bad(
            survey.type_column,
            f"respondent type must be one of {', '.join(survey.respondent_types)}",
        )

    demographics: dict[str, str] = {}
    for column, allowed in survey.demographics.items():
        value = cells[column] or NOT_STATED
        if allowed and value not in allowed and value != NOT_STATED:
            bad(column, f"not one of the listed values ({'; '.join(allowed)})")
        demographics[column] = value

    postcode = cells.get(survey.postcode_column, "").upper().replace(" ", "")
    if postcode and not POSTCODE_DISTRICT.match(postcode):
        bad(survey.postcode_column, "not a postcode district such as ME14 or CT1")
    lsoa = cells.get(survey.lsoa_column, "").upper()
    if lsoa and not LSOA_CODE.match(lsoa):
        bad(survey.lsoa_column, "not an LSOA code such as E01024030")

    answers: dict[str, str | list[str]] = {}
    texts: dict[str, str] = {}
    for q in survey.questions:
        value = cells[q.code]
        if q.kind is QuestionKind.OPEN:
            if len(value) > MAX_TEXT:
                bad(q.code, f"longer than {MAX_TEXT:,} characters")
            texts[q.code] = value
        elif q.kind is QuestionKind.MULTI:
            chosen = [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()]
            unknown = [v for v in chosen if v not in q.options]
            if unknown:
                bad(q.code, f"option(s) {unknown} are not among {list(q.options)}")
            answers[q.code] = chosen
        else:
            if value and value not in q.options:
                bad(q.code, f"not one of the options {list(q.options)}")
            answers[q.code] = value
    if errors:
        return None, errors
    return (
        Response(
            response_id=response_id,
            respondent_type=rtype,
            demographics=demographics,
            postcode_district=postcode,
            lsoa_code=lsoa,
            area=area_for(lsoa, postcode),
            answers=answers,
            texts=texts,
            row=row,
        ),
        [],
    )
