"""`stpkit system` commands: load the ODS organisation list and national statistics files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from stpkit.cli.django_setup import setup_django

app = typer.Typer(help="System view: the ODS organisation list, national statistics files.")
console = Console()
err = Console(stderr=True)


@app.callback()
def main() -> None:
    """System view: the ODS organisation list, national statistics files."""


def _refuse(issues: list[object]) -> NoReturn:
    err.print(f"[red]Nothing was loaded: {len(issues)} problem(s)[/red]")
    for issue in issues[:50]:
        err.print(f"  {issue}")
    if len(issues) > 50:
        err.print(f"  ... and {len(issues) - 50} more")
    raise typer.Exit(1)


@app.command("organisations")
def organisations(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="ODS files as saved from NHS Digital (etr.csv, ets.csv, eccg.csv, "
            "eccgsite.csv): 27 fields, no heading row.",
            exists=True,
            dir_okay=False,
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(help="etr, ets, eccg or eccgsite, for one file whose name does not say."),
    ] = None,
    geography: Annotated[
        list[str] | None,
        typer.Option(
            help="A High Level Health Geography code whose organisations roll up to the "
            "partnership (repeat for more); QKS (Kent and Medway) by default."
        ),
    ] = None,
    member: Annotated[
        list[str] | None,
        typer.Option(help="A code on the partnership's own list besides Kent and Medway's."),
    ] = None,
) -> None:
    """Load ODS organisation files in one transaction: each replaces its kind; a file with
    any problem (file, row, column) loads nothing."""
    setup_django()
    from stpkit.system import NationalFileError
    from stpkit.system.ods import KENT_MEDWAY_GEOGRAPHY, read_ods_file
    from stpkit.web.system import services
    from stpkit.web.system.models import Organisation

    if kind and len(files) > 1:
        err.print("--kind names the kind of one file; give the files one at a time")
        raise typer.Exit(2)
    try:
        parsed = [read_ods_file(p.name, p.read_bytes(), kind=kind) for p in files]
        records = services.load_organisations(
            parsed,
            user=None,
            geographies=geography if geography is not None else [KENT_MEDWAY_GEOGRAPHY],
            codes=[c.upper() for c in member or []],
        )
    except NationalFileError as exc:
        _refuse(list(exc.issues))
    for r in records:
        console.print(f"{r.file_name} ({r.kind}): {r.organisations_read} organisations")
    members = Organisation.objects.filter(partnership=True).count()
    console.print(f"{members} organisations roll up to the partnership")


@app.command("national")
def national(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="National statistics CSV files in their published layouts.",
            exists=True,
            dir_okay=False,
        ),
    ],
    replace: Annotated[
        bool, typer.Option(help="Replace a month already loaded from the same layout.")
    ] = False,
    period: Annotated[
        str | None,
        typer.Option(help="The month (2017-01) of files without a period column (DM01)."),
    ] = None,
) -> None:
    """Read, check and load national files in one transaction: all of them or none."""
    setup_django()
    from stpkit.system import NationalFileError, parse_period, read_national_file
    from stpkit.web.system import services

    month = parse_period(period) if period else None
    if period and month is None:
        err.print(f"{period!r} is not a month (for example 2017-01)")
        raise typer.Exit(2)
    known, dates = services.known_orgs(), services.open_dates()
    try:
        parsed = [
            read_national_file(
                p.name, p.read_bytes(), known_orgs=known, period=month, open_dates=dates
            )
            for p in files
        ]
        records = services.load_national_files(parsed, user=None, replace=replace)
    except NationalFileError as exc:
        _refuse(list(exc.issues))
    except services.PeriodAlreadyLoaded as exc:
        err.print(str(exc))
        raise typer.Exit(1) from exc
    for r in records:
        verb = "replaced" if r.replaced else "loaded"
        console.print(f"{r.file_name}: {r.values} values for {r.period:%B %Y} ({verb})")
