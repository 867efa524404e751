"""`stpkit web`: run Django management commands for the web app."""

from __future__ import annotations

import typer

from stpkit.cli.django_setup import setup_django

app = typer.Typer(help="The web application: migrate, serve, any Django management command.")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `stpkit web manage check --deploy`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["stpkit web manage", *ctx.args])


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web app (development server)."""
    setup_django()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False)
