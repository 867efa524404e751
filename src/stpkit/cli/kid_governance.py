"""`stpkit kid governance` commands: verify the audit log chain, list purposes, and write a
person-level extract for a purpose that allows one."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from stpkit.chain import PrintedWitness
    from stpkit.kid.governed import Governance

app = typer.Typer(
    help="Integrated dataset governance: purposes and the audit log.", no_args_is_help=True
)
console = Console()


def _gov(directory: Path | None) -> Governance:
    from stpkit.kid.governed import Governance, governance_dir
    from stpkit.settings import load_settings

    return Governance(directory or governance_dir(load_settings().data_dir))


@app.command("verify-log")
def verify_log(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Governance directory (default: in the data directory)"),
    ] = None,
    web: Annotated[
        bool,
        typer.Option(
            "--web/--no-web", help="Also verify the web app's change history (its database)."
        ),
    ] = True,
    paper: Annotated[
        Path | None,
        typer.Option(
            "--paper",
            help="A circulated board update (.docx, .pdf or text) whose 'Witness' lines the "
            "chains must still hold.",
        ),
    ] = None,
) -> None:
    """Recompute the audit log's hash chain and the web change history's, with their
    signed heads (and the witness, if one is configured, and the heads printed in a
    circulated board update, with --paper).

    Exits 1 if any entry was changed, removed or cut off, or a head was rewritten.
    """
    from stpkit.chain import PrintedWitness

    failed = False
    printed = PrintedWitness(_paper_text(paper)) if paper is not None else None
    if printed is not None and not printed.anchors("kid-audit-log") + printed.anchors(
        "web-change-history"
    ):
        console.print(f"[red]{paper} has no witness lines to check against.[/red]")
        raise typer.Exit(1)
    result = _gov(directory).verify_log(printed)
    if result.ok:
        console.print(
            f"[green]The audit log verifies:[/green] {result.entries} entries, head {result.head}"
        )
    else:
        console.print(f"[red]The audit log does not verify:[/red] {result.problem}")
        failed = True
    if web:
        failed = not _verify_web_history(printed) or failed
    if failed:
        raise typer.Exit(1)


def _paper_text(path: Path) -> str:
    """The text of a paper: Word, PDF or plain text."""
    from stpkit.reports.paper_text import paper_text

    try:
        return paper_text(path)
    except OSError as exc:
        console.print(f"[red]{path}: cannot read the paper ({exc})[/red]")
        raise typer.Exit(1) from exc


def _verify_web_history(printed: PrintedWitness | None = None) -> bool:
    from stpkit.cli.django_setup import setup_django

    setup_django()
    from django.db.utils import DatabaseError

    from stpkit.web.core import history_chain

    try:
        checked = history_chain.verify(printed)
    except DatabaseError as exc:
        console.print(f"[yellow]The web change history was not checked:[/yellow] {exc}")
        return True
    verdict = checked.verdict
    before = (
        f" ({checked.unchained} earlier records predate the chain)" if checked.unchained else ""
    )
    if verdict.ok:
        console.print(
            f"[green]The web change history verifies:[/green] {verdict.entries} records, "
            f"head {verdict.head}{before}"
        )
        return True
    console.print(f"[red]The web change history does not verify:[/red] {verdict.problem}")
    return False


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


def _default_store(data_dir: Path) -> Path:
    base = data_dir / "kid"
    return base / "store" if (base / "store" / "CURRENT").exists() else base / "sample"


@app.command("extract")
def extract(
    purpose: Annotated[str, typer.Option("--purpose", help="Purpose key (must allow extracts)")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the extract under")],
    tables: Annotated[
        str, typer.Option("--tables", help="Comma-separated: person, activity, condition")
    ] = "person,activity",
    cohort: Annotated[
        Path | None,
        typer.Option("--cohort", help="File of this purpose's extract tokens, one a line"),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Username under the purpose (default: you)")
    ] = None,
    role: Annotated[str, typer.Option("--role", help="Your role, as logged")] = "analyst",
    store: Annotated[Path | None, typer.Option("--store", help="Store directory")] = None,
    directory: Annotated[Path | None, typer.Option("--dir", help="Governance directory")] = None,
) -> None:
    """Write a pseudonymised person-level extract under the purpose's own tokens.

    Refused (and logged) unless you work under an approved, unexpired purpose that allows
    person-level extracts and every table asked for. Exits 1 on refusal.
    """
    from stpkit.kid import KidError
    from stpkit.kid.governed import GovernanceError, open_store, person_level_extract
    from stpkit.kid.pipeline import load_key
    from stpkit.settings import load_settings

    settings = load_settings()
    who = user or getpass.getuser()
    try:
        key = load_key(settings.pseudonym_key_file, forbidden_dirs=(settings.data_dir,))
        opened = open_store(store or _default_store(settings.data_dir))
        wanted = [t.strip() for t in tables.split(",") if t.strip()]
        tokens = cohort.read_text(encoding="utf-8").split() if cohort is not None else None
        result = person_level_extract(
            opened,
            _gov(directory),
            key,
            user=who,
            role=role,
            purpose_key=purpose,
            tables=wanted,
            out_dir=out,
            cohort=tokens,
        )
    except (GovernanceError, KidError, OSError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    rows = ", ".join(f"{t} {n:,} rows" for t, n in result.rows.items())
    console.print(f"[green]Extract written:[/green] {result.directory} ({rows}); logged.")
