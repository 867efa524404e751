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
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(0, help="gunicorn workers (production; 0: 2 per core + 1)."),
) -> None:
    """Serve the web app: gunicorn when STPKIT_ENV=production, Django's server otherwise.

    Production checks the deployment first and refuses to start without collected static
    files, saying what to run (docs/deployment.md).
    """
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.PRODUCTION:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    from stpkit.web.config.production import ServeError, check_static_collected, exec_gunicorn, plan

    try:
        check_static_collected(settings.STATIC_ROOT)
        call_command("check", deploy=True, fail_level="ERROR")
        exec_gunicorn(plan(host, port, workers or None))
    except ServeError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from exc
