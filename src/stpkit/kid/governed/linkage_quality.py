"""The linkage quality report as the web app may show it: aggregates only, small counts hidden.

The report (`stpkit.kid.pipeline.linkage.quality`) is a table of counts and shares per feed
and month with no identifiers. It is read from `linkage_quality.parquet` (or `.csv`) in the
store's current version directory (or the store directory), and every count from 1 to
SMALL_COUNT - 1 is withheld, as on every other published page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SMALL_COUNT = 10
SHARES = ("share linked", "estimated false-match rate")
FILES = ("linkage_quality.parquet", "linkage_quality.csv")


@dataclass(frozen=True)
class QualityLine:
    measure: str
    band: str
    value: float | None  # None: a count too small to show


@dataclass(frozen=True)
class GroupQuality:
    group: str  # e.g. "Hospital / 2026-01"
    lines: list[QualityLine]


def _report_file(store: Path) -> Path | None:
    current = store / "CURRENT"
    folders = [store]
    if current.is_file():
        folders.insert(0, store / "versions" / current.read_text().strip())
    for folder in folders:
        for name in FILES:
            if (folder / name).is_file():
                return folder / name
    return None


def linkage_quality(store: Path | None) -> list[GroupQuality] | None:
    """The store's linkage quality report per group, or None when it has none."""
    if store is None:
        return None
    path = _report_file(store)
    if path is None:
        return None
    import duckdb

    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    con = duckdb.connect()
    try:
        relation = con.sql(f"SELECT * FROM {reader}('{path}')")
        names = relation.columns
        found = relation.fetchall()
    finally:
        con.close()
    keys = [n for n in names if n not in ("measure", "band", "value")]
    groups: dict[str, list[QualityLine]] = {}
    for row in found:
        record = dict(zip(names, row, strict=True))
        group = " / ".join(str(record[k]) for k in keys) or "all"
        value = float(record["value"])
        small = record["measure"] not in SHARES and 0 < value < SMALL_COUNT
        line = QualityLine(
            str(record["measure"]), str(record["band"] or ""), None if small else value
        )
        groups.setdefault(group, []).append(line)
    return [GroupQuality(g, lines) for g, lines in groups.items()]
