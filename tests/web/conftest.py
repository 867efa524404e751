"""Web fixtures: the foundation demo data and one logged-in client per role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from stpkit.demo.partnership import load_partnership
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role


@pytest.fixture(autouse=True)
def _empty_figures_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dashboard figures are cached by data version; a rolled-back test leaves none behind.

    Each test keeps its data version in a file of its own: the version file is shared by
    every process using one data directory (as a deployment's workers must), so tests
    running in parallel would otherwise see each other's writes as changes."""
    from stpkit.web.core import datacache

    monkeypatch.setattr(datacache, "version_file", lambda: tmp_path / "web-data-version")
    cache.clear()


@pytest.fixture
def demo_partnership(db: None) -> None:
    load_partnership()


@pytest.fixture
def user_with_role(db: None) -> Callable[[Role], User]:
    def make(role: Role) -> User:
        user, _ = User.objects.get_or_create(username=f"test-{role.value}")
        user.role = role.value
        user.set_password("a-long-test-password-1")
        user.save()
        return user

    return make


@pytest.fixture
def client_for(user_with_role: Callable[[Role], User]) -> Callable[[Role], Client]:
    def make(role: Role) -> Client:
        client = Client()
        client.force_login(user_with_role(role))
        return client

    return make
