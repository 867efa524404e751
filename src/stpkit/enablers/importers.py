"""Reading the partners' returns (CSV or Excel) into the engine's records.

Formats (one header row, then one row per item; column order does not matter, a column
the format does not name is refused as unknown; the formats are in docs/enablers.md and
`TEMPLATES`). Files are read by `stpkit.tabular` (rows cut short and unreadable fields
refused with their row number):

- estates sites: one row per site; estates buildings: one row per building (ERIC shape);
- workforce staff: one row per person in post (workforce minimum data set shape);
- workforce measures: one row per organisation and staff group.

Every problem in a return is collected (file, row, column, what) and raised together in
`ReturnRejected`; a return with any problem gives nothing, so nothing is half-loaded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stpkit import tabular
from stpkit.enablers.errors import Problem, ReturnRejected
from stpkit.enablers.estates import BACKLOG_RISKS, CONDITIONS, TENURES, USES, Building, Site
from stpkit.enablers.workforce import BANDS, STAFF_GROUPS, GroupMeasures, StaffRecord
from stpkit.tabular import TableError, TableIssue

Source = Path | tuple[str, bytes]  # a file, or (its name, its bytes) from an upload


@dataclass(frozen=True)
class Col:
    name: str
    kind: str = "str"  # str, float, int, bool, choice
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: Collection[str] = ()
    example: str = ""


SITE_COLUMNS = (
    Col("site_code", example="RWF01"),
    Col("site_name", example="Maidstone Hospital"),
    Col("organisation_code", example="RWF"),
    Col("postcode", required=False, example="ME16 9QQ"),
)
BUILDING_COLUMNS = (
    Col("site_code", example="RWF01"),
    Col("building_code", example="RWF01-B01"),
    Col("building_name", example="Main block"),
    Col("use", "choice", choices=USES, example="acute"),
    Col("tenure", "choice", choices=TENURES, example="freehold"),
    Col("owner", example="Maidstone and Tunbridge Wells NHS Trust"),
    Col("floor_area_m2", "float", minimum=0.0, example="12500"),
    Col("condition", "choice", choices=CONDITIONS, example="B"),
    *(
        Col(f"backlog_{r}", "float", required=False, minimum=0.0, example="0")
        for r in BACKLOG_RISKS
    ),
    Col("running_cost_per_m2", "float", minimum=0.0, example="310"),
    Col("utilisation_pct", "float", minimum=0.0, maximum=100.0, example="85"),
    Col("void_m2", "float", required=False, minimum=0.0, example="0"),
    Col("listed", "bool", required=False, example="N"),
    Col("disposal_receipt", "float", required=False, minimum=0.0, example="0"),
    Col("shared_with", required=False, example="RYY;KCC"),
)
STAFF_COLUMNS = (
    Col("record_id", example="P000001"),
    Col("organisation_code", example="RWF"),
    Col("staff_group", "choice", choices=STAFF_GROUPS, example="nursing"),
    Col("band", "choice", choices=BANDS, example="5"),
    Col("wte", "float", minimum=0.0, maximum=1.5, example="0.8"),
    Col("age", "int", minimum=16, maximum=90, example="47"),
)
MEASURE_COLUMNS = (
    Col("organisation_code", example="RWF"),
    Col("staff_group", "choice", choices=STAFF_GROUPS, example="nursing"),
    Col("vacancies_wte", "float", minimum=0.0, example="120"),
    Col("leavers_wte", "float", minimum=0.0, example="160"),
    Col("bank_wte", "float", required=False, minimum=0.0, example="40"),
    Col("agency_wte", "float", required=False, minimum=0.0, example="25"),
    Col("agency_spend", "float", required=False, minimum=0.0, example="1750000"),
    Col("bank_spend", "float", required=False, minimum=0.0, example="1200000"),
)
TEMPLATES = {
    "estates_sites": SITE_COLUMNS,
    "estates_buildings": BUILDING_COLUMNS,
    "workforce_staff": STAFF_COLUMNS,
    "workforce_measures": MEASURE_COLUMNS,
}
TRUE = {"y", "yes", "true", "1"}
FALSE = {"n", "no", "false", "0", ""}


def template_csv(kind: str) -> bytes:
    """The header row and one example row of a return format."""
    cols = TEMPLATES[kind]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([c.name for c in cols])
    w.writerow([c.example for c in cols])
    return out.getvalue().encode()


def _name_and_bytes(source: Source) -> tuple[str, bytes]:
    if isinstance(source, Path):
        return source.name, source.read_bytes()
    return source


def _problems(issues: list[TableIssue]) -> list[Problem]:
    return [
        Problem(i.file, i.row or None, None if i.column == "-" else i.column, i.reason)
        for i in issues
    ]


def _convert(col: Col, raw: str) -> tuple[Any, str | None]:
    """(value, problem or None)."""
    raw = raw.strip()
    if not raw:
        if col.required:
            return None, "is empty"
        return (0.0 if col.kind == "float" else False if col.kind == "bool" else ""), None
    if col.kind == "str":
        return raw, None
    if col.kind == "choice":
        value = raw.lower() if raw.lower() in col.choices else raw
        if value not in col.choices:
            what = col.name.replace("_", " ")
            return None, f"unknown {what} {raw!r}; expected one of: {', '.join(col.choices)}"
        return value, None
    if col.kind == "bool":
        low = raw.lower()
        if low in TRUE:
            return True, None
        if low in FALSE:
            return False, None
        return None, f"{raw!r} is not Y or N"
    try:
        number: float = int(raw) if col.kind == "int" else float(raw.replace(",", ""))
    except ValueError:
        return None, f"{raw!r} is not a {'whole ' if col.kind == 'int' else ''}number"
    if number != number:  # NaN
        return None, f"{raw!r} is not a number"
    if col.minimum is not None and number < col.minimum:
        what = "negative" if col.minimum == 0 else f"below {col.minimum:g}"
        return None, f"{raw} is {what}"
    if col.maximum is not None and number > col.maximum:
        return None, f"{raw} is above {col.maximum:g}"
    return number, None


def parse(
    source: Source,
    columns: tuple[Col, ...],
    key: tuple[str, ...],
    problems: list[Problem],
    check: Callable[[dict[str, Any], Callable[[str, str], None]], None] | None = None,
) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """Rows that are wholly valid, adding a Problem for everything else to `problems`.
    An optional column may be left out of the file altogether."""
    name, data = _name_and_bytes(source)
    try:
        table = tabular.read_table(data, name, lower_case_header=True)
    except TableError as error:
        problems.extend(_problems(error.issues))
        return name, []
    header_issues = tabular.column_issues(
        name,
        table.header,
        [c.name for c in columns if c.required],
        [c.name for c in columns if not c.required],
    )
    if header_issues:
        problems.extend(_problems(header_issues))
        return name, []
    seen: dict[tuple[Any, ...], int] = {}
    good: list[tuple[int, dict[str, Any]]] = []
    for n, cells in table.rows:
        record: dict[str, Any] = {}
        ok = True
        for col in columns:
            value, problem = _convert(col, cells.get(col.name, ""))
            if problem:
                problems.append(Problem(name, n, col.name, problem))
                ok = False
            record[col.name] = value
        if not ok:
            continue
        k = tuple(record[c] for c in key)
        if k in seen:
            problems.append(
                Problem(name, n, key[-1], f"duplicate of row {seen[k]} ({', '.join(map(str, k))})")
            )
            continue
        seen[k] = n
        if check:
            row_ok = True

            def report(column: str, message: str, _n: int = n) -> None:
                nonlocal row_ok
                row_ok = False
                problems.append(Problem(name, _n, column, message))

            check(record, report)
            if not row_ok:
                continue
        good.append((n, record))
    if not good and not problems:
        problems.append(Problem(name, None, None, "the file has no rows under its header"))
    return name, good


def _year_check(name: str, kind: str, year: int, loaded: Collection[int]) -> list[Problem]:
    if year in loaded:
        return [Problem(name, None, None, f"the {kind} return for {year} is already loaded")]
    return []


@dataclass(frozen=True)
class EstatesReturn:
    year: int
    sites: list[Site]
    buildings: list[Building]


def parse_estates(
    sites_file: Source,
    buildings_file: Source,
    *,
    year: int,
    organisations: Collection[str],
    known_sites: Collection[str] = (),
    loaded_years: Collection[int] = (),
) -> EstatesReturn:
    """The estates return for `year`; ReturnRejected lists every problem in both files."""
    problems: list[Problem] = []

    def site_check(r: dict[str, Any], report: Callable[[str, str], None]) -> None:
        if r["organisation_code"] not in organisations:
            report("organisation_code", f"unknown organisation {r['organisation_code']!r}")

    sname, site_rows = parse(sites_file, SITE_COLUMNS, ("site_code",), problems, site_check)
    problems[:0] = _year_check(sname, "estates", year, loaded_years)
    sites = [
        Site(r["site_code"], r["site_name"], r["organisation_code"], r["postcode"])
        for _, r in site_rows
    ]
    site_codes = {s.code for s in sites} | set(known_sites)

    def building_check(r: dict[str, Any], report: Callable[[str, str], None]) -> None:
        if r["site_code"] not in site_codes:
            report("site_code", f"unknown site {r['site_code']!r} (not in the sites file)")
        if r["void_m2"] > r["floor_area_m2"]:
            report("void_m2", f"void area {r['void_m2']:g} is more than the floor area")
        for org in _split(r["shared_with"]):
            if org not in organisations:
                report("shared_with", f"unknown organisation {org!r}")

    _, b_rows = parse(
        buildings_file, BUILDING_COLUMNS, ("site_code", "building_code"), problems, building_check
    )
    if problems:
        raise ReturnRejected(problems)
    buildings = [
        Building(
            site=r["site_code"],
            code=r["building_code"],
            name=r["building_name"],
            use=r["use"],
            tenure=r["tenure"],
            owner=r["owner"],
            floor_area_m2=r["floor_area_m2"],
            condition=r["condition"],
            backlog={risk: r[f"backlog_{risk}"] for risk in BACKLOG_RISKS},
            running_cost_per_m2=r["running_cost_per_m2"],
            utilisation=r["utilisation_pct"] / 100.0,
            void_m2=r["void_m2"],
            listed=r["listed"],
            disposal_receipt=r["disposal_receipt"],
            shared_with=tuple(_split(r["shared_with"])),
        )
        for _, r in b_rows
    ]
    return EstatesReturn(year, sites, buildings)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]


@dataclass(frozen=True)
class WorkforceReturn:
    year: int
    records: list[StaffRecord]
    measures: list[GroupMeasures]


def parse_workforce(
    staff_file: Source,
    measures_file: Source,
    *,
    year: int,
    organisations: Collection[str],
    loaded_years: Collection[int] = (),
) -> WorkforceReturn:
    """The workforce return for `year`; ReturnRejected lists every problem in both files."""
    problems: list[Problem] = []

    def org_check(r: dict[str, Any], report: Callable[[str, str], None]) -> None:
        if r["organisation_code"] not in organisations:
            report("organisation_code", f"unknown organisation {r['organisation_code']!r}")

    sname, staff_rows = parse(staff_file, STAFF_COLUMNS, ("record_id",), problems, org_check)
    problems[:0] = _year_check(sname, "workforce", year, loaded_years)
    _, m_rows = parse(
        measures_file, MEASURE_COLUMNS, ("organisation_code", "staff_group"), problems, org_check
    )
    if problems:
        raise ReturnRejected(problems)
    records = [
        StaffRecord(
            r["record_id"], r["organisation_code"], r["staff_group"], r["band"], r["wte"], r["age"]
        )
        for _, r in staff_rows
    ]
    measures = [
        GroupMeasures(
            organisation=r["organisation_code"],
            staff_group=r["staff_group"],
            vacancies_wte=r["vacancies_wte"],
            leavers_wte=r["leavers_wte"],
            bank_wte=r["bank_wte"],
            agency_wte=r["agency_wte"],
            agency_spend=r["agency_spend"],
            bank_spend=r["bank_spend"],
        )
        for _, r in m_rows
    ]
    return WorkforceReturn(year, records, measures)
