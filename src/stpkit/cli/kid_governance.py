"""`stpkit kid governance` commands: verify the audit log chain, list purposes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from stpkit.kid.governance import Governance, governance_dir
from stpkit.settings import load_settings

app = typer.Typer(
    help="Integrated dataset governance: purposes and the audit log.", no_args_is_help=True
)
console = Console()


def _gov(directory: Path | None) -> Governance:
    return Governance(directory or governance_dir(load_settings().data_dir))


@app.command("verify-log")
def verify_log(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Governance directory (default: in the data directory)"),
    ] = None,
) -> None:
    """Recompute the audit log's SHA-256 hash chain.

    Exits 1 if any entry was changed, removed or cut off.
    """
    result = _gov(directory).verify_log()
    if result.ok:
        console.print(
            f"[green]The audit log verifies:[/green] {result.entries} entries, head {result.head}"
        )
        return
    console.print(f"[red]The audit log does not verify:[/red] {result.problem}")
    raise typer.Exit(1)


@app.command("purposes")
def purposes(
    directory: Annotated[Path | None, typer.Option("--dir", help="Governance directory")] = None,
) -> None:
    """List purposes with their owner, tables, expiry and status."""
    table = Table("key", "title", "owner", "tables", "policy", "expires", "status")
    for p in _gov(directory).purposes():
        table.add_row(
            p.key,
            p.title,
            p.owner,
            ", ".join(p.tables),
            p.disclosure_policy,
            p.expires.isoformat(),
            p.status,
        )
    console.print(table)
