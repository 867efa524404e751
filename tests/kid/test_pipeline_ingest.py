"""Ingest through the data contracts: every row accepted or quarantined, every fault caught.

One small synthetic extract (600 people) with raised fault rates so that every kind of
injected fault occurs many times, built once for the module. The raw files are re-read
here with Python's csv module, independently of the pipeline, to check what it did.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from stpkit.kid.pipeline import (
    ACTIVITY_CONTRACTS,
    CONTRACTS,
    BuildResult,
    Contract,
    PseudonymKey,
    codes,
    load_key,
    open_store,
)
from stpkit.kid.sources import OUT_OF_AREA_POSTCODES, FaultRates

from .pipeline_helpers import make_key, make_raw, run_build

pytestmark = pytest.mark.slow  # builds a small store per module (seconds, not ms)

FAULTS = FaultRates(
    missing_nhs=0.05, missing_nhs_social_care=0.1, invalid_nhs=0.03, name_typo=0.1,
    dob_transposed=0.05, postcode_out_of_area=0.03, duplicate=0.03, impossible_date=0.06,
    unknown_code=0.02,
)  # fmt: skip


@dataclass
class Built:
    raw: Path
    truth: Path
    store: Path
    key: PseudonymKey
    result: BuildResult
    con: duckdb.DuckDBPyConnection


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("kid-ingest")
    synth = make_raw(root, people=600, seed=11, faults=FAULTS)
    key_file = make_key(root / "key")
    result = run_build(synth.raw_dir, root / "store", key_file)
    return Built(
        synth.raw_dir, synth.truth_dir, root / "store", load_key(key_file), result,
        open_store(root / "store"),
    )  # fmt: skip


@dataclass(frozen=True)
class RawRow:
    provider: str
    source_file: str
    row_number: int
    values: dict[str, str]  # canonical field -> text as delivered


def raw_rows(raw: Path, contract: Contract) -> list[RawRow]:
    out: list[RawRow] = []
    for path in sorted((raw / contract.folder).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for number, row in enumerate(reader, start=2):
                values = {c: row[src] for c, src in contract.columns.items()}
                rel = str(path.relative_to(raw))
                out.append(RawRow(contract.name, rel, number, values))
    return out


def _is_date(text: str, contract: Contract) -> bool:
    try:
        datetime.strptime(text.strip(), contract.date_format)
    except ValueError:
        return False
    return True


def _mod11(text: str) -> bool:
    digits = re.sub(r"[^0-9]", "", text)
    if len(digits) != 10:
        return False
    check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11) % 11
    return check == int(digits[9])


def _quarantine(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], str]:
    rows = con.execute("SELECT source_file, row_number, reasons FROM quarantine").fetchall()
    return {(f, int(n)): r for f, n, r in rows}


def test_counts_in_equal_accepted_plus_quarantined_for_every_file(built: Built) -> None:
    log = built.con.execute(
        "SELECT source_file, rows_in, accepted, quarantined FROM load_log"
    ).fetchall()
    by_file = {f: (int(i), int(a), int(q)) for f, i, a, q in log}
    delivered = sorted(str(p.relative_to(built.raw)) for c in CONTRACTS.values()
                       for p in (built.raw / c.folder).glob("*.csv"))  # fmt: skip
    assert sorted(by_file) == delivered
    for path, (rows_in, accepted, quarantined) in by_file.items():
        with (built.raw / path).open(encoding="utf-8", newline="") as handle:
            lines = sum(1 for _ in csv.reader(handle)) - 1
        assert rows_in == lines, path  # rows in reconcile with the file itself
        assert rows_in == accepted + quarantined, path
    quarantined_per_file = dict(
        built.con.execute("SELECT source_file, count(*) FROM quarantine GROUP BY 1").fetchall()
    )
    for path, (_, _, quarantined) in by_file.items():
        assert quarantined_per_file.get(path, 0) == quarantined, path
    total = sum(v[0] for v in by_file.values())
    assert built.result.counts["rows_in"] == total
    accepted_activity = sum(a for f, (_, a, _) in by_file.items()
                            if not f.startswith(("registry/", "gp_conditions/")))  # fmt: skip
    assert built.result.counts["activity"] == accepted_activity
    assert built.result.counts["person"] == sum(
        a for f, (_, a, _) in by_file.items() if f.startswith("registry/")
    )


def test_quarantine_reasons_name_file_row_and_field(built: Built) -> None:
    quarantine = _quarantine(built.con)
    assert len(quarantine) > 100
    fields = {f for c in CONTRACTS.values() for f in c.columns}
    for (path, number), reasons in quarantine.items():
        assert (built.raw / path).is_file()
        assert number >= 2
        for reason in reasons.split("; "):
            field, _, why = reason.partition(": ")
            assert field in fields and why, reason


def test_quarantined_rows_point_at_the_faulty_line(built: Built) -> None:
    """Going back to the named file and row shows the fault the reason describes."""
    quarantine = _quarantine(built.con)
    rows = {(r.source_file, r.row_number): r for c in ACTIVITY_CONTRACTS
            for r in raw_rows(built.raw, c)}  # fmt: skip
    checked = 0
    for where, reasons in quarantine.items():
        if where not in rows:
            continue
        row = rows[where]
        contract = CONTRACTS[row.provider]
        for reason in reasons.split("; "):
            if "unknown code" in reason:
                field = reason.split(":")[0]
                raw = row.values[field].strip()
                shown = reason.split("unknown code ", 1)[1]
                assert shown in (raw, f"(a value of {len(raw)} characters, not shown)")
                assert row.values[field].strip() not in contract.code_lists[field]
            elif "not a valid date" in reason:
                assert not _is_date(row.values[reason.split(":")[0]], contract)
            checked += 1
    assert checked > 50


def test_each_injected_fault_kind_is_caught(built: Built) -> None:
    quarantine = _quarantine(built.con)
    activity = {
        (p, r): (method, weight, lsoa)
        for p, r, method, weight, lsoa in built.con.execute(
            "SELECT provider, record_id, link_method, match_weight, lsoa_code FROM activity"
        ).fetchall()
    }
    seen: dict[str, int] = {}

    def caught(kind: str, ok: bool) -> None:
        assert ok, kind
        seen[kind] = seen.get(kind, 0) + 1

    for contract in ACTIVITY_CONTRACTS:
        first_seen: set[str] = set()
        coded = codes.SETTINGS[contract.setting or ""].coded_field
        for row in raw_rows(built.raw, contract):
            where = (row.source_file, row.row_number)
            reasons = quarantine.get(where, "")
            rid = row.values["record_id"]
            if rid in first_seen:
                caught("duplicate", "record_id: duplicate" in reasons)
                continue
            first_seen.add(rid)
            if not _is_date(row.values["activity_date"], contract):
                caught("impossible date", "activity_date: not a valid date" in reasons)
            if row.values[coded] == "ZZ":
                caught("unknown code", f"{coded}: unknown code ZZ" in reasons)
            end = row.values.get("end_date")
            start_ok = _is_date(row.values["activity_date"], contract)
            if (
                end
                and start_ok
                and datetime.strptime(end, contract.date_format)
                < datetime.strptime(row.values["activity_date"], contract.date_format)
            ):
                caught("end before start", "end_date: before activity_date" in reasons)
            if reasons:
                assert (contract.name, rid) not in activity
                continue
            method, weight, lsoa = activity[(contract.name, rid)]
            nhs = row.values["nhs_number"]
            if not nhs.strip():
                caught("missing NHS number", method in ("probabilistic", "provisional"))
            elif not _mod11(nhs):
                caught("invalid NHS number", method in ("probabilistic", "provisional"))
            else:
                assert method == "nhs_number" and weight is None
            if row.values["postcode"] in OUT_OF_AREA_POSTCODES:
                caught("postcode out of area", lsoa is None)
    assert set(seen) == {
        "duplicate", "impossible date", "unknown code", "end before start",
        "missing NHS number", "invalid NHS number", "postcode out of area",
    }, seen  # fmt: skip
    assert min(seen.values()) >= 2, seen  # end-before-start is rarest (admissions only)


def test_typos_and_transposed_dates_still_reach_the_true_person(built: Built) -> None:
    """Records whose name or date of birth is wrong and which have no usable NHS number are
    linked on the remaining fields; most still reach their true registered person."""
    people = pq.read_table(built.truth / "people.parquet").to_pylist()
    by_id = {p["person_id"]: p for p in people}
    truth = {(r["provider"], r["record_id"]): r["person_id"]
             for r in pq.read_table(built.truth / "records.parquet").to_pylist()}  # fmt: skip
    tokens = dict(
        ((p, r), t)
        for p, r, t in built.con.execute(
            "SELECT provider, record_id, person_token FROM activity WHERE link_method <> "
            "'nhs_number'"
        ).fetchall()
    )
    faulty = right = 0
    for contract in ACTIVITY_CONTRACTS:
        for row in raw_rows(built.raw, contract):
            key = (contract.name, row.values["record_id"])
            if key not in tokens:
                continue
            person = by_id[truth[key]]
            if not person["registered"]:
                continue
            given = row.values["date_of_birth"]  # missing in some records (a fault too)
            dob = datetime.strptime(given, contract.date_format).date() if given else None
            if (row.values["forename"] != person["forename"]
                    or row.values["surname"] != person["surname"]
                    or dob != person["date_of_birth"]):  # fmt: skip
                faulty += 1
                right += tokens[key] == built.key.token(person["nhs_number"])
    assert faulty >= 10
    assert right / faulty >= 0.85, (right, faulty)


def test_person_and_condition_tables_follow_the_registry(built: Built) -> None:
    people = pq.read_table(built.truth / "people.parquet").to_pylist()
    registered = {built.key.token(p["nhs_number"]) for p in people if p["registered"]}
    store_people = {r[0] for r in built.con.execute("SELECT person_token FROM person").fetchall()}
    assert store_people == registered
    orphans = built.con.execute(
        "SELECT count(*) FROM condition WHERE person_token NOT IN (SELECT person_token FROM person)"
    ).fetchall()[0][0]
    assert orphans == 0
    months = built.con.execute("SELECT DISTINCT month FROM activity ORDER BY 1").fetchall()
    assert [m[0] for m in months] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert sorted(p.name for p in (built.result.version.path / "activity").iterdir()) == [
        f"month=2024-{m:02d}" for m in range(1, 13)
    ]
