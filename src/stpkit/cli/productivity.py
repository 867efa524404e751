"""`stpkit productivity` commands: sample files, opportunity, savings checks, the bridge.

Everything runs on files (no database): the same engine the web pages call.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from stpkit.productivity import InputError

# The engine's choices and plan year, spelt here so that `--help` needs no engine import;
# tests/cli/test_cli_imports.py checks they match `Basis` and `kent_medway.PLAN_YEAR`.
PLAN_YEAR = "2017/18"


class BasisChoice(StrEnum):
    """The opportunity basis as the command line takes it (`stpkit.productivity.Basis`)."""

    MEDIAN = "median"
    UPPER_QUARTILE = "upper_quartile"
    TARGET = "target"


app = typer.Typer(help="Productivity: benchmarks, opportunity, savings.")
console = Console()


def _refused(exc: InputError) -> typer.Exit:
    console.print(f"[red]Refused: {len(exc.issues)} problem(s), nothing was loaded[/red]")
    for issue in exc.issues:
        console.print(f"  {issue}")
    return typer.Exit(2)


@app.command("sample-files")
def sample_files(
    folder: Annotated[Path, typer.Argument(help="Folder to write the files into")],
) -> None:
    """Write the demo's metrics, peer groups, metric catalogue and savings plan as CSV."""
    from stpkit.productivity import kent_medway as km

    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "metrics.csv": km.synthetic_metrics(),
        "peer-groups.csv": km.peer_group_rows(),
        "catalogue.csv": km.catalogue_rows(),
        "savings-2017-18.csv": km.savings_rows(km.demo_schemes()),
        "bridge.csv": km.bridge_rows(),
    }
    for name, rows in files.items():
        (folder / name).write_bytes(km.to_csv(rows))
        console.print(f"{folder / name}: {len(rows)} rows")


@app.command()
def opportunity(
    metrics: Annotated[Path, typer.Argument(exists=True, help="Provider metrics, CSV or Excel")],
    peers: Annotated[Path, typer.Option(exists=True, help="Peer groups, CSV or Excel")],
    catalogue: Annotated[Path, typer.Option(exists=True, help="Metric definitions, CSV/Excel")],
    basis: Annotated[
        BasisChoice,
        typer.Option(help="median, upper_quartile or target (the catalogue's target column)"),
    ] = BasisChoice.MEDIAN,
    provider: Annotated[list[str] | None, typer.Option(help="Only these providers")] = None,
) -> None:
    """Each provider's opportunity against its peers, overlaps counted once."""
    from stpkit.productivity import (
        Basis,
        InputError,
        ProductivityError,
        catalogue_targets,
        opportunities,
        provider_totals,
        read_catalogue,
        read_metrics,
        read_peer_groups,
        untargeted_metrics,
    )

    chosen = Basis(basis.value)
    try:
        definitions = read_catalogue(catalogue)
        data = read_metrics(metrics, read_peer_groups(peers), definitions)
        items = opportunities(
            data, definitions, chosen, providers=provider or None, skip_untargeted=True
        )
    except InputError as exc:
        raise _refused(exc) from exc
    except ProductivityError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    table = Table(title=f"Opportunity against the {chosen.label}")
    for column in ("Provider", "Peer group", "GBP m", "WTE", "Overlap excluded, GBP m"):
        table.add_column(
            column,
            justify="right" if "GBP" in column or column == "WTE" else "left",
            no_wrap=column == "Provider",  # a trust's name is what the reader looks for
        )
    totals = provider_totals(items)
    for t in totals:
        table.add_row(
            t.provider,
            t.peer_group,
            f"{t.cash / 1e6:,.1f}",
            f"{t.staff:,.0f}",
            f"{t.overlap_excluded / 1e6:,.1f}",
        )
    console.print(table)
    console.print(f"Total: £{sum(t.cash for t in totals) / 1e6:,.1f}m")
    if chosen is Basis.TARGET:
        left_out = untargeted_metrics(data, catalogue_targets(definitions))
        if left_out:
            console.print(f"Metrics with no target, left out: {', '.join(left_out)}")


@app.command()
def savings(
    plan: Annotated[Path, typer.Argument(exists=True, help="Savings plan, CSV or Excel")],
    plan_year: Annotated[str, typer.Option(help="Plan year like 2017/18")] = PLAN_YEAR,
) -> None:
    """Check a savings plan and show plan, delivery and risk-adjusted forecast by group."""
    from stpkit.productivity import InputError, by_working_group, read_savings, summarise
    from stpkit.productivity import kent_medway as km

    targets = {w.slug: w.target for w in km.WORKING_GROUPS}
    try:
        schemes = read_savings(plan, plan_year, set(targets))
    except InputError as exc:
        raise _refused(exc) from exc
    table = Table(title=f"Savings {plan_year}, GBP m")
    for column in ("Working group", "Target", "Planned", "Delivered", "Forecast"):
        table.add_column(column, justify="left" if column == "Working group" else "right")
    for group, mine in by_working_group(schemes).items():
        s = summarise(mine, targets[group])
        table.add_row(
            group,
            "TBC" if s.target is None else f"{s.target / 1e6:,.1f}",
            f"{s.planned / 1e6:,.1f}",
            f"{s.delivered / 1e6:,.1f}",
            f"{s.forecast / 1e6:,.1f}",
        )
    console.print(table)


@app.command()
def bridge(
    file: Annotated[
        Path | None,
        typer.Argument(exists=True, help="Bridge steps (label, kind, amount, note), CSV/Excel"),
    ] = None,
) -> None:
    """A financial bridge (GBP millions; default the seed's) and whether it reconciles."""
    from stpkit.productivity import InputError, read_bridge, waterfall
    from stpkit.productivity import kent_medway as km

    try:
        steps = read_bridge(file) if file else list(km.BRIDGE)
    except InputError as exc:
        raise _refused(exc) from exc
    fall = waterfall(steps)
    table = Table(title="Financial bridge, GBP millions")
    for column in ("Step", "Figure", "Running total"):
        table.add_column(column)
    for b in fall.bars:
        table.add_row(b.label, b.display, f"{b.end:,.0f}")
    console.print(table)
    console.print(
        f"{fall.opening:,.0f} + {fall.contributions:,.0f} = {fall.closing:,.0f}: "
        + ("reconciles" if fall.reconciles else "does NOT reconcile")
    )
