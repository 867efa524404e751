"""Read NHS Digital's Organisation Data Service (ODS) organisation files in their published
layout, so the national-file importer can check provider codes against the real list.

Why: NHS England's statistics name organisations by ODS code; without the real list a real
A&E or RTT file is refused. The files are not downloaded at run time: the user saves them
from NHS Digital's "data downloads" page (or TRUD) and loads them (CLI or web).

The layout (the ODS "standard" 27-field CSV shared by etr, ets, eccg, eccgsite and
epraccur): no heading row, every row exactly 27 fields, dates as YYYYMMDD. Fields used:
1 Organisation Code, 2 Name, 3 National Grouping, 4 High Level Health Geography,
10 Postcode, 11 Open Date, 12 Close Date, 15 Parent Organisation Code (the parent trust or
commissioner of a site). Every row is checked and every problem collected (file, row,
column); a file with any problem returns nothing, so a load is all or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from stpkit.system.national import MAX_ISSUES, Issue, NationalFileError

WIDTH = 27
# field number (1-based, as NHS Digital numbers them) -> heading, for the fields we read
CODE, NAME, GROUPING, GEOGRAPHY, POSTCODE, OPENED, CLOSED, PARENT = 1, 2, 3, 4, 10, 11, 12, 15
HEADINGS = {
    CODE: "Organisation Code",
    NAME: "Name",
    GROUPING: "National Grouping",
    GEOGRAPHY: "High Level Health Geography",
    POSTCODE: "Postcode",
    OPENED: "Open Date",
    CLOSED: "Close Date",
    PARENT: "Parent Organisation Code",
}
CODE_PATTERN = re.compile(r"^[A-Z0-9]{3,6}$")


@dataclass(frozen=True)
class OdsKind:
    key: str  # the file's name on NHS Digital's page, without .csv
    title: str
    kind: str  # what the rows are: "trust", "trust_site", "commissioner", "commissioner_site"
    has_parent: bool


KINDS: tuple[OdsKind, ...] = (
    OdsKind("etr", "NHS trusts (etr)", "trust", False),
    OdsKind("ets", "NHS trust sites (ets)", "trust_site", True),
    OdsKind("eccg", "Commissioners: CCGs, sub-ICB locations (eccg)", "commissioner", False),
    OdsKind("eccgsite", "Commissioner sites (eccgsite)", "commissioner_site", True),
)
KIND_BY_KEY = {k.key: k for k in KINDS}
# Kent and Medway's ODS code as an STP (2016) and as an integrated care board (2022): the
# High Level Health Geography of its trusts and commissioners in current ODS files.
KENT_MEDWAY_GEOGRAPHY = "QKS"


@dataclass(frozen=True)
class OdsOrganisation:
    code: str
    name: str
    kind: str
    national_grouping: str
    health_geography: str
    postcode: str
    open_date: date | None
    close_date: date | None
    parent: str  # the parent organisation's code (sites), else ""
    row: int = 0  # where it was read (for messages)

    def open_in(self, month: date) -> bool:
        """Whether the organisation existed at some point of the month (first day given)."""
        end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        opened = self.open_date is None or self.open_date < end
        return opened and (self.close_date is None or self.close_date >= month)


@dataclass(frozen=True)
class OdsFile:
    name: str
    kind: OdsKind
    organisations: tuple[OdsOrganisation, ...]


def kind_of(name: str) -> OdsKind | None:
    """The kind a file's name says ('etr.csv', 'ets (2).csv', 'eccgsite.csv'), or None."""
    stem = re.sub(r"[^a-z]", " ", name.lower().rsplit("/", 1)[-1].removesuffix(".csv"))
    words = stem.split()
    return next((KIND_BY_KEY[w] for w in words if w in KIND_BY_KEY), None)


def _date(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def read_ods_file(name: str, content: bytes | str, *, kind: str | None = None) -> OdsFile:
    """Parse and check one ODS file; NationalFileError with every problem found."""
    chosen = KIND_BY_KEY.get(kind or "") if kind else kind_of(name)
    if chosen is None:
        known = ", ".join(k.key for k in KINDS)
        what = f"{kind!r} is not an ODS file we read" if kind else "the file name names no kind"
        raise NationalFileError([Issue(name, None, "", f"{what}; give one of {known}")])
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    issues: list[Issue] = []
    orgs: list[OdsOrganisation] = []
    first_row: dict[str, int] = {}
    for line, raw in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not raw or all(not c.strip() for c in raw):
            continue
        if len(issues) >= MAX_ISSUES:
            break
        if line == 1 and raw[0].strip().lower() in {"organisation code", "code"}:
            issues.append(Issue(name, 1, "", "a heading row: ODS files have none"))
            continue
        if len(raw) != WIDTH:
            issues.append(Issue(name, line, "", f"{len(raw)} fields; the ODS layout has {WIDTH}"))
            continue
        org = _row(name, line, raw, chosen, issues)
        if org is None:
            continue
        if org.code in first_row:
            issues.append(
                Issue(
                    name,
                    line,
                    HEADINGS[CODE],
                    f"{org.code!r} is also on row {first_row[org.code]}",
                )
            )
            continue
        first_row[org.code] = line
        orgs.append(org)
    if issues:
        raise NationalFileError(issues)
    if not orgs:
        raise NationalFileError([Issue(name, None, "", "the file has no organisations")])
    return OdsFile(name, chosen, tuple(orgs))


def _row(
    name: str, line: int, raw: list[str], kind: OdsKind, issues: list[Issue]
) -> OdsOrganisation | None:
    cell = {n: raw[n - 1].strip() for n in HEADINGS}
    before = len(issues)

    def bad(field: int, reason: str) -> None:
        issues.append(Issue(name, line, HEADINGS[field], reason))

    if not CODE_PATTERN.match(cell[CODE]):
        bad(CODE, f"{cell[CODE]!r} is not an ODS code (3 to 6 capital letters and digits)")
    if not cell[NAME]:
        bad(NAME, "the name is blank")
    dates: dict[int, date | None] = {}
    for field in (OPENED, CLOSED):
        if not cell[field]:
            dates[field] = None
            continue
        try:
            dates[field] = _date(cell[field])
        except ValueError:
            bad(field, f"{cell[field]!r} is not a date (YYYYMMDD)")
    opened, closed = dates.get(OPENED), dates.get(CLOSED)
    if opened and closed and closed < opened:
        bad(CLOSED, f"closed {closed:%d %b %Y}, before it opened ({opened:%d %b %Y})")
    if kind.has_parent and not CODE_PATTERN.match(cell[PARENT]):
        bad(PARENT, f"{cell[PARENT]!r} is not the code of the site's parent organisation")
    if len(issues) > before:
        return None
    return OdsOrganisation(
        code=cell[CODE],
        name=cell[NAME],
        kind=kind.kind,
        national_grouping=cell[GROUPING],
        health_geography=cell[GEOGRAPHY],
        postcode=cell[POSTCODE],
        open_date=opened,
        close_date=closed,
        parent=cell[PARENT] if kind.has_parent else "",
        row=line,
    )


def check_together(files: Sequence[OdsFile]) -> None:
    """Files loaded together must not give one code twice (NationalFileError otherwise)."""
    seen: dict[str, tuple[str, int]] = {}
    issues: list[Issue] = []
    for f in files:
        for o in f.organisations:
            if o.code in seen:
                other, row = seen[o.code]
                issues.append(
                    Issue(
                        f.name, o.row, HEADINGS[CODE], f"{o.code!r} is also in {other}, row {row}"
                    )
                )
            else:
                seen[o.code] = (f.name, o.row)
    if issues:
        raise NationalFileError(issues[:MAX_ISSUES])


def partnership_members(
    orgs: Iterable[OdsOrganisation],
    *,
    geographies: Collection[str] = (KENT_MEDWAY_GEOGRAPHY,),
    codes: Collection[str] = (),
) -> frozenset[str]:
    """The codes that roll up to the partnership: those on its own list (`codes`), those
    whose High Level Health Geography is one of `geographies`, and the sites of either."""
    every = list(orgs)
    wanted_geo = {g.strip().upper() for g in geographies if g.strip()}
    members = {c.strip().upper() for c in codes if c.strip()}
    members |= {o.code for o in every if o.health_geography.upper() in wanted_geo}
    members |= {o.code for o in every if o.parent and o.parent in members}
    return frozenset(members)


def write_ods_csv(orgs: Iterable[OdsOrganisation]) -> str:
    """Organisations as an ODS file (27 fields, no heading row): the demo's synthetic list
    is shipped this way so it is loaded through the same reader as a real file."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for o in orgs:
        row = [""] * WIDTH
        row[CODE - 1], row[NAME - 1] = o.code, o.name.upper()
        row[GROUPING - 1], row[GEOGRAPHY - 1] = o.national_grouping, o.health_geography
        row[POSTCODE - 1] = o.postcode
        row[OPENED - 1] = f"{o.open_date:%Y%m%d}" if o.open_date else ""
        row[CLOSED - 1] = f"{o.close_date:%Y%m%d}" if o.close_date else ""
        row[PARENT - 1] = o.parent
        writer.writerow(row)
    return buf.getvalue()
