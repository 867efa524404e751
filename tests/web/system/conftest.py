"""Fixtures of the system view: the demo catalogue with five years of data."""

from __future__ import annotations

import pytest


@pytest.fixture
def system_demo(demo_partnership: None) -> None:
    from stpkit.demo import system

    system.load()
