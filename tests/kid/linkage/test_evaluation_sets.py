"""Our linkage on the public labelled sets in ../shared/evaluation (slow; skipped if absent)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_febrl3_is_linked_precisely() -> None:
    spec = importlib.util.spec_from_file_location("bench_linkage", ROOT / "benchmarks/linkage.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_linkage"] = bench
    spec.loader.exec_module(bench)
    folder = bench.evaluation_dir() / "linkage"
    if not (folder / "febrl3.csv").is_file():
        pytest.skip(f"no evaluation data at {folder} (set STPKIT_EVALUATION_DIR)")
    con = duckdb.connect()
    bench.load(con, "febrl3", folder)
    scores = bench.run_ours(con, "febrl3")
    assert scores["precision"] >= 0.99
    assert scores["f1"] >= 0.98
