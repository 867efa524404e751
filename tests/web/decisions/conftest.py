"""Fixtures for the decisions web tests."""

from __future__ import annotations

import pytest

from stpkit.web.accounts.models import User
from tests.web.decisions.helpers import PEOPLE, user


@pytest.fixture
def people(db: None) -> dict[str, User]:
    """The named people a programme's governance roles and panel are given to."""
    return {name: user(name) for name in PEOPLE}
