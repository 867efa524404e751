"""People can log in while `stpkit demo` loads its slow areas in the background.

The demo serves once its first areas are in and loads the rest in a thread of the same
process, on SQLite, which has one writer at a time; a login writes (the session, the last
login), and waits for another's write transaction at most the busy timeout. The
consultation and system areas once held the write lock for their whole load, longer than
the timeout, and logins failed with a server error. This runs the same arrangement for real
(a file database, its own process, the settings `stpkit demo` uses) and logs in again and
again until the slow areas are in: every login must succeed, and the areas must load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("login_while_loading.py")


@pytest.mark.slow
def test_every_login_succeeds_while_the_slow_areas_load(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stpkit.web.config.settings",
        "STPKIT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/app.db",
        "STPKIT_DEBUG": "0",
        "STPKIT_DEMO_AS_AT": "2018-03-05",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "consultation", "system"],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["error"] == "" and outcome["loaded"]
    logins = outcome["logins"]
    assert len(logins) >= 5  # the loading took long enough to be tried on
    assert [x for x in logins if x != "ok"] == []
    # readers never wait for the writer (WAL); a writer waits 30 s for another's commit
    assert (outcome["journal_mode"], outcome["busy_timeout_ms"]) == ("wal", 30_000)
