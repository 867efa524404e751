"""The demo package: one loader per area, run in a fixed order, on one clock."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

import stpkit.demo
from stpkit.demo import AREAS, FIRST_AREAS, area_loader, load_demo, partnership
from stpkit.demo import board as board_demo
from stpkit.demo import programme as programme_demo
from stpkit.demo.clock import AS_AT, at


def test_areas_load_in_the_agreed_order() -> None:
    assert AREAS == (
        "partnership",
        "programme",
        "board",
        "data",
        "decisions",
        "consultation",
        "productivity",
        "enablers",
        "system",
    )


def test_each_area_has_its_loader_in_the_demo_package() -> None:
    assert area_loader("partnership") is partnership.load
    assert area_loader("programme") is programme_demo.load
    assert area_loader("board") is board_demo.load
    for area in AREAS:
        loader = area_loader(area)
        assert loader is not None, area
        assert loader.__module__ == f"stpkit.demo.{area}"
    assert area_loader("no-such-area") is None


def test_the_orchestrator_runs_every_area_in_order_and_returns_the_logins(
    monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    called: list[str] = []

    def fake(area: str):  # type: ignore[no-untyped-def]
        def load() -> object:
            called.append(area)
            return ["login"] if area == "partnership" else None

        return SimpleNamespace(load=load)

    monkeypatch.setattr(stpkit.demo, "area_module", fake)
    assert load_demo() == ["login"]
    assert called == list(AREAS)


def test_the_demo_clock_is_the_march_2018_board() -> None:
    assert date(2018, 3, 5) == AS_AT
    assert programme_demo.AS_AT is AS_AT
    stamped = at(AS_AT, hour=9)
    assert (stamped.date(), stamped.hour, stamped.tzinfo is not None) == (AS_AT, 9, True)


def test_the_first_areas_load_alone_then_the_rest_in_order(
    monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    called: list[str] = []

    def fake(area: str):  # type: ignore[no-untyped-def]
        def load() -> object:
            called.append(area)
            return ["login"] if area == "partnership" else None

        return SimpleNamespace(load=load)

    monkeypatch.setattr(stpkit.demo, "area_module", fake)
    assert load_demo(areas=FIRST_AREAS) == ["login"]
    assert called == ["partnership", "programme"]
    rest = tuple(a for a in AREAS if a not in FIRST_AREAS)
    assert load_demo(areas=rest) == []
    assert called[2:] == list(rest)


def test_a_slow_area_is_worked_out_outside_any_transaction_then_written_in_one(
    monkeypatch: pytest.MonkeyPatch, transactional_db: None
) -> None:
    """`prepare` runs with no transaction open (no lock held while it works), `write`
    inside one, which a failure rolls back whole."""
    from django.db import connection

    from stpkit.web.accounts.models import User

    seen: list[tuple[str, bool]] = []

    def prepare() -> str:
        seen.append(("prepare", connection.in_atomic_block))
        return "worked out"

    def write(prepared: str) -> None:
        seen.append((f"write {prepared}", connection.in_atomic_block))
        User.objects.create(username="half-written")
        raise RuntimeError("the write failed")

    monkeypatch.setattr(
        stpkit.demo, "area_module", lambda area: SimpleNamespace(prepare=prepare, write=write)
    )
    with pytest.raises(RuntimeError, match="the write failed"):
        load_demo(areas=("system",))
    assert seen == [("prepare", False), ("write worked out", True)]
    assert not User.objects.filter(username="half-written").exists()
