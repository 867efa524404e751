"""Board fixtures: the foundation, the board demo, and logins for a lead and the office."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from stpkit.demo import board as demo
from stpkit.demo.partnership import load_partnership
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.programme.models import Workstream


@pytest.fixture
def board_demo(db: None, settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    load_partnership()
    demo.load()


@pytest.fixture
def lead_of(db: None) -> Callable[[str], Client]:
    """A client logged in as the lead of the workstream with this slug."""

    def make(slug: str) -> Client:
        user, _ = User.objects.get_or_create(username=f"lead-of-{slug}")
        user.role = Role.WORKSTREAM_LEAD.value
        user.save()
        ws = Workstream.objects.get(slug=slug)
        ws.lead = user  # type: ignore[attr-defined]
        ws.save()
        client = Client()
        client.force_login(user)
        return client

    return make
