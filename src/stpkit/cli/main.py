"""`stpkit`: one entry point, one command group per engine.

Each group lives in its own module so areas add commands without touching the others.

The groups load lazily (click's "lazily loading subcommands" pattern): `stpkit --help` lists
them from the names and one-line helps in `COMMANDS` below without importing any of their
modules, and a group's module is imported only when that group is run (its `--help`
included). So `stpkit --help` imports typer and rich, nothing else; a group imports what its
own module imports at top level, and each command imports its engine when it runs.
A test (tests/cli/test_cli_imports.py) checks that the helps here match the modules' own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    # typer bundles its own click; its Context is the one commands are typed against.
    from typer._click import Context

# typer.main.get_command adds these to every app it builds; only the root should have them.
_COMPLETION_PARAMS = frozenset({"install_completion", "show_completion"})


@dataclass(frozen=True)
class LazyCommand:
    """A command group (or a single command) by name, loaded from `module:attribute`."""

    name: str
    target: str
    help: str

    def load(self) -> TyperCommand | TyperGroup:
        """Import the module and build its click command (a Typer app or a function)."""
        module_name, _, attribute = self.target.partition(":")
        obj = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(obj, typer.Typer):
            single = typer.Typer()
            single.command(self.name)(obj)
            obj = single
        command = typer.main.get_command(obj)
        assert isinstance(command, TyperCommand | TyperGroup)
        command.name = self.name
        command.params = [p for p in command.params if p.name not in _COMPLETION_PARAMS]
        return command


# In the order `stpkit --help` lists them.
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand(
        "demo",
        "stpkit.cli.demo:demo",
        "Build the Kent and Medway demo on the embedded defaults and serve the web app.",
    ),
    LazyCommand(
        "programme",
        "stpkit.cli.programme:app",
        "Programme board: workstreams, RAG, the board update.",
    ),
    LazyCommand("kid", "stpkit.cli.kid:app", "Integrated dataset: synthesise, build, link, query."),
    LazyCommand(
        "stroke",
        "stpkit.cli.stroke:app",
        "Stroke service model: appraise configurations, optimise sites.",
    ),
    LazyCommand(
        "productivity",
        "stpkit.cli.productivity:app",
        "Productivity: benchmarks, opportunity, savings.",
    ),
    LazyCommand(
        "consultation",
        "stpkit.cli.consultation:app",
        "Consultation analysis: import, themes, report.",
    ),
    LazyCommand(
        "system",
        "stpkit.cli.system:app",
        "System view: the ODS organisation list, national statistics files.",
    ),
    LazyCommand(
        "reference",
        "stpkit.cli.reference:app",
        "Public reference data: regions, LSOAs, stroke units, travel times.",
    ),
    LazyCommand(
        "web",
        "stpkit.cli.web:app",
        "The web application: migrate, serve, any Django management command.",
    ),
)


class _Placeholder(TyperCommand):
    """Stands in for a lazy command: carries its name and help for listings; running it
    (or asking for its help) loads the real command and hands over to it."""

    def __init__(self, spec: LazyCommand) -> None:
        super().__init__(spec.name, help=spec.help, short_help=spec.help)
        self.spec = spec
        self._real: TyperCommand | TyperGroup | None = None

    @property
    def real(self) -> TyperCommand | TyperGroup:
        if self._real is None:
            self._real = self.spec.load()
        return self._real

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        # The context belongs to the real command, so click invokes that one.
        return self.real.make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        return self.real.invoke(ctx)


class LazyGroup(TyperGroup):
    """The root group: its subcommands are `_Placeholder`s built from `COMMANDS`."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for spec in COMMANDS:
            self.commands.setdefault(spec.name, _Placeholder(spec))


app = typer.Typer(
    name="stpkit",
    cls=LazyGroup,
    help="stpkit: programme, integrated dataset, service change decisions, productivity "
    "and consultation for an NHS partnership.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """stpkit: programme, integrated dataset, service change decisions, productivity and
    consultation for an NHS partnership."""


if __name__ == "__main__":
    app()
