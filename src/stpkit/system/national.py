"""Read a national statistics file in its published layout into provider-level values.

The reader recognises the layout from the headings (or is told it), refuses a file it does
not know with the missing and unexpected headings, and checks every row it uses: an
organisation code the reference does not know, a value that is not a number, a period it
cannot read, a period other than the file's. All problems are collected (file, row, column,
reason) and raised together; nothing is returned from a file with any problem, so the
caller's load is all or nothing.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from stpkit.system.layouts import LAYOUT_BY_KEY, LAYOUTS, Derivation, Layout

SKIPPED_ORGS = {"TOTAL", "ENGLAND", "-", ""}
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("JANUARY", "JAN"),
            ("FEBRUARY", "FEB"),
            ("MARCH", "MAR"),
            ("APRIL", "APR"),
            ("MAY",),
            ("JUNE", "JUN"),
            ("JULY", "JUL"),
            ("AUGUST", "AUG"),
            ("SEPTEMBER", "SEP", "SEPT"),
            ("OCTOBER", "OCT"),
            ("NOVEMBER", "NOV"),
            ("DECEMBER", "DEC"),
        ],
        start=1,
    )
    for name in names
}
MAX_ISSUES = 500


@dataclass(frozen=True)
class Issue:
    file: str
    row: int | None  # line in the file (the heading is line 1); None: the whole file
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f", row {self.row}" if self.row else "")
        return (
            f"{where}, column {self.column!r}: {self.reason}"
            if self.column
            else f"{where}: {self.reason}"
        )


class NationalFileError(ValueError):
    """The file was refused; `issues` says where and why."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        super().__init__("; ".join(str(i) for i in issues[:5]) + more)


@dataclass(frozen=True)
class ProviderValue:
    measure: str
    period: date
    org_code: str
    numerator: float
    denominator: float | None

    @property
    def value(self) -> float | None:
        return ratio(self.numerator, self.denominator)


def ratio(numerator: float, denominator: float | None) -> float | None:
    """A percentage when there is a denominator, otherwise the count itself."""
    if denominator is None:
        return numerator
    return 100.0 * numerator / denominator if denominator else None


@dataclass(frozen=True)
class NationalFile:
    name: str
    layout: Layout
    period: date
    values: tuple[ProviderValue, ...]
    rows_read: int

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(d.measure for d in self.layout.derivations)


@functools.lru_cache(maxsize=4096)
def parse_period(text: str) -> date | None:
    """The month a period label names: 'MSitAE-JANUARY-2017', 'RTT-January-2017', '2017-01',
    '2017-01-31', '31/01/2017', 'Jan-17', 'January 2017'. None if it names no month."""
    t = text.strip().upper()
    if not t:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m", "%Y%m"):
        try:
            d = datetime.strptime(t, fmt).date()
            return d.replace(day=1)
        except ValueError:
            pass
    words = [w for w in re.split(r"[-_ /]+", t) if w]
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    years = [w for w in words if w.isdigit() and len(w) in (2, 4)]
    if month is None or not years:
        return None
    year = int(years[-1])
    return date(year + 2000 if year < 100 else year, month, 1)


def detect_layout(name: str, headings: list[str]) -> Layout:
    """The layout whose headings the file has; otherwise an error naming the nearest layout's
    missing and unexpected headings."""
    present = set(headings)
    for layout in LAYOUTS:
        if set(layout.columns) <= present:
            return layout
    nearest = max(LAYOUTS, key=lambda lay: len(set(lay.columns) & present))
    raise NationalFileError([_layout_issue(name, nearest, headings)])


def _layout_issue(name: str, layout: Layout, headings: list[str]) -> Issue:
    missing = [c for c in layout.columns if c not in headings]
    unexpected = [c for c in headings if c not in layout.columns and c not in layout.optional]
    parts = [f"the layout is not one we know; nearest is {layout.title}"]
    if missing:
        parts.append(f"missing columns: {', '.join(repr(c) for c in missing[:12])}")
        if len(missing) > 12:
            parts.append(f"and {len(missing) - 12} more missing")
    if unexpected:
        parts.append(f"unexpected columns: {', '.join(repr(c) for c in unexpected[:12])}")
    return Issue(name, None, "", "; ".join(parts))


def read_national_file(
    name: str,
    content: bytes | str,
    *,
    known_orgs: Collection[str],
    layout: str | None = None,
    period: date | None = None,
    open_dates: Mapping[str, tuple[date | None, date | None]] | None = None,
) -> NationalFile:
    """Parse and check one file; NationalFileError with every problem found.

    `open_dates` (code -> open date, close date, from the loaded ODS list): a code the file
    names for a month when the organisation was closed or not yet open is refused."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    lines = text.splitlines()
    headings = [h.strip() for h in next(csv.reader(lines[:1]), [])]
    if not headings or headings == [""]:
        raise NationalFileError([Issue(name, None, "", "the file is empty")])
    if layout is None:
        chosen = detect_layout(name, headings)
    else:
        chosen = LAYOUT_BY_KEY[layout]
        if not set(chosen.columns) <= set(headings):
            raise NationalFileError([_layout_issue(name, chosen, headings)])
    if chosen.period_column is None and period is None:
        raise NationalFileError(
            [Issue(name, None, "", f"{chosen.title} has no period column: give the period")]
        )
    # Lines without the layout's tokens cannot be rows it keeps: skip them unparsed (the RTT
    # full CSV keeps one row in about a hundred). Rows kept are still checked by `keep`.
    numbered = [
        (i, line)
        for i, line in enumerate(lines[1:], start=2)
        if line.strip() and all(token in line for token in chosen.prefilter)
    ]
    skipped = sum(1 for line in lines[1:] if line.strip()) - len(numbered)
    rows = zip((i for i, _ in numbered), csv.reader(line for _, line in numbered), strict=True)
    parsed = _read_rows(name, chosen, headings, rows, set(known_orgs), period, skipped)
    shut = _not_open(parsed, open_dates) if open_dates else []
    if shut:  # the rows are looked up only for a file that is refused
        first = _first_rows(numbered, headings, chosen)
        raise NationalFileError(
            [Issue(name, first.get(org), chosen.org_column, reason) for org, reason in shut]
        )
    return parsed


def _first_rows(
    numbered: list[tuple[int, str]], headings: list[str], layout: Layout
) -> dict[str, int]:
    """The first line each organisation code is on (only read when a list has dates)."""
    org_i = headings.index(layout.org_column)
    out: dict[str, int] = {}
    for line, raw in zip(
        (i for i, _ in numbered), csv.reader(line for _, line in numbered), strict=True
    ):
        if len(raw) > org_i:
            out.setdefault(raw[org_i].strip(), line)
    return out


def _not_open(
    parsed: NationalFile, open_dates: Mapping[str, tuple[date | None, date | None]]
) -> list[tuple[str, str]]:
    """(code, reason) of each organisation named for a month it was closed or not yet open."""
    month = parsed.period
    end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    out = []
    for org in sorted({v.org_code for v in parsed.values}):
        opened, closed = open_dates.get(org, (None, None))
        if closed is not None and closed < month:
            out.append(
                (org, f"organisation {org!r} closed on {closed:%d %b %Y}, before {month:%B %Y}")
            )
        elif opened is not None and opened >= end:
            out.append(
                (org, f"organisation {org!r} opened on {opened:%d %b %Y}, after {month:%B %Y}")
            )
    return out


def _read_rows(
    name: str,
    layout: Layout,
    headings: list[str],
    rows: Iterable[tuple[int, list[str]]],
    known: set[str],
    period: date | None,
    skipped: int = 0,
) -> NationalFile:
    index = {h: i for i, h in enumerate(headings)}
    org_i = index[layout.org_column]
    period_i = index[layout.period_column] if layout.period_column else None
    numeric = layout.numeric
    issues: list[Issue] = []
    sums: dict[tuple[str, str], list[float]] = {}
    file_period = period
    rows_read = skipped
    width = len(headings)
    for line, raw in rows:
        if not raw or all(not c.strip() for c in raw):
            continue
        rows_read += 1
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        org = raw[org_i].strip()
        if org.upper() in SKIPPED_ORGS:
            continue
        row = _RowView(index, raw)
        if not layout.keep(row):
            continue
        if len(issues) >= MAX_ISSUES:
            break
        if period_i is not None:
            label = raw[period_i]
            p = parse_period(label)
            if p is None:
                issues.append(
                    Issue(name, line, layout.period_column or "", f"{label!r} is not a month")
                )
            elif file_period is None:
                file_period = p
            elif p != file_period:
                issues.append(
                    Issue(
                        name,
                        line,
                        layout.period_column or "",
                        f"{label!r} is not the file's period {file_period:%B %Y}",
                    )
                )
        if org not in known:
            issues.append(
                Issue(name, line, layout.org_column, f"organisation code {org!r} is not known")
            )
            continue
        numbers: dict[str, float] = {}
        for col in numeric:
            cell = raw[index[col]].strip().replace(",", "")
            if cell == "":
                numbers[col] = 0.0  # a blank band is a zero contribution (as published)
                continue
            try:
                numbers[col] = float(cell)
            except ValueError:
                issues.append(Issue(name, line, col, f"{raw[index[col]]!r} is not a number"))
        if len(numbers) < len(numeric):
            continue
        for d in layout.derivations:
            num, den = _contribution(d, row, numbers)
            acc = sums.setdefault((d.measure, org), [0.0, 0.0])
            acc[0] += num
            acc[1] += den
    if issues:
        raise NationalFileError(issues)
    if file_period is None:
        raise NationalFileError([Issue(name, None, "", "the file has no rows to load")])
    has_den = {d.measure: bool(d.denominator) for d in layout.derivations}
    values = tuple(
        ProviderValue(measure, file_period, org, acc[0], acc[1] if has_den[measure] else None)
        for (measure, org), acc in sorted(sums.items())
    )
    return NationalFile(name, layout, file_period, values, rows_read)


def _contribution(d: Derivation, row: _RowView, numbers: dict[str, float]) -> tuple[float, float]:
    num = sum(numbers[c] for c in d.numerator)
    den = sum(numbers[c] for c in d.denominator)
    if d.numerator_if and row[d.numerator_if[0]] != d.numerator_if[1]:
        num = 0.0
    if d.denominator_if and row[d.denominator_if[0]] != d.denominator_if[1]:
        den = 0.0
    if d.subtract_from_denominator:
        num = den - num
    return num, den


class _RowView:
    """A row read by heading, without building a dict for every row."""

    __slots__ = ("_index", "_raw")

    def __init__(self, index: dict[str, int], raw: list[str]) -> None:
        self._index = index
        self._raw = raw

    def __getitem__(self, key: str) -> str:
        return self._raw[self._index[key]].strip()

    def get(self, key: str, default: str = "") -> str:
        i = self._index.get(key)
        return default if i is None else self._raw[i].strip()


def aggregate(
    values: Iterable[ProviderValue], orgs: Collection[str]
) -> dict[tuple[str, date], float | None]:
    """Measure value for a group of organisations (e.g. the partnership) per period:
    numerators and denominators summed before dividing."""
    wanted = set(orgs)
    sums: dict[tuple[str, date], list[float | None]] = {}
    for v in values:
        if v.org_code not in wanted:
            continue
        acc = sums.setdefault((v.measure, v.period), [0.0, None])
        acc[0] = (acc[0] or 0.0) + v.numerator
        if v.denominator is not None:
            acc[1] = (acc[1] or 0.0) + v.denominator
    return {key: ratio(acc[0] or 0.0, acc[1]) for key, acc in sums.items()}
