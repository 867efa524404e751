"""`stpkit kid` commands: synthesise extracts, build the pseudonymised store, inspect it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from stpkit.cli import kid_governance, kid_link

app = typer.Typer(help="Integrated dataset: synthesise, build, link, query.")
app.add_typer(kid_governance.app, name="governance")
app.command("link")(kid_link.link)
app.add_typer(kid_link.review_app, name="review")
console = Console()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    )


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Directory for the provider extracts")],
    people: Annotated[int, typer.Option(help="Registered population")] = 5000,
    years: Annotated[int, typer.Option(help="Years of activity")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed")] = 42,
    start_year: Annotated[int, typer.Option(help="First calendar year of activity")] = 2024,
    truth: Annotated[
        Path | None, typer.Option(help="Ground-truth directory (default: OUT-truth beside OUT)")
    ] = None,
) -> None:
    """Write synthetic Kent and Medway provider extracts with faults, and the ground truth."""
    from stpkit.kid.sources import SynthSpec, synthesise

    spec = SynthSpec(people=people, years=years, seed=seed, start_year=start_year)
    with _progress() as progress:
        task = progress.add_task("synthesising", total=None)
        result = synthesise(
            spec, out, truth, lambda m: progress.update(task, description=f"synthesising {m}")
        )
    table = Table("extract", "records", title=f"{people:,} people, {years} year(s)")
    for name, count in result.records.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"extracts: {result.raw_dir}\nground truth: {result.truth_dir}")


@app.command()
def build(
    raw: Annotated[Path, typer.Option(help="Directory of provider extracts")],
    store: Annotated[Path, typer.Option(help="Store directory (created if missing)")],
    engine: Annotated[str, typer.Option(help="duckdb or spark")] = "duckdb",
    force: Annotated[bool, typer.Option(help="Rebuild even if nothing changed")] = False,
    review_store: Annotated[
        Path | None,
        typer.Option(
            help="Clerical review file (identifiable zone, outside the store): its decisions "
            "are applied and uncertain pairs queued (see `stpkit kid review`)"
        ),
    ] = None,
    retrain_linkage: Annotated[
        bool,
        typer.Option(help="Train the linkage model again instead of reusing the live version's"),
    ] = False,
) -> None:
    """Ingest, pseudonymise and link the extracts into a new store version (atomic)."""
    from stpkit.kid import KidError
    from stpkit.kid.pipeline import DuckDBEngine, Engine, load_key
    from stpkit.kid.pipeline import build as run_build
    from stpkit.settings import load_settings

    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("engine must be duckdb or spark", param_hint="--engine")
    key_file = load_settings().pseudonym_key_file
    try:
        load_key(key_file, forbidden_dirs=(raw, store))  # stop before reading or starting
        eng: Engine
        if engine == "spark":
            from stpkit.kid.pipeline import SparkEngine

            eng = SparkEngine.local()
        else:
            eng = DuckDBEngine()
        try:
            with _progress() as progress:
                task = progress.add_task("building", total=None)
                result = run_build(
                    raw,
                    store,
                    key_file,
                    eng,
                    lambda m: progress.update(task, description=m),
                    force,
                    review_store=review_store,
                    retrain_linkage=retrain_linkage,
                )
        finally:
            eng.close()
    except KidError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if not result.changed:
        console.print(f"store {result.version.version} is up to date: nothing loaded")
    table = Table("stage", "rows", "seconds", "rows/s")
    for t in result.timings:
        table.add_row(t.name, f"{t.rows:,}", f"{t.seconds:.1f}", f"{t.rows_per_second:,.0f}")
    if result.timings:
        console.print(table)
    for name, count in result.counts.items():
        console.print(f"{name}: {count:,}")


@app.command()
def key(out: Annotated[Path, typer.Option(help="Where to write the new key file")]) -> None:
    """Create a new random pseudonym key (keep it outside the data directory)."""
    from stpkit.kid import KidError
    from stpkit.kid.pipeline import write_new_key

    try:
        write_new_key(out)
    except KidError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"wrote {out}; set STPKIT_PSEUDONYM_KEY_FILE={out}")


@app.command()
def status(store: Annotated[Path, typer.Option(help="Store directory")]) -> None:
    """Show the live store version, what it loaded and its row counts."""
    from stpkit.kid import KidError
    from stpkit.kid.pipeline import store_manifest

    try:
        manifest = store_manifest(store)
    except KidError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"version {manifest['version']} built {manifest['built_at']} on {manifest['engine']} "
        f"from {len(manifest['files'])} files"
    )
    for name, count in manifest["counts"].items():
        console.print(f"{name}: {count:,}")


@app.command()
def warm(
    store: Annotated[
        Path | None,
        typer.Option(help="Store directory (default: the web app's, under the data directory)"),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Cache directory (default: the web app's, under the data directory)"),
    ] = None,
) -> None:
    """Compute a new store version's heavy figures once, before the first reader asks: the
    per-person table of every year and the risk model's summary, kept in the cache."""
    from stpkit.kid import KidError
    from stpkit.kid.governed import open_store
    from stpkit.kid.governed import warm as warm_store
    from stpkit.settings import load_settings

    kid = load_settings().data_dir / "kid"
    if store is None:
        built = kid / "store"
        store = built if (built / "CURRENT").exists() else kid / "sample"
    try:
        opened = open_store(store)
    except KidError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    try:
        for done in warm_store(opened, cache or kid / "cache"):
            where = done.path if done.path is not None else done.note
            console.print(f"{done.what}: {done.seconds:.1f} s, {where}")
    finally:
        opened.close()
