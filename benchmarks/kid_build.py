"""Integrated dataset build: synthesise Kent and Medway, build the store, measure it.

Usage: `python benchmarks/kid_build.py [--people N] [--spark-fraction F] [--no-spark]`
(or KID_BENCH_PEOPLE=N). The default is full Kent and Medway, one year (~1.8M people,
~20M activity records) on DuckDB, then 10% of that on Spark local mode.

Each phase (synth, DuckDB build, Spark build) runs in its own child process so that its
peak memory is its own: the figure is the peak resident set (VmHWM) of the phase's process
plus that of its child processes (the Spark JVM), read from /proc before it exits.
Printed, each as its own figure: the data it ran on (a text line: generator, seed, people,
records, folder, synthesised now or reused), the load average before and after each phase
(the machine may be shared: wall seconds then mean little, so CPU seconds are printed
beside them), build wall and CPU seconds in total and per stage (check, ingest,
pseudonymise, link_train, link_predict, store) with rows into each stage, peak memory, the
records and distinct identities that reach probabilistic linkage, the share of activity
records linked by NHS number / probabilistically / left provisional, and precision and
recall of person assignment against the generator's ground truth (all records, and
probabilistic links only: `prob_precision`, `prob_recall`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure

FULL_SCALE = 1_800_000


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the machine is shared: wall time
    alone says little when other work competes for the two cores)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def peak_memory_gb() -> float:
    """Peak RSS of this process plus its live descendants (e.g. the Spark JVM), in GB."""
    total = _vm_hwm_kb(os.getpid()) + sum(_vm_hwm_kb(p) for p in _descendants(os.getpid()))
    return total / 1024 / 1024


# -- phases (each run in a child process) ------------------------------------------------


def load_average() -> float:
    """The one-minute load average (2 would fill a quiet 2-core machine)."""
    return os.getloadavg()[0]


def phase_synth(work: Path, people: int) -> dict[str, object]:
    from stpkit.kid.sources import SynthSpec, synthesise

    start, cpu = time.perf_counter(), cpu_seconds()
    result = synthesise(SynthSpec(people=people, seed=42), work / "raw", work / "truth")
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds() - cpu,
        "records": sum(result.records.values()),
        "peak_gb": peak_memory_gb(),
    }


def phase_build(work: Path, engine_name: str) -> dict[str, object]:
    from stpkit.kid.pipeline import DuckDBEngine, Engine, build, linkage_quality, load_key

    key_file = work / "key" / "pseudonym.key"
    store = work / f"store-{engine_name}"
    shutil.rmtree(store, ignore_errors=True)  # a first build (it trains), even on --reuse
    eng: Engine
    if engine_name == "spark":
        from stpkit.kid.pipeline import SparkEngine, local_session

        eng = SparkEngine(local_session(memory="4g"), owns_session=True)
    else:
        eng = DuckDBEngine()
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        result = build(work / "raw", store, key_file, engine=eng, force=True)
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu  # the Spark JVM's CPU is not included (not reaped yet)
        peak = peak_memory_gb()
    finally:
        eng.close()
    quality = linkage_quality(store, work / "truth", load_key(key_file))
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_gb": peak,
        "stages": [
            {"name": t.name, "rows": t.rows, "seconds": t.seconds, "cpu_seconds": t.cpu_seconds}
            for t in result.timings
        ],
        "counts": result.counts,
        "quality": quality.__dict__,
    }


def _child(phase: str, work: Path, arg: str) -> dict[str, object]:
    before = load_average()
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--work", str(work), "--arg", arg],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["load_before"], data["load_after"] = before, load_average()
    return data


def _report(prefix: str, data: dict[str, Any]) -> None:
    figure(f"{prefix}.load_before", data["load_before"], "load")
    figure(f"{prefix}.build_total", data["seconds"], "s")
    figure(f"{prefix}.build_cpu", data.get("cpu_seconds", 0.0), "s")
    figure(f"{prefix}.peak_memory", data["peak_gb"], "GB")
    for stage in data["stages"]:
        name = f"{prefix}.{stage['name']}"
        figure(f"{name}.seconds", stage["seconds"], "s")
        figure(f"{name}.cpu_seconds", stage.get("cpu_seconds", 0.0), "s")
        figure(f"{name}.rows", stage["rows"], "rows")
        rate = stage["rows"] / stage["seconds"] if stage["seconds"] else 0.0
        figure(f"{name}.rows_per_s", rate, "rows/s")
    counts, q = data["counts"], data["quality"]
    figure(f"{prefix}.rows_in", counts["rows_in"], "rows")
    figure(f"{prefix}.quarantined_rows", counts["quarantine"], "rows")
    figure(f"{prefix}.activity_rows", counts["activity"], "rows")
    figure(f"{prefix}.records_needing_linkage", q["needing_linkage"], "records")
    figure(f"{prefix}.identities_into_probabilistic", counts["unlinked_identity"], "identities")
    figure(f"{prefix}.nhs_number_share", q.get("nhs_number_share", 0.0), "ratio")
    figure(f"{prefix}.probabilistic_share", q.get("probabilistic_share", 0.0), "ratio")
    figure(f"{prefix}.provisional_share", q.get("provisional_share", 0.0), "ratio")
    figure(f"{prefix}.linkage_precision", q["precision"], "ratio")
    figure(f"{prefix}.linkage_recall", q["recall"], "ratio")
    figure(f"{prefix}.prob_precision", q["probabilistic_precision"], "ratio")
    figure(f"{prefix}.prob_recall", q["probabilistic_recall"], "ratio")
    figure(f"{prefix}.load_after", data["load_after"], "load")


def _describe_data(work: Path, people: int, synthesised: bool) -> None:
    """A text line (not a figure): which data the build ran on."""
    import pyarrow.parquet as pq

    from stpkit.kid.sources import FaultRates

    records = pq.ParquetFile(work / "truth" / "records.parquet").metadata.num_rows
    raw_bytes = sum(f.stat().st_size for f in (work / "raw").rglob("*.csv"))
    how = "synthesised in this run" if synthesised else "reused (--reuse), synthesised earlier"
    print(
        f"data: synthetic Kent and Medway from stpkit.kid.sources.synthesise (seed 42, "
        f"{people:,} people, {records:,} records in the truth, {raw_bytes / 1e9:.2f} GB of CSV, "
        f"fault rates {FaultRates()}), {how}, in {work}",
        flush=True,
    )


def _run_scale(label: str, work: Path, people: int, engine: str, reuse: bool) -> None:
    figure(f"{label}.people", people, "people")
    synthesised = not (reuse and (work / "truth" / "people.parquet").is_file())
    if synthesised:
        synth = _child("synth", work, str(people))
        figure(f"{label}.synth_load_before", float(synth["load_before"]), "load")  # type: ignore[arg-type]
        figure(f"{label}.synth", float(synth["seconds"]), "s")  # type: ignore[arg-type]
        figure(f"{label}.synth_cpu", float(synth.get("cpu_seconds", 0.0)), "s")  # type: ignore[arg-type]
        figure(f"{label}.synth_records", float(synth["records"]), "records")  # type: ignore[arg-type]
        figure(f"{label}.synth_peak_memory", float(synth["peak_gb"]), "GB")  # type: ignore[arg-type]
    _describe_data(work, people, synthesised)
    _report(f"{label}.{engine}", _child("build", work, engine))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--people", type=int, default=int(os.environ.get("KID_BENCH_PEOPLE", FULL_SCALE))
    )
    parser.add_argument("--spark-fraction", type=float, default=0.1)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: reuse extracts synthesised before"
    )
    parser.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "synth":
        print(json.dumps(phase_synth(args.work, int(args.arg))))
        return
    if args.phase == "build":
        print(json.dumps(phase_build(args.work, args.arg), default=float))
        return

    from stpkit.kid.pipeline import write_new_key

    with tempfile.TemporaryDirectory(prefix="kid-bench-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        runs = []
        if not args.no_duckdb:
            runs.append(("kid.full" if args.people == FULL_SCALE else "kid", args.people, "duckdb"))
        if not args.no_spark:
            runs.append(("kid.spark_scale", int(args.people * args.spark_fraction), "spark"))
        for label, people, engine in runs:
            work = root / f"{engine}-{people}"
            work.mkdir(parents=True, exist_ok=True)
            if not (work / "key" / "pseudonym.key").exists():
                write_new_key(work / "key" / "pseudonym.key")
            _run_scale(label, work, people, engine, args.reuse)


if __name__ == "__main__":
    main()
