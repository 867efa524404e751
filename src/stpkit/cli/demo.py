"""`stpkit demo`: migrate, load the Kent and Medway demo, print logins, serve the app."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from stpkit.cli.django_setup import setup_django

console = Console()


def demo(
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
    serve: bool = typer.Option(True, help="Serve the web app after loading (--no-serve to stop)."),
) -> None:
    """Build the Kent and Medway demo on the embedded defaults and serve the web app."""
    import os

    # The demo is what people show: branded error pages, never Django's debug pages.
    os.environ.setdefault("STPKIT_DEBUG", "0")
    # The demo is seen as at one date (stpkit.demo.clock): "today" lines use it.
    from stpkit.demo.clock import AS_AT

    os.environ.setdefault("STPKIT_AS_AT", AS_AT.isoformat())
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from stpkit.demo import load_demo

    settings.STPKIT.data_dir.mkdir(parents=True, exist_ok=True)
    with console.status("Migrating the app database"):
        call_command("migrate", interactive=False, verbosity=0)
    with console.status("Loading the Kent and Medway demo") as status:
        logins = load_demo(progress=lambda msg: status.update(f"Loading: {msg}"))
    url = f"http://{host}:{port}/"
    table = Table(title="Demo logins (one per role)")
    for column in ("Role", "Username", "Password"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.role.label, login.username, login.password)
    console.print(table)
    console.print(f"The app is at [bold]{url}[/bold]")
    if serve:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
