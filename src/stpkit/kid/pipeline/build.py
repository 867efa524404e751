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
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from stpkit.kid.errors import ContractError, StoreError
from stpkit.kid.pipeline import stages
from stpkit.kid.pipeline.contracts import ACTIVITY_CONTRACTS, CONTRACTS, Contract
from stpkit.kid.pipeline.duckdb_engine import DuckDBEngine, Engine
from stpkit.kid.pipeline.ingest import ExtractFile, check_header, discover, reader_for
from stpkit.kid.pipeline.pseudonymise import PseudonymKey, load_key
from stpkit.kid.pipeline.store import (
    StoreVersion,
    build_lock,
    current_version,
    discard,
    new_version_dir,
    publish,
)

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


def _fingerprint(files: list[ExtractFile], engine: str) -> str:
    """Content, not names: the same files delivered again under other names change nothing."""
    digest = hashlib.sha256(engine.encode())
    for contract, sha in sorted((f.contract.name, f.sha256) for f in files):
        digest.update(f"{contract}:{sha}\n".encode())
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
) -> BuildResult:
    """Build (or confirm) the store from the raw extracts; see the module docstring."""
    say = progress or (lambda _m: None)
    key = load_key(key_file, forbidden_dirs=(raw_dir, store_dir))
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
    version_id = _fingerprint(files, engine_name)
    live = current_version(store_dir) if store_dir.exists() else None
    if live is not None and live.manifest.get("fingerprint") == version_id and not force:
        say("store is up to date: nothing to load")
        return BuildResult(live, changed=False, counts=live.manifest["counts"])
    own_engine = engine is None
    eng: Engine = engine or DuckDBEngine()
    try:
        with build_lock(store_dir) as cleared:
            if cleared:
                say(f"removed {cleared} partial version(s) left by an interrupted build")
            result = _run(raw_dir, store_dir, key, files, eng, version_id, say)
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


def _run(
    raw_dir: Path,
    store_dir: Path,
    key: PseudonymKey,
    files: list[ExtractFile],
    eng: Engine,
    version_id: str,
    say: Progress,
) -> BuildResult:
    timings: list[StageTiming] = []
    present = sorted({f.contract.name for f in files})
    rows_in: list[int] = []
    with _timed(timings, "ingest", lambda: rows_in[0], say):
        for name in present:
            contract = CONTRACTS[name]
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
    trained: list[int] = []
    with _timed(timings, "link_train", lambda: trained[0], say):
        model, training_rows = _train(eng)
        trained.append(training_rows)
    with _timed(timings, "link_predict", lambda: eng.count("unlinked_identity"), say):
        eng.create(
            "registry_link",
            "SELECT person_token AS unique_id, forename, surname, "
            "CAST(date_of_birth AS VARCHAR) AS date_of_birth, sex, postcode FROM registry_identity",
        )
        eng.create(
            "unlinked_link",
            "SELECT identity_key AS unique_id, forename, surname, date_of_birth, sex, postcode "
            "FROM unlinked_identity",
        )
        eng.predict_links("registry_link", "unlinked_link", model)
    activity_rows: list[int] = []
    with _timed(timings, "store", lambda: activity_rows[0], say):
        eng.create("activity", stages.activity_sql())  # once; written out month by month
        eng.drop("activity_identity")  # free memory: the pseudonymised table replaces it
        eng.create("person", stages.person_sql())
        eng.create("condition", stages.condition_sql())
        store_dir.mkdir(parents=True, exist_ok=True)
        building = new_version_dir(store_dir, version_id)
        try:
            counts = _write_version(eng, building, files, model, version_id, rows_in[0])
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
    model: dict[str, Any],
    version_id: str,
    rows_in: int,
) -> dict[str, int]:
    """Write every table, the linkage model and the manifest into a private directory."""
    for table in ("person", "condition", "practice", "unit_cost", "quarantine", "load_log"):
        eng.write_parquet(table, building / f"{table}.parquet")
    eng.write_parquet("activity", building / "activity", partition_by="month")
    counts = {t: eng.count(t) for t in ("person", "condition", "quarantine", "unlinked_identity")}
    counts["activity"] = pq.ParquetDataset(building / "activity").read(columns=[]).num_rows
    if counts["activity"] != eng.count("activity"):  # every accepted record is in the store
        raise StoreError(
            f"{building / 'activity'}: {counts['activity']} rows written, "
            f"{eng.count('activity')} computed"
        )
    counts["rows_in"] = rows_in
    (building / "linkage_model.json").write_text(json.dumps(model, indent=1, default=str))
    manifest: dict[str, Any] = {
        "version": version_id,
        "fingerprint": version_id,
        "engine": eng.name,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": [{"path": f.relpath, "sha256": f.sha256} for f in files],
        "counts": counts,
    }
    (building / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return counts


def _train(eng: Engine) -> tuple[dict[str, Any], int]:
    """Train the linkage model on DuckDB from a deterministic sample (same for both engines).

    Returns the model and the number of rows it was trained on (registry plus sample)."""
    import duckdb

    from stpkit.kid.pipeline.linkage import pipeline as linkage  # loads Splink

    registry = eng.arrow(
        "SELECT person_token AS unique_id, person_token AS label, forename, surname, "
        "CAST(date_of_birth AS VARCHAR) AS date_of_birth, sex, postcode FROM registry_identity"
    )
    labelled = eng.arrow(
        "SELECT identity_key_l AS unique_id, nhs_token AS label, forename, surname, "
        "date_of_birth, sex, postcode FROM ("
        "SELECT *, sha256(concat_ws('|', nhs_token, coalesce(forename, ''), "
        "coalesce(surname, ''), coalesce(date_of_birth, ''), "
        "coalesce(postcode, ''))) AS identity_key_l FROM ("
        # distinct first: the hash then runs once per identity, not once per record
        "SELECT DISTINCT nhs_token, forename, surname, "
        "CAST(date_of_birth AS VARCHAR) AS date_of_birth, sex, postcode "
        "FROM activity_identity WHERE nhs_valid) d) t "
        f"ORDER BY identity_key_l LIMIT {linkage.TRAINING_SAMPLE * 3}"
    )
    con = duckdb.connect()
    try:
        con.register("registry_arrow", registry)
        con.register("labelled_arrow", labelled)
        con.execute("CREATE TABLE registry_train AS SELECT * FROM registry_arrow").fetchall()
        con.execute(
            "CREATE TABLE labelled_train AS SELECT DISTINCT ON (unique_id) * FROM labelled_arrow "
            f"ORDER BY unique_id LIMIT {linkage.TRAINING_SAMPLE}"
        ).fetchall()
        model = linkage.train_model(con, "registry_train", "labelled_train", registry.num_rows)
        return model, registry.num_rows + labelled.num_rows
    finally:
        con.close()
