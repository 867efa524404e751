"""Shared test set-up: markers that need a service are skipped with a reason when it is absent."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Tests never fail on wall time: on a loaded 2-core machine one slow draw (1.5 s for a list
# of floats, seen with other work on the cores) failed a budget property. The examples and
# their number are unchanged; only the timing checks are off.
settings.register_profile("stpkit", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("stpkit")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith(("postgres://", "postgresql://"))
    skip_pg = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


def pytest_configure(config: pytest.Config) -> None:
    """Tests log users in hundreds of times: hash their passwords cheaply (never in production)."""
    from django.conf import settings as django_settings

    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
