"""Standardise person records into the columns the model compares (DuckDB).

Any input (CSV, Parquet, a DuckDB table) is mapped onto: unique_id, forename, surname,
date_of_birth ('YYYY-MM-DD' text, so that a wrong digit or swapped day and month can be
compared), sex ('M'/'F'), postcode (upper case, no spaces), identifier (an NHS number or
another person number, digits only) and any extra columns compared exactly. Derived keys:
Soundex of both names, the nickname roots of the forename, postcode sector, district and
area (UK-shaped postcodes only), birth year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stpkit.kid.pipeline.linkage import names
from stpkit.kid.pipeline.linkage.sql import rows

STANDARD = ("forename", "surname", "date_of_birth", "sex", "postcode", "identifier")
UK_POSTCODE = "^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$"


class LinkageInputError(ValueError):
    """Input that cannot be linked, with a message saying why."""


@dataclass(frozen=True)
class ColumnMap:
    """Which input column holds each person field (None: the input has no such column)."""

    unique_id: str | None = None
    forename: str | None = None
    surname: str | None = None
    date_of_birth: str | None = None
    sex: str | None = None
    postcode: str | None = None
    identifier: str | None = None
    extra: list[str] = field(default_factory=list)
    label: str | None = None

    def present(self) -> list[str]:
        return [name for name in STANDARD if getattr(self, name)]


def _text(col: str) -> str:
    return f"nullif(trim(CAST({col} AS VARCHAR)), '')"


def _dob_sql(col: str) -> str:
    """Dates of birth in common layouts -> 'YYYY-MM-DD' text (digits kept even if invalid):
    ISO, day/month/year with any separator, 8 digits, and '7 Mar 1962' (month by name)."""
    raw = _text(col)
    digits = f"regexp_replace({raw}, '[^0-9]', '', 'g')"
    spaced = f"regexp_replace({raw}, '[-/., ]+', ' ', 'g')"
    return (
        f"CASE WHEN {raw} IS NULL THEN NULL "
        f"WHEN regexp_matches({raw}, '^[0-9]{{1,2}}[-/., ]+[A-Za-z]{{3,}}[-/., ]+[0-9]{{4}}$') "
        f"THEN strftime(coalesce(try_strptime({spaced}, '%d %b %Y'), "
        f"try_strptime({spaced}, '%d %B %Y')), '%Y-%m-%d') "
        f"WHEN regexp_matches({raw}, '^[0-9]{{1,2}}[/.-][0-9]{{1,2}}[/.-][0-9]{{4}}') THEN "
        f"lpad(regexp_extract({raw}, '[0-9]{{4}}'), 4, '0') || '-' || "
        f"lpad(regexp_extract({raw}, '^[0-9]{{1,2}}[/.-]([0-9]{{1,2}})', 1), 2, '0') || '-' || "
        f"lpad(regexp_extract({raw}, '^([0-9]{{1,2}})', 1), 2, '0') "
        f"WHEN length({digits}) >= 8 THEN substr({digits}, 1, 4) || '-' || "
        f"substr({digits}, 5, 2) || '-' || substr({digits}, 7, 2) END"
    )


def _sex_sql(col: str) -> str:
    first = f"upper(substr({_text(col)}, 1, 1))"
    return f"CASE WHEN {first} IN ('M', 'F') THEN {first} END"


def _postcode_sql(col: str) -> str:
    return f"nullif(regexp_replace(upper(CAST({col} AS VARCHAR)), '[^A-Z0-9]', '', 'g'), '')"


def _identifier_sql(col: str) -> str:
    return f"nullif(regexp_replace(upper(CAST({col} AS VARCHAR)), '[^A-Z0-9]', '', 'g'), '')"


def _extra_sql(col: str) -> str:
    return f"nullif(lower(trim(CAST({col} AS VARCHAR))), '')"


def extra_name(col: str) -> str:
    return "x_" + "".join(c if c.isalnum() else "_" for c in col.lower())


def prepare(con: Any, source: str, mapping: ColumnMap, out: str = "linkage_input") -> int:
    """Create table `out` of standardised records from table/view `source`; return its rows."""
    columns = {r[0] for r in rows(con, f"DESCRIBE {source}")}
    wanted = [c for c in [mapping.unique_id, mapping.label, *mapping.extra] if c]
    wanted += [getattr(mapping, n) for n in mapping.present()]
    missing = sorted({c for c in wanted if c not in columns})
    if missing:
        raise LinkageInputError(
            f"column(s) {', '.join(missing)} not in the input "
            f"(it has: {', '.join(sorted(columns))})"
        )
    if not (mapping.forename or mapping.surname):
        raise LinkageInputError("a forename or surname column is needed to link people")

    def q(col: str | None) -> str:
        return f'"{col}"' if col else "NULL"

    uid = (
        f"CAST({q(mapping.unique_id)} AS VARCHAR)"
        if mapping.unique_id
        else "CAST(row_number() OVER () AS VARCHAR)"
    )
    select = [
        f"{uid} AS unique_id",
        f"{_text(q(mapping.forename))} AS forename_raw",
        f"{_text(q(mapping.surname))} AS surname_raw",
        f"{_dob_sql(q(mapping.date_of_birth))} AS date_of_birth",
        f"{_sex_sql(q(mapping.sex))} AS sex",
        f"{_postcode_sql(q(mapping.postcode))} AS postcode",
        f"{_identifier_sql(q(mapping.identifier))} AS identifier",
        *(f"{_extra_sql(q(c))} AS {extra_name(c)}" for c in mapping.extra),
        f"CAST({q(mapping.label)} AS VARCHAR) AS label",
    ]
    rows(
        con,
        f"CREATE OR REPLACE TEMP TABLE __linkage_raw AS SELECT {', '.join(select)} FROM {source}",
    )
    dupes = rows(
        con,
        "SELECT count(*) - count(DISTINCT unique_id), count(*) FILTER (WHERE unique_id IS NULL) "
        "FROM __linkage_raw",
    )[0]
    if dupes[0] or dupes[1]:
        raise LinkageInputError(
            f"the id column must be unique and filled: {dupes[0]} repeated, {dupes[1]} empty "
            "(leave the id option out to number the rows instead)"
        )
    _name_keys(con)
    rows(
        con,
        f"CREATE OR REPLACE TABLE {out} AS SELECT r.* EXCLUDE (forename_raw, surname_raw), "
        "f.clean AS forename, s.clean AS surname, f.sx AS forename_sx, s.sx AS surname_sx, "
        "f.roots AS forename_roots, f.root AS forename_root, "
        "substr(date_of_birth, 1, 4) AS birth_year, "
        f"CASE WHEN regexp_matches(postcode, '{UK_POSTCODE}') THEN "
        "substr(postcode, 1, length(postcode) - 2) END AS postcode_sector, "
        f"CASE WHEN regexp_matches(postcode, '{UK_POSTCODE}') THEN "
        "substr(postcode, 1, length(postcode) - 3) END AS postcode_district, "
        f"CASE WHEN regexp_matches(postcode, '{UK_POSTCODE}') THEN "
        "regexp_extract(postcode, '^[A-Z]+') END AS postcode_area "
        "FROM __linkage_raw r "
        "LEFT JOIN __linkage_names f ON r.forename_raw = f.raw "
        "LEFT JOIN __linkage_names s ON r.surname_raw = s.raw",
    )
    rows(con, "DROP TABLE __linkage_raw")
    rows(con, "DROP TABLE __linkage_names")
    return int(rows(con, f"SELECT count(*) FROM {out}")[0][0])


def _name_keys(con: Any) -> None:
    """One row per distinct raw name: cleaned form, Soundex, nickname roots."""
    import pyarrow as pa

    raws = rows(
        con,
        "SELECT DISTINCT raw FROM (SELECT forename_raw AS raw FROM __linkage_raw UNION "
        "SELECT surname_raw FROM __linkage_raw) n WHERE raw IS NOT NULL",
    )
    raw_list = [r[0] for r in raws]
    clean = [names.clean_name(r) for r in raw_list]
    table = pa.table(
        {
            "raw": pa.array(raw_list, pa.string()),
            "clean": pa.array(clean, pa.string()),
            "sx": pa.array([names.soundex(c) for c in clean], pa.string()),
            "roots": pa.array([names.name_roots(c) or None for c in clean], pa.list_(pa.string())),
            "root": pa.array([names.name_root(c) for c in clean], pa.string()),
        }
    )
    con.register("__linkage_names_arrow", table)
    rows(con, "CREATE OR REPLACE TEMP TABLE __linkage_names AS SELECT * FROM __linkage_names_arrow")
    con.unregister("__linkage_names_arrow")
