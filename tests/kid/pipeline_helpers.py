"""Shared set-up for the pipeline tests: a small synthetic Kent and Medway, a key, a build.

Not a test module: each `test_pipeline_*` module calls these from its own module-scoped
fixtures, so every module synthesises and builds once.
"""

from __future__ import annotations

import csv
import secrets
from pathlib import Path

from stpkit.kid.pipeline import BuildResult, Engine, build
from stpkit.kid.sources import FaultRates, SynthResult, SynthSpec, synthesise


def make_key(folder: Path) -> Path:
    """A fresh random key file in its own directory (outside raw and store)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pseudonym.key"
    path.write_text(secrets.token_hex(32) + "\n")
    return path


def make_raw(
    folder: Path, people: int, seed: int = 7, faults: FaultRates | None = None
) -> SynthResult:
    spec = SynthSpec(people=people, seed=seed, faults=faults or FaultRates())
    return synthesise(spec, folder / "raw", folder / "truth")


def run_build(
    raw: Path, store: Path, key: Path, engine: Engine | None = None, force: bool = False
) -> BuildResult:
    return build(raw, store, key, engine=engine, force=force)


def data_lines(path: Path) -> list[list[str]]:
    """A delivered file's rows after the header, read independently of the pipeline."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[1:]


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))
