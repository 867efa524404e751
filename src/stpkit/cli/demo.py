"""`stpkit demo`: migrate, load the Kent and Medway demo, print logins, serve the app."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
    import time

    from stpkit.demo.clock import AS_AT

    started = time.monotonic()

    def progress(message: str) -> None:
        # plain lines, so progress shows in a log or a pipe as well as on a terminal
        console.print(f"[{time.monotonic() - started:5.1f} s] {message}", highlight=False)

    # The demo is what people show: branded error pages, never Django's debug pages.
    os.environ.setdefault("STPKIT_DEBUG", "0")
    # ... seen as at one date on the seed papers' timeline, with a banner saying so
    os.environ.setdefault("STPKIT_DEMO_AS_AT", AS_AT.isoformat())
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from stpkit.demo import AREAS, FIRST_AREAS, load_demo

    settings.STPKIT.data_dir.mkdir(parents=True, exist_ok=True)
    progress("Migrating the app database")
    from stpkit.web.core.schema import migrate

    migrate()
    first = FIRST_AREAS if serve else AREAS
    logins = load_demo(progress=lambda msg: progress(f"Loading: {msg}"), areas=first)
    url = f"http://{host}:{port}/"
    table = Table(title="Demo logins (one per role)")
    for column in ("Role", "Username", "Password"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.role.label, login.username, login.password)
    console.print(table)
    if not serve:
        progress("Demo loaded")
        console.print(f"Serve it with `stpkit demo` and open [bold]{url}[/bold]")
        return
    rest = tuple(a for a in AREAS if a not in first)
    from stpkit.web.core import demo_loading

    demo_loading.start(rest)  # every page says which areas are still loading
    progress(f"The app is at {url} (the other areas load while it serves)")
    threading.Thread(target=_load_rest, args=(rest, progress), daemon=True).start()
    call_command("runserver", f"{host}:{port}", use_reloader=False)


def _load_rest(areas: tuple[str, ...], progress: Callable[[str], None]) -> None:
    """Load the demo's remaining areas in a thread while the first pages are served."""
    from django.db import connection

    from stpkit.demo import load_demo
    from stpkit.web.core import demo_loading

    area = ""
    try:
        for area in areas:
            load_demo(progress=lambda msg: progress(f"Loading: {msg}"), areas=(area,))
            demo_loading.done(area)
        progress("Demo loaded: every area is ready")
    except Exception as err:  # the server keeps running; say what failed and how to retry
        demo_loading.fail(area)
        progress(f"Loading the demo failed: {err!r}. Run `stpkit demo --no-serve` to see why.")
    finally:
        connection.close()
