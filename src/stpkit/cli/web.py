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


@app.command()
def remind(
    days: int = typer.Option(7, help="Remind of tasks due within this many days."),
    today: str = typer.Option("", help="As at this date (YYYY-MM-DD); default the app's today."),
) -> None:
    """Send each person reminders of tasks due soon, in the app and by e-mail.

    Safe to run every day (cron, a systemd timer): a reminder is never sent twice.
    """
    if days < 0:
        typer.echo(f"Error: --days must be 0 or more, not {days}", err=True)
        raise typer.Exit(2)
    options: dict[str, object] = {"days": days}
    if today:
        from datetime import date

        try:
            options["today"] = date.fromisoformat(today)
        except ValueError as exc:
            typer.echo(f"Error: --today must be a date like 2018-03-05, not {today!r}", err=True)
            raise typer.Exit(2) from exc
    setup_django()
    from django.core.management import call_command

    call_command("remind", **options)
