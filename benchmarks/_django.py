"""The web app for a benchmark: Django on a fresh SQLite database of its own, migrated,
with the test client allowed in; and the median server time of one page.

Every benchmark that times pages starts the same way, so the way lives here once (a page
figure is always one page's median, never pooled).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any


def django_on_sqlite(database: Path, *, data_dir: Path | None = None) -> None:
    """Point the app at `database` (and `data_dir`), set Django up and migrate."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"  # its own DB, never the user's
    if data_dir is not None:
        os.environ["STPKIT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stpkit.web.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)


def median_ms(client: Any, url: str, repeats: int = 11, warm: int = 1) -> float:
    """Median milliseconds of `repeats` GETs of `url` after `warm` unrecorded ones; every
    answer must be 200 (a benchmark of an error page would flatter us)."""
    for _ in range(warm):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)
