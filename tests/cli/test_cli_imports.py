"""The command line starts fast: its help loads no engine or heavy library.

`stpkit --help` (and the help of the groups whose modules keep their imports inside the
commands) must not import the data stack; we assert on the modules imported, never on time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from stpkit.cli.main import COMMANDS, app

HEAVY = ("duckdb", "splink", "sklearn", "django", "pandas", "pyspark", "altair", "numpy")

# Groups whose modules import only stdlib, typer, rich and stpkit.cli at top level.
LIGHT_GROUPS = ("demo", "programme", "productivity", "reference", "system", "web")

PROBE = """
import json, sys
import stpkit.cli.main
args = json.loads(sys.argv[1])
try:
    stpkit.cli.main.app(args=args, prog_name="stpkit")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "heavy": sorted(
    m for m in json.loads(sys.argv[2]) if m in sys.modules)}))
"""


def _help_imports(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([*args, "--help"]), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


def test_the_top_level_help_imports_no_heavy_library() -> None:
    found = _help_imports()
    assert found == {"code": 0, "heavy": []}


@pytest.mark.parametrize("group", LIGHT_GROUPS)
def test_a_light_groups_help_imports_no_heavy_library(group: str) -> None:
    found = _help_imports(group)
    assert found == {"code": 0, "heavy": []}


def test_importing_the_cli_loads_no_command_module() -> None:
    probe = (
        "import sys, stpkit.cli.main; "
        "print(sorted(m for m in sys.modules if m.startswith('stpkit.') "
        "and m not in ('stpkit.cli', 'stpkit.cli.main')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("spec", COMMANDS, ids=lambda s: s.name)
def test_the_listed_help_is_the_commands_own(spec: object) -> None:
    from stpkit.cli.main import LazyCommand

    assert isinstance(spec, LazyCommand)
    real = spec.load()
    assert real.name == spec.name
    own = (real.short_help or real.help or "").strip().splitlines()[0]
    assert own == spec.help


def test_the_root_lists_every_group_in_order() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    ctx = typer.Context(root)
    assert root.list_commands(ctx) == [
        "demo",
        "programme",
        "kid",
        "stroke",
        "productivity",
        "consultation",
        "system",
        "reference",
        "web",
    ]


def test_the_productivity_choices_match_the_engine() -> None:
    from stpkit.cli.productivity import PLAN_YEAR, BasisChoice
    from stpkit.productivity import Basis
    from stpkit.productivity import kent_medway as km

    assert [b.value for b in BasisChoice] == [b.value for b in Basis]
    assert PLAN_YEAR == km.PLAN_YEAR
