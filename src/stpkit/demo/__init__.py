"""The Kent and Medway demo: one loader per area, all on one demo clock (`demo.clock`).

`stpkit.demo.<area>.load()` loads one area's part and is idempotent, so `stpkit demo`
can be run again at any time. `load_demo` runs them in `AREAS` order, the partnership
(with the logins, which it returns) first. Loaders import Django models, so set Django up
before calling them; importing this package alone does not need Django.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stpkit.demo.partnership import DemoLogin

__all__ = ["AREAS", "FIRST_AREAS", "area_loader", "load_demo"]

# Partnership first (everything hangs off it), then programme before board (the board
# reports on the programme's workstreams), then the other areas; the system view last
# but one, because its measures read the programme and the productivity bridge.
AREAS: tuple[str, ...] = (
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


def area_loader(area: str) -> Callable[[], Any] | None:
    """`stpkit.demo.<area>.load`; None for an area with no demo content."""
    module_name = f"stpkit.demo.{area}"
    if importlib.util.find_spec(module_name) is None:
        return None
    loader: Callable[[], Any] = importlib.import_module(module_name).load
    return loader


# What `stpkit demo` loads before it serves the first page: the partnership (the logins)
# and the programme. The rest load in AREAS order while the app is already serving.
FIRST_AREAS: tuple[str, ...] = ("partnership", "programme")


def load_demo(
    progress: Callable[[str], None] = lambda _msg: None, areas: tuple[str, ...] = AREAS
) -> list[DemoLogin]:
    """Load the demo's `areas` (every area unless told), in AREAS order, each in its own
    transaction; returns the demo logins (empty unless the partnership is among them)."""
    from django.db import transaction

    logins: list[DemoLogin] = []
    for area in (a for a in AREAS if a in areas):
        loader = area_loader(area)
        if loader is None:
            continue
        progress("Partnership, stroke sites and workstreams" if area == "partnership" else area)
        with transaction.atomic():
            result = loader()
        if area == "partnership":
            logins = result
    return logins
