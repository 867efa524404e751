"""`kid build`: raw provider extracts -> a linked, pseudonymised store, on DuckDB or Spark.

Order: read the key (stop if missing) -> find the extracts and check every header ->
ingest through the contracts (accept or quarantine every row) -> pseudonymise (modulus 11,
HMAC tokens) -> link records without a valid NHS number (Splink) -> write a new store
version and make it live atomically. Building from the same extracts twice changes
nothing: the second build sees the same file hashes and returns the live version.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from stpkit.kid.errors import ContractError, StoreError
from stpkit.kid.pipeline import stages
from stpkit.kid.pipeline.contracts import ACTIVITY_CONTRACTS, CONTRACTS, Contract
from stpkit.kid.pipeline.duckdb_engine import DuckDBEngine, Engine
from stpkit.kid.pipeline.ingest import ExtractFile, check_header, discover, reader_for
from stpkit.kid.pipeline.linkage.build_link import MAP_FILE, BuildLinkage, link_for_build
from stpkit.kid.pipeline.pseudonymise import PseudonymKey, load_key
from stpkit.kid.pipeline.store import (
    StoreVersion,
    build_lock,
    current_version,
    discard,
    new_version_dir,
    publish,
)

if TYPE_CHECKING:
    from stpkit.kid.pipeline.linkage.review import ReviewStore

Progress = Callable[[str], None]


@dataclass
class StageTiming:
    """One stage: rows into it, wall seconds, and CPU seconds of this process (all its
    threads: DuckDB's too; not a Spark JVM's), which other work on the machine disturbs less."""

    name: str
    rows: int
    seconds: float
    cpu_seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class BuildResult:
    version: StoreVersion
    changed: bool
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[StageTiming] = field(default_factory=list)


@dataclass(frozen=True)
class Linking:
    """What the link stage reuses: the live version (model, identity map) and the review."""

    live: Path | None
    review: ReviewStore | None
    retrain: bool


def _review(path: Path | None, store_dir: Path) -> ReviewStore | None:
    """The clerical review file, refused inside the store (it holds identifiers)."""
    if path is None:
        return None
    from stpkit.kid.pipeline.linkage.review import ReviewStore

    resolved, store = path.expanduser().resolve(), store_dir.resolve()
    if resolved == store or store in resolved.parents:
        raise StoreError(
            f"{resolved}: the clerical review file holds names and dates of birth; keep it "
            f"in the identifiable zone, outside the store {store}"
        )
    return ReviewStore(resolved)


def _fingerprint(files: list[ExtractFile], engine: str, review: ReviewStore | None) -> str:
    """Content, not names: the same files delivered again under other names change nothing.
    Clerical review decisions count as content: a new decision makes a new version."""
    digest = hashlib.sha256(engine.encode())
    for contract, sha in sorted((f.contract.name, f.sha256) for f in files):
        digest.update(f"{contract}:{sha}\n".encode())
    decisions = sorted(review.decisions().items()) if review is not None else []
    for (a, b), decision in decisions:
        digest.update(f"review:{a}:{b}:{decision}\n".encode())
    return digest.hexdigest()[:16]


def _read_reference(raw_dir: Path, name: str, columns: list[str]) -> pa.Table:
    path = raw_dir / "reference" / name
    if not path.is_file():
        raise ContractError(f"{path}: reference file missing (needs columns {', '.join(columns)})")
    table = pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in columns})
    )
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise ContractError(f"{path}: row 1 (header): field '{missing[0]}' missing")
    return table.select(columns)


def build(
    raw_dir: Path,
    store_dir: Path,
    key_file: Path,
    engine: Engine | None = None,
    progress: Progress | None = None,
    force: bool = False,
    review_store: Path | None = None,
    retrain_linkage: bool = False,
) -> BuildResult:
    """Build (or confirm) the store from the raw extracts; see the module docstring.

    `review_store`: the data processor's clerical review file (identifiable zone, never
    inside the store): its decisions are applied and uncertain pairs queued in it; a new
    decision makes the next build run again. `retrain_linkage`: train the linkage model
    anew instead of reusing the live version's (implies a rebuild)."""
    say = progress or (lambda _m: None)
    key = load_key(key_file, forbidden_dirs=(raw_dir, store_dir))
    review = _review(review_store, store_dir)
    checked: list[StageTiming] = []
    wall, cpu = time.perf_counter(), time.process_time()
    files = discover(raw_dir)
    bad: list[str] = []
    for extract in files:
        try:
            check_header(extract)
        except ContractError as exc:
            bad.append(str(exc))
    if bad:  # every bad file in one run, not one per run
        raise ContractError(
            f"{len(bad)} extract file(s) refused, nothing was loaded:\n" + "\n".join(bad)
        )
    lines = sum(max(f.data_rows, 0) for f in files)
    checked.append(
        StageTiming("check", lines, time.perf_counter() - wall, time.process_time() - cpu)
    )
    engine_name = engine.name if engine else "duckdb"
    version_id = _fingerprint(files, engine_name, review)
    live = current_version(store_dir) if store_dir.exists() else None
    up_to_date = live is not None and live.manifest.get("fingerprint") == version_id
    if live is not None and up_to_date and not (force or retrain_linkage):
        say("store is up to date: nothing to load")
        return BuildResult(live, changed=False, counts=live.manifest["counts"])
    own_engine = engine is None
    eng: Engine = engine or DuckDBEngine()
    try:
        with build_lock(store_dir) as cleared:
            if cleared:
                say(f"removed {cleared} partial version(s) left by an interrupted build")
            linking = Linking(live.path if live else None, review, retrain_linkage)
            result = _run(raw_dir, store_dir, key, files, eng, version_id, say, linking)
            result.timings[:0] = checked  # finding and hashing the files: a stage too
    finally:
        if own_engine:
            eng.close()
    return result


def _timed(timings: list[StageTiming], name: str, rows: Callable[[], int], say: Progress):
    class _T:
        def __enter__(self) -> None:
            say(name)
            self.start, self.cpu = time.perf_counter(), time.process_time()

        def __exit__(self, *exc: object) -> None:
            if exc[0] is None:
                seconds = time.perf_counter() - self.start
                cpu = time.process_time() - self.cpu
                timings.append(StageTiming(name, rows(), seconds, cpu))

    return _T()


def _staging_sql(contract: Contract) -> str:
    """The SQL staging one contract's extract stream (`stages.raw_table`) in canonical form."""
    if contract.name == "registry":
        return stages.staged_registry_sql()
    if contract.name == "gp_conditions":
        return stages.staged_conditions_sql()
    return stages.staged_activity_sql(contract)


STAGE_WORKERS = 2  # extracts staged at once where the engine allows it (DuckDB)


def _stage_one(eng: Engine, contract: Contract, files: list[ExtractFile]) -> None:
    failures: list[ContractError] = []
    try:
        eng.stage_reader(
            stages.staged_table(contract),
            stages.raw_table(contract),
            reader_for(contract, files, failures),
            _staging_sql(contract),
        )
    except ContractError:
        raise
    except Exception:
        if failures:  # the engine wrapped our error: report it as it is
            raise failures[0] from None
        raise


def _stage_extracts(eng: Engine, files: list[ExtractFile], present: list[str]) -> None:
    """Stage every contract's extracts; on DuckDB two at a time, largest first (each
    stream is parsed on about one core). The first contract to fail (in name order) is
    the one reported, as when they were staged one by one."""
    contracts = [CONTRACTS[name] for name in present]
    if not getattr(eng, "concurrent_staging", False):
        for contract in contracts:
            _stage_one(eng, contract, files)
        return
    size = {
        c.name: sum(f.path.stat().st_size for f in files if f.contract.name == c.name)
        for c in contracts
    }
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=STAGE_WORKERS) as pool:
        started = {
            c.name: pool.submit(_stage_one, eng, c, files)
            for c in sorted(contracts, key=lambda c: -size[c.name])
        }
        errors = [started[name].exception() for name in present]
    for error in errors:
        if error is not None:
            raise error


def _run(
    raw_dir: Path,
    store_dir: Path,
    key: PseudonymKey,
    files: list[ExtractFile],
    eng: Engine,
    version_id: str,
    say: Progress,
    linking: Linking,
) -> BuildResult:
    timings: list[StageTiming] = []
    present = sorted({f.contract.name for f in files})
    rows_in: list[int] = []
    with _timed(timings, "ingest", lambda: rows_in[0], say):
        _stage_extracts(eng, files, present)
        for name in ("gp_conditions",):
            if name not in present:
                contract = CONTRACTS[name]
                empty = (
                    pa.table({c: pa.array([], pa.string()) for c in contract.columns})
                    .append_column("source_file", pa.array([], pa.string()))
                    .append_column("row_number", pa.array([], pa.int64()))
                )
                eng.stage_reader(
                    stages.staged_table(contract),
                    stages.raw_table(contract),
                    empty.to_reader(),
                    _staging_sql(contract),
                )
        eng.load_table(
            "postcode_lookup", _read_reference(raw_dir, "postcodes.csv", ["postcode", "lsoa_code"])
        )
        unit_cost = _read_reference(raw_dir, "unit_costs.csv", ["setting", "code", "unit_cost_gbp"])
        eng.load_table("unit_cost_raw", unit_cost)
        eng.create(
            "unit_cost",
            "SELECT setting, code, CAST(unit_cost_gbp AS DOUBLE) AS unit_cost_gbp FROM "
            "unit_cost_raw",
        )
        eng.load_table(
            "practice", _read_reference(raw_dir, "practices.csv", ["practice_code", "lsoa_code"])
        )
        eng.create("duplicate_rows", stages.duplicate_rows_sql(present))
        eng.create_view("staged_activity", stages.staged_all_activity_sql(present))
        eng.create("quarantine", stages.quarantine_sql())
        eng.create("load_log", stages.load_log_sql())
        rows_in.append(
            int(eng.arrow("SELECT sum(rows_in) AS n FROM load_log")["n"][0].as_py() or 0)
        )
    with _timed(timings, "pseudonymise", lambda: eng.count("activity_identity"), say):
        eng.create("activity_nhs", stages.activity_nhs_sql())
        eng.create("nhs_token_map", stages.nhs_token_map_sql(key))
        eng.create("registry_identity", stages.registry_identity_sql())
        eng.create("activity_identity", stages.activity_identity_sql(key))
        eng.create("unlinked_identity", stages.unlinked_identities_sql())
        eng.drop("staged_activity")
        for contract in ACTIVITY_CONTRACTS:
            if contract.name in present:
                eng.drop(stages.staged_table(contract))  # free memory: identified from here on
    with _timed(timings, "link", lambda: eng.count("unlinked_identity"), say):
        linkage = link_for_build(eng, linking.live, linking.review, retrain=linking.retrain)
        for note in linkage.notes:
            say(f"linkage: {note}")
        eng.create("linkage_quality", stages.linkage_quality_sql())
    activity_rows: list[int] = []
    with _timed(timings, "store", lambda: activity_rows[0], say):
        eng.create("activity", stages.activity_sql())  # once; written out month by month
        eng.drop("activity_identity")  # free memory: the pseudonymised table replaces it
        eng.create("person", stages.person_sql())
        eng.create("condition", stages.condition_sql())
        store_dir.mkdir(parents=True, exist_ok=True)
        building = new_version_dir(store_dir, version_id)
        try:
            counts = _write_version(eng, building, files, version_id, rows_in[0], linkage)
            activity_rows.append(counts["activity"])
            version = publish(store_dir, building, version_id)
        except BaseException:
            discard(building)  # nothing half-loaded: the live version is untouched
            raise
    return BuildResult(version, changed=True, counts=counts, timings=timings)


def _write_version(
    eng: Engine,
    building: Path,
    files: list[ExtractFile],
    version_id: str,
    rows_in: int,
    linkage: BuildLinkage,
) -> dict[str, int]:
    """Write every table, the linkage report and map, and the manifest (private directory).

    `linkage_map.parquet` (identity token -> person token, how linked) is what the next
    build reads to keep each person's pseudonym; `linkage_quality.parquet` is the report
    the web app shows the data controller. Neither holds a name, date or NHS number."""
    tables = ("person", "condition", "practice", "unit_cost", "quarantine", "load_log")
    for table in (*tables, "linkage_quality"):
        eng.write_parquet(table, building / f"{table}.parquet")
    eng.write_parquet("linked_identity", building / MAP_FILE)
    eng.write_parquet("activity", building / "activity", partition_by="month")
    counts = {t: eng.count(t) for t in ("person", "condition", "quarantine", "unlinked_identity")}
    counts["activity"] = pq.ParquetDataset(building / "activity").read(columns=[]).num_rows
    if counts["activity"] != eng.count("activity"):  # every accepted record is in the store
        raise StoreError(
            f"{building / 'activity'}: {counts['activity']} rows written, "
            f"{eng.count('activity')} computed"
        )
    counts["rows_in"] = rows_in
    counts.update(linkage.counts())
    if linkage.model_json is not None:
        (building / "linkage_model.json").write_text(linkage.model_json)
    manifest: dict[str, Any] = {
        "version": version_id,
        "fingerprint": version_id,
        "engine": eng.name,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": [{"path": f.relpath, "sha256": f.sha256} for f in files],
        "counts": counts,
        "linkage_model": "reused" if linkage.model_reused else "trained",
    }
    (building / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return counts
