"""The demo partnership plus the enablers demo, at a small scale for speed."""

from __future__ import annotations

import pytest

import stpkit.demo.enablers as demo


@pytest.fixture
def enablers_demo(demo_partnership: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DEMO_STAFF", 2000)
    monkeypatch.setattr(demo, "DEMO_BUILDINGS", 60)
    demo.load()
