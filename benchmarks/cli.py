"""The command line: how long `stpkit --help` takes, best of three runs.

Runs the installed entry point (.venv/bin/stpkit) as a subprocess, so the figure includes
interpreter start-up and every import the CLI makes before it can print its help.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

ROOT = Path(__file__).resolve().parent.parent


def _entry_point() -> str:
    venv = ROOT / ".venv" / "bin" / "stpkit"
    if venv.exists():
        return str(venv)
    return str(Path(sys.executable).parent / "stpkit")


def main() -> None:
    command = [_entry_point(), "--help"]
    runs: list[float] = []
    for _ in range(3):
        with timed() as t:
            subprocess.run(command, check=True, capture_output=True)
        runs.append(t[0])
    figure("cli.help", min(runs), "s")


if __name__ == "__main__":
    main()
