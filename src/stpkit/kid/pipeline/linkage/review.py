"""Clerical review of uncertain pairs, kept in the identifiable zone.

A link run given a `ReviewStore` writes every scored pair whose match probability lies in
the review band (by default 0.5 to below 0.99: more likely one person than two, but below
the clustering threshold) to the store's queue with both records' identifying fields, so a
data processor can compare them side by side (`stpkit kid review list`) and record a
decision (`stpkit kid review decide`). Every later run reads the decisions back: a reviewed
non-match is never merged (not even through other records) and a reviewed match is always
merged. Pairs are keyed by the two record ids, smaller first, so a decision holds whichever
way round a later run scores the pair.

The store is a DuckDB file holding names, dates of birth and postcodes: it belongs in the
identifiable zone beside the extracts, never in the pseudonymised store or the web app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stpkit.kid.pipeline.linkage.prepare import LinkageInputError
from stpkit.kid.pipeline.linkage.sql import rows

DECISIONS = ("match", "non_match")
FIELDS = ("forename", "surname", "date_of_birth", "sex", "postcode", "identifier")
DEFAULT_BAND = (0.5, 0.99)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS review_queue (id_l VARCHAR, id_r VARCHAR, "
    "match_probability DOUBLE, match_weight DOUBLE, "
    + ", ".join(f"{f}_l VARCHAR, {f}_r VARCHAR" for f in FIELDS)
    + ", queued_at TIMESTAMP, PRIMARY KEY (id_l, id_r))",
    "CREATE TABLE IF NOT EXISTS review_decisions (id_l VARCHAR, id_r VARCHAR, "
    "decision VARCHAR NOT NULL, decided_by VARCHAR, decided_at TIMESTAMP, note VARCHAR, "
    "PRIMARY KEY (id_l, id_r))",
)


@dataclass(frozen=True)
class PendingPair:
    """One queued pair, both records' fields side by side."""

    id_l: str
    id_r: str
    match_probability: float
    left: dict[str, str | None]
    right: dict[str, str | None]


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class ReviewStore:
    """The review queue and the decisions, in one DuckDB file (identifiable zone)."""

    def __init__(self, path: Path, band: tuple[float, float] = DEFAULT_BAND) -> None:
        low, high = band
        if not 0 <= low < high <= 1:
            raise LinkageInputError(f"the review band must be 0 <= low < high <= 1, not {band}")
        self.path = Path(path)
        self.band = (float(low), float(high))

    def _connect(self) -> Any:
        import duckdb

        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path))
        for statement in _SCHEMA:
            rows(con, statement)
        return con

    def decisions(self) -> dict[tuple[str, str], str]:
        """Every recorded decision, keyed by (smaller id, larger id)."""
        con = self._connect()
        try:
            found = rows(con, "SELECT id_l, id_r, decision FROM review_decisions")
        finally:
            con.close()
        return {(a, b): d for a, b, d in found}

    def decide(self, a: str, b: str, decision: str, by: str = "", note: str = "") -> None:
        """Record (or replace) the decision on a pair and take it off the queue."""
        if decision not in DECISIONS:
            raise LinkageInputError(f"a decision is match or non_match, not {decision!r}")
        if a == b:
            raise LinkageInputError("a pair needs two different record ids")
        left, right = _key(a, b)
        con = self._connect()
        try:
            con.execute(
                "INSERT OR REPLACE INTO review_decisions VALUES (?, ?, ?, ?, ?, ?)",
                [left, right, decision, by, datetime.now(UTC).replace(tzinfo=None), note],
            ).fetchall()
            con.execute(
                "DELETE FROM review_queue WHERE id_l = ? AND id_r = ?", [left, right]
            ).fetchall()
        finally:
            con.close()

    def pending(self, limit: int = 50) -> list[PendingPair]:
        """Undecided queued pairs, least certain (nearest the middle of the band) first."""
        middle = sum(self.band) / 2
        con = self._connect()
        try:
            found = rows(
                con,
                "SELECT id_l, id_r, match_probability, "
                + ", ".join(f"{f}_l, {f}_r" for f in FIELDS)
                + f" FROM review_queue ORDER BY abs(match_probability - {middle}), id_l, id_r "
                f"LIMIT {int(limit)}",
            )
        finally:
            con.close()
        out = []
        for row in found:
            values = row[3:]
            left = {f: values[2 * i] for i, f in enumerate(FIELDS)}
            right = {f: values[2 * i + 1] for i, f in enumerate(FIELDS)}
            out.append(PendingPair(row[0], row[1], float(row[2]), left, right))
        return out

    def enqueue(self, con: Any, pairs: str, records: str) -> int:
        """Queue the pairs of `pairs` (Splink's scored pairs over table `records`) whose
        match probability is in the band and that carry no decision; returns how many."""
        low, high = self.band
        have = {r[0] for r in rows(con, f"DESCRIBE {records}")}
        cols = [
            f"{side}.{f} AS {f}_{s}" if f in have else f"NULL AS {f}_{s}"
            for f in FIELDS
            for side, s in (("a", "l"), ("b", "r"))
        ]
        found = rows(
            con,
            "SELECT least(p.unique_id_l, p.unique_id_r), greatest(p.unique_id_l, "
            "p.unique_id_r), p.match_probability, p.match_weight, "
            + ", ".join(
                f"CASE WHEN p.unique_id_l <= p.unique_id_r THEN {f}_l ELSE {f}_r END, "
                f"CASE WHEN p.unique_id_l <= p.unique_id_r THEN {f}_r ELSE {f}_l END"
                for f in FIELDS
            )
            + " FROM (SELECT p.unique_id_l, p.unique_id_r, p.match_probability, "
            f"p.match_weight, {', '.join(cols)} FROM {pairs} p "
            f"JOIN {records} a ON p.unique_id_l = a.unique_id "
            f"JOIN {records} b ON p.unique_id_r = b.unique_id "
            f"WHERE p.match_probability >= {low} AND p.match_probability < {high}) p",
        )
        decided = self.decisions()
        now = datetime.now(UTC).replace(tzinfo=None)
        fresh = [
            [*(str(v) if i < 2 else v for i, v in enumerate(r)), now]
            for r in found
            if (r[0], r[1]) not in decided
        ]
        if not fresh:
            return 0
        con_store = self._connect()
        try:
            marks = ", ".join("?" for _ in fresh[0])
            con_store.executemany(
                f"INSERT OR REPLACE INTO review_queue VALUES ({marks})", fresh
            ).fetchall()
        finally:
            con_store.close()
        return len(fresh)


def reviewed_edges(
    decisions: dict[tuple[str, str], str], ids: set[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(reviewed matches, reviewed non-matches) among the records of this run."""
    matches = [k for k, d in decisions.items() if d == "match" and k[0] in ids and k[1] in ids]
    non = [k for k, d in decisions.items() if d == "non_match" and k[0] in ids and k[1] in ids]
    return matches, non
