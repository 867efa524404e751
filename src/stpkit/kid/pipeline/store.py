"""The pseudonymised store: Parquet tables (activity partitioned by month) behind DuckDB views.

Layout of a store directory:

    CURRENT                      name of the live version (replaced atomically)
    versions/<id>/manifest.json  what was loaded (files and hashes), row counts, engine
    versions/<id>/person.parquet, condition.parquet, practice.parquet, unit_cost.parquet,
                  quarantine.parquet, load_log.parquet, linkage_model.json
    versions/<id>/activity/month=YYYY-MM/*.parquet

A build writes a whole new version beside the live one and then replaces `CURRENT` with
`os.replace`, so a killed build leaves the previous store intact and readers never see a
half-written store. `open_store` is the stable API for everything built on the store.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from stpkit.kid.errors import StoreError

TABLES = ("person", "activity", "condition", "practice", "unit_cost", "quarantine", "load_log")
KEEP_VERSIONS = 2


@dataclass(frozen=True)
class StoreVersion:
    root: Path
    version: str

    @property
    def path(self) -> Path:
        return self.root / "versions" / self.version

    def table_path(self, table: str) -> str:
        if table == "activity":
            return str(self.path / "activity" / "**" / "*.parquet")
        return str(self.path / f"{table}.parquet")

    @property
    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "manifest.json").read_text())
        return data


def current_version(store_dir: Path) -> StoreVersion | None:
    marker = store_dir / "CURRENT"
    if not marker.is_file():
        return None
    version = marker.read_text().strip()
    if not (store_dir / "versions" / version / "manifest.json").is_file():
        raise StoreError(f"{marker}: names version {version!r}, which is missing or incomplete")
    return StoreVersion(store_dir, version)


def new_version_dir(store_dir: Path, version: str) -> Path:
    """A fresh, private directory to write a version into (never the live one)."""
    versions = store_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".building-{version}-", dir=versions))


@contextmanager
def build_lock(store_dir: Path) -> Iterator[int]:
    """Hold the store's build lock (one build at a time) and clear partial versions.

    Under the lock no other build is writing, so every `.building-*` folder is what a
    killed or crashed build left behind (pseudonymised data nothing else removes): it is
    deleted before this build starts. Yields how many were removed.
    """
    versions = store_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    with (store_dir / ".build.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            partials = [p for p in versions.iterdir() if p.name.startswith(".building-")]
            for path in partials:
                shutil.rmtree(path, ignore_errors=True)
            yield len(partials)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def discard(building: Path) -> None:
    """Remove a half-written version after a failed build (the live store is untouched)."""
    shutil.rmtree(building, ignore_errors=True)


def _free_name(store_dir: Path, version: str) -> str:
    """`version`, or `version-rN` when that directory exists already (a forced rebuild).

    The live version's directory is never removed or overwritten while it is live, so a
    build killed at any moment leaves `CURRENT` naming a complete version.
    """
    name, n = version, 1
    while (store_dir / "versions" / name).exists():
        n += 1
        name = f"{version}-r{n}"
    return name


def publish(store_dir: Path, building: Path, version: str) -> StoreVersion:
    """Make a fully written version live: rename it, then swap CURRENT atomically."""
    name = _free_name(store_dir, version)
    final = store_dir / "versions" / name
    manifest_path = building / "manifest.json"
    if name != version and manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        manifest["version"] = name
        manifest_path.write_text(json.dumps(manifest, indent=1))
    building.rename(final)
    tmp = store_dir / f".CURRENT.{os.getpid()}"
    tmp.write_text(name + "\n")
    os.replace(tmp, store_dir / "CURRENT")
    _prune(store_dir, keep=name)
    return StoreVersion(store_dir, name)


def _prune(store_dir: Path, keep: str) -> None:
    """Keep the live version and the one before it; drop older ones and stale partials."""
    versions = store_dir / "versions"
    old = sorted(
        (p for p in versions.iterdir() if p.is_dir() and p.name != keep),
        key=lambda p: p.stat().st_mtime,
    )
    complete = [p for p in old if not p.name.startswith(".building-")]
    for path in complete[: max(0, len(complete) - (KEEP_VERSIONS - 1))]:
        shutil.rmtree(path, ignore_errors=True)
    for path in old:
        if path.name.startswith(".building-") and _stale(path):
            shutil.rmtree(path, ignore_errors=True)  # left by a build killed long ago


def _stale(path: Path, seconds: float = 24 * 3600) -> bool:
    """A partial version nobody has written to for a day (a concurrent build is not stale)."""
    return time.time() - path.stat().st_mtime > seconds


def open_store(
    store_dir: Path | str, con: duckdb.DuckDBPyConnection | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per store table (person, activity, ...).

    `activity` is read with Hive partitioning, so filtering on `month` reads only those
    months. The connection is in-memory: nothing a caller does changes the store.
    """
    store = Path(store_dir)
    version = current_version(store)
    if version is None:
        raise StoreError(f"{store}: no store here (no CURRENT); run `stpkit kid build` first")
    con = con or duckdb.connect()
    for table in TABLES:
        source = version.table_path(table)
        if table == "activity":
            reader = (
                f"read_parquet('{source}', hive_partitioning = true, "
                "hive_types = {'month': VARCHAR})"
            )
        else:
            reader = f"read_parquet('{source}')"
        con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM {reader}").fetchall()
    return con


def store_manifest(store_dir: Path | str) -> dict[str, Any]:
    version = current_version(Path(store_dir))
    if version is None:
        raise StoreError(f"{store_dir}: no store here (no CURRENT)")
    return version.manifest
