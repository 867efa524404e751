"""Run as a script by `test_demo_logins_while_loading`: what `stpkit demo` does, in one
process on a file SQLite database, with people logging in while the slow areas load.

Migrates, loads the first areas (the logins), then loads `areas` in a background thread,
as `stpkit demo` does while it serves, and meanwhile logs in through Django's test client
again and again until the loading ends. Prints one JSON line: each login's outcome, and
whether the loading finished or why it failed, and the database's journal mode and busy
timeout.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from typing import Any


def main(areas: tuple[str, ...]) -> dict[str, Any]:
    from stpkit.cli.django_setup import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from stpkit.demo import FIRST_AREAS, load_demo
    from stpkit.web.core.schema import migrate

    setup_test_environment()  # the test client's host is allowed; nothing else changes
    migrate()
    login = load_demo(areas=FIRST_AREAS)[0]
    outcome: dict[str, Any] = {"loaded": False, "error": ""}

    def load_rest() -> None:
        try:
            load_demo(areas=areas)
            outcome["loaded"] = True
        except Exception:
            outcome["error"] = traceback.format_exc()
        finally:
            connection.close()

    loading = threading.Thread(target=load_rest)
    loading.start()
    logins: list[str] = []
    while loading.is_alive():
        client = Client()
        try:
            response = client.post(
                reverse("accounts:login"),
                {"username": login.username, "password": login.password},
            )
            ok = response.status_code == 302 and client.session.get("_auth_user_id")
            logins.append("ok" if ok else f"status {response.status_code}")
        except Exception as err:  # what a person would have seen as a 500
            logins.append(f"error {err!r}")
        time.sleep(1)
    loading.join()
    with connection.cursor() as cursor:  # what the settings give the demo's database
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_ms = cursor.fetchone()[0]
    return {**outcome, "logins": logins, "journal_mode": journal, "busy_timeout_ms": busy_ms}


if __name__ == "__main__":
    print(json.dumps(main(tuple(sys.argv[1:]))), flush=True)
