"""`stpkit`: one entry point, one command group per engine.

Each group lives in its own module so areas add commands without touching the others.
"""

from __future__ import annotations

import typer

from stpkit.cli import consultation, demo, kid, productivity, programme, reference, stroke, web

app = typer.Typer(
    name="stpkit",
    help="stpkit: programme, integrated dataset, service change decisions, productivity "
    "and consultation for an NHS partnership.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("demo")(demo.demo)
app.add_typer(programme.app, name="programme")
app.add_typer(kid.app, name="kid")
app.add_typer(stroke.app, name="stroke")
app.add_typer(productivity.app, name="productivity")
app.add_typer(consultation.app, name="consultation")
app.add_typer(reference.app, name="reference")
app.add_typer(web.app, name="web")

if __name__ == "__main__":
    app()
