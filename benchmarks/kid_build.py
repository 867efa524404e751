"""Integrated dataset build: synthesise Kent and Medway, build the store, measure it.

Usage: `python benchmarks/kid_build.py [--people N] [--spark-fraction F] [--no-spark]`
(or KID_BENCH_PEOPLE=N). The default is full Kent and Medway, one year (~1.8M people,
~20M activity records) on DuckDB, then 10% of that on Spark local mode.

Each phase (synth, DuckDB build, Spark build) runs in its own child process so that its
peak memory is its own: the figure is the peak resident set (VmHWM) of the phase's process
plus that of its child processes (the Spark JVM), read from /proc before it exits.
Printed: seconds per phase, rows per second per stage, peak memory, and linkage precision
and recall of person assignment against the generator's ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
        "stages": [{"name": t.name, "rows": t.rows, "seconds": t.seconds} for t in result.timings],
        "counts": result.counts,
        "quality": quality.__dict__,
    }


def _child(phase: str, work: Path, arg: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--work", str(work), "--arg", arg],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def _report(prefix: str, data: dict[str, object]) -> None:
    figure(f"{prefix}.build_total", float(data["seconds"]), "s")  # type: ignore[arg-type]
    figure(f"{prefix}.build_cpu", float(data.get("cpu_seconds", 0.0)), "s")  # type: ignore[arg-type]
    for stage in data["stages"]:  # type: ignore[attr-defined]
        rate = stage["rows"] / stage["seconds"] if stage["seconds"] else 0.0
        figure(f"{prefix}.{stage['name']}.rows_per_s", rate, "rows/s")
        figure(f"{prefix}.{stage['name']}.seconds", stage["seconds"], "s")
    figure(f"{prefix}.peak_memory", float(data["peak_gb"]), "GB")  # type: ignore[arg-type]
    counts = data["counts"]
    figure(f"{prefix}.rows_in", counts["rows_in"], "rows")  # type: ignore[index]
    figure(f"{prefix}.activity_rows", counts["activity"], "rows")  # type: ignore[index]
    q = data["quality"]
    figure(f"{prefix}.linkage_precision", q["precision"], "ratio")  # type: ignore[index]
    figure(f"{prefix}.linkage_recall", q["recall"], "ratio")  # type: ignore[index]
    figure(f"{prefix}.probabilistic_precision", q["probabilistic_precision"], "ratio")  # type: ignore[index]
    figure(f"{prefix}.probabilistic_recall", q["probabilistic_recall"], "ratio")  # type: ignore[index]
    figure(f"{prefix}.records_needing_linkage", q["needing_linkage"], "records")  # type: ignore[index]


def _run_scale(label: str, work: Path, people: int, engine: str, reuse: bool) -> None:
    figure(f"{label}.people", people, "people")
    if not (reuse and (work / "truth" / "people.parquet").is_file()):
        synth = _child("synth", work, str(people))
        figure(f"{label}.synth", float(synth["seconds"]), "s")  # type: ignore[arg-type]
        figure(f"{label}.synth_cpu", float(synth.get("cpu_seconds", 0.0)), "s")  # type: ignore[arg-type]
        figure(f"{label}.synth_records", float(synth["records"]), "records")  # type: ignore[arg-type]
        figure(f"{label}.synth_peak_memory", float(synth["peak_gb"]), "GB")  # type: ignore[arg-type]
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
