"""The command line, run as a user would run it."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

STPKIT = [sys.executable, "-m", "stpkit.cli.main"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STPKIT, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def test_help_lists_the_command_groups() -> None:
    result = run("--help")
    assert result.returncode == 0
    for group in ("demo", "programme", "kid", "stroke", "productivity", "consultation"):
        assert group in result.stdout


def test_demo_without_serving_builds_a_fresh_database(tmp_path: Path) -> None:
    env = {"STPKIT_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/app.db"}
    result = run("demo", "--no-serve", "--port", "8123", env=env)
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8123/" in result.stdout
    assert "stpkit-demo-office" in result.stdout
    # progress shows in captured output (not a terminal): a timed line per step
    steps = re.findall(r"^\[\s*[\d.]+ s\] (.+)$", result.stdout, flags=re.MULTILINE)
    assert steps[0] == "Migrating the app database"
    assert {"Loading: programme", "Loading: data", "Loading: system", "Demo loaded"} <= set(steps)
    with sqlite3.connect(tmp_path / "app.db") as db:
        assert db.execute("select count(*) from programme_workstream").fetchone()[0] == 10
        assert db.execute("select count(*) from core_site").fetchone()[0] == 7
        logins = {"board", "office", "lead", "analyst", "controller", "admin"}
        found = {row[0] for row in db.execute("select username from accounts_user")}
        # one login per role, plus the named people the area demos add (leads, panel scorers)
        assert logins <= found


def test_reference_unknown_region_exits_2_with_valid_names() -> None:
    result = run("reference", "units", "--region", "Kent and Medwya")
    assert result.returncode == 2
    assert "Kent and Medway" in result.stdout
