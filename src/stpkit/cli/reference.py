"""`stpkit reference`: inspect the public reference data."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Public reference data: regions, LSOAs, stroke units, travel times.")
console = Console()


@app.command()
def units(region: str = typer.Option("Kent and Medway", help="ICB short name, or England")) -> None:
    """List the stroke units of a region."""
    from stpkit.reference import UnknownCodeError, get_reference

    try:
        found = get_reference().stroke_units(region)
    except UnknownCodeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    table = Table(title=f"Stroke units: {region}")
    for column in ("Name", "Postcode", "Code", "IVT", "MT", "In matrix"):
        table.add_column(column)
    for u in found:
        table.add_row(
            u.name,
            u.postcode,
            u.short_code,
            str(u.provides_ivt),
            str(u.provides_mt),
            str(u.in_travel_matrix),
        )
    console.print(table)


@app.command()
def summary(region: str = typer.Option("Kent and Medway")) -> None:
    """Headline figures of a region: LSOAs, stroke units, stroke admissions a year."""
    from stpkit.reference import UnknownCodeError, get_reference

    try:
        figures = get_reference().summary(region)
    except UnknownCodeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    for key, value in figures.items():
        console.print(f"{key}: {value:,.0f}")


@app.command()
def regions() -> None:
    """List the valid region names."""
    from stpkit.reference import get_reference

    for name in get_reference().region_names():
        console.print(name)
