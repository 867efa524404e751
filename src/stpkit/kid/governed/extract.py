"""Person-level extracts: pseudonymised rows, only for purposes that allow them, under tokens
that belong to that purpose alone.

An extract is the one way person-level rows leave the store. It is refused (and the refusal
logged) unless the user works under an approved, unexpired purpose that allows person-level
extracts and every table asked for. The rows carry no store token: each person appears under
an *extract token*, HMAC-SHA256 of the store token keyed by a key derived from the pseudonym
key and the purpose (`purpose_pseudonym_key`), so

- extracts for different purposes cannot be joined with each other or with the store;
- the same purpose gets the same token for the same person in every extract, so an analyst
  can follow a cohort across monthly loads within the purpose;
- a cohort handed back to restrict an extract (`cohort=`) must consist of this purpose's
  extract tokens: a token from another purpose's extract, or a store token, is never
  accepted, and the whole request is refused and logged.

Columns are minimised: age band instead of year-month of birth, no household key. Each
extract is a directory of Parquet files and a `MANIFEST.json` (purpose, user, store version,
rows per table), written under a temporary name and renamed when complete, so nothing half
written is left behind; the export is logged with its row count.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from stpkit.kid.governed.governance import STORE_TABLES, AccessRefused, Governance, GovernanceError
from stpkit.kid.pipeline.insight_store import InsightStore
from stpkit.kid.pipeline.pseudonymise import TOKEN_HEX_CHARS, PseudonymKey, token_sql

# table -> the columns an extract carries besides the extract token (data minimisation).
EXTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("age_band", "sex", "lsoa_code", "locality", "practice_code", "death_month"),
    "activity": ("setting", "activity_date", "provider", "currency", "emergency", "cost"),
    "condition": ("condition",),
}
MAX_COHORT = 1_000_000


@dataclass(frozen=True)
class ExtractResult:
    purpose: str
    directory: Path
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def purpose_pseudonym_key(key: PseudonymKey, purpose: str) -> PseudonymKey:
    """The key of one purpose's extract tokens, derived from the pseudonym key."""
    derived = hmac.new(key.key, f"stpkit extract purpose:{purpose}".encode(), hashlib.sha256)
    return PseudonymKey(derived.hexdigest().encode("ascii"))


def extract_token(key: PseudonymKey, purpose: str, store_token: str) -> str:
    """One person's extract token under a purpose (Python; equals the SQL the extract runs)."""
    return purpose_pseudonym_key(key, purpose).token(store_token)


def person_level_extract(
    store: InsightStore,
    governance: Governance,
    key: PseudonymKey,
    *,
    user: str,
    role: str,
    purpose_key: str,
    tables: Sequence[str],
    out_dir: Path,
    cohort: Iterable[str] | None = None,
    today: date | None = None,
) -> ExtractResult:
    """Write a person-level extract for `purpose_key`; see the module docstring."""
    wanted = tuple(dict.fromkeys(tables))
    unknown = [t for t in wanted if t not in STORE_TABLES]
    if unknown or not wanted:
        raise GovernanceError(
            f"extract tables {unknown or '(none)'} are not store tables; "
            f"choose from {', '.join(STORE_TABLES)}"
        )
    what = f"person-level extract of {', '.join(wanted)}"
    # The extract tokens come from the person table, so it is read whatever is asked for.
    needs = tuple(dict.fromkeys(("person", *wanted)))
    purpose = governance.authorise(
        user=user,
        role=role,
        purpose_key=purpose_key,
        tables=needs,
        what=what,
        today=today,
        person_level=True,
    )
    con = store.con.cursor()
    try:
        pkey = purpose_pseudonym_key(key, purpose.key)
        con.execute(
            "CREATE TEMP TABLE extract_ids AS SELECT person_token, "
            f"{token_sql(pkey, 'person_token')} AS extract_token FROM person"
        )
        if cohort is not None:
            _restrict_to_cohort(
                con, governance, cohort, user=user, role=role, what=what, purpose=purpose.key
            )
        out_dir = Path(out_dir)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        final = out_dir / f"{purpose.key}-{stamp}"
        tmp = out_dir / f".{final.name}.partial"
        tmp.mkdir(parents=True)
        rows: dict[str, int] = {}
        try:
            for table in wanted:
                cols = ", ".join(f"t.{c}" for c in EXTRACT_COLUMNS[table])
                target = str(tmp / f"{table}.parquet").replace("'", "''")
                con.execute(
                    f"COPY (SELECT e.extract_token AS person_token, {cols} FROM {table} t "
                    "JOIN extract_ids e USING (person_token) ORDER BY ALL) "
                    f"TO '{target}' (FORMAT parquet)"
                )
                counted = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
                rows[table] = int(counted[0]) if counted else 0
            manifest = {
                "purpose": purpose.key,
                "purpose_title": purpose.title,
                "user": user,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "store_version": store.version,
                "tables": rows,
                "columns": {t: ["person_token", *EXTRACT_COLUMNS[t]] for t in wanted},
                "tokens": (
                    "person_token is this purpose's extract token: it matches no store token "
                    "and no other purpose's extract."
                ),
            }
            (tmp / "MANIFEST.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            tmp.rename(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    result = ExtractResult(purpose.key, final, rows)
    governance.log(user, role, purpose.key, "export", f"{what} to {final}", result.total_rows)
    return result


def _restrict_to_cohort(
    con: duckdb.DuckDBPyConnection,
    governance: Governance,
    cohort: Iterable[str],
    *,
    user: str,
    role: str,
    what: str,
    purpose: str,
) -> None:
    """Keep only the cohort's people; refuse (and log) any token this purpose did not issue."""
    tokens = sorted({str(t).strip().lower() for t in cohort if str(t).strip()})
    reason = ""
    if not tokens:
        reason = "the cohort is empty"
    elif len(tokens) > MAX_COHORT:
        reason = f"the cohort has {len(tokens):,} tokens; at most {MAX_COHORT:,} are accepted"
    elif any(len(t) != TOKEN_HEX_CHARS for t in tokens):
        reason = f"cohort tokens must be {TOKEN_HEX_CHARS} hexadecimal characters"
    if not reason:
        cohort_frame = pd.DataFrame({"extract_token": tokens})  # noqa: F841 (read by the SQL)
        con.execute("CREATE TEMP TABLE extract_cohort AS SELECT * FROM cohort_frame")
        row = con.execute(
            "SELECT count(*) FROM extract_cohort c "
            "WHERE c.extract_token NOT IN (SELECT extract_token FROM extract_ids)"
        ).fetchone()
        foreign = int(row[0]) if row else 0
        if foreign:
            reason = (
                f"{foreign} of the {len(tokens)} cohort tokens were not issued under purpose "
                f"{purpose!r} (tokens of another purpose or of the store are never accepted)"
            )
    if reason:
        governance.log(user, role, purpose, "refused", f"{what}: {reason}", 0)
        raise AccessRefused(f"Refused: {reason}")
    con.execute(
        "DELETE FROM extract_ids "
        "WHERE extract_token NOT IN (SELECT extract_token FROM extract_cohort)"
    )
