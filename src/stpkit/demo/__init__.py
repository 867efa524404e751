"""The Kent and Medway demo: one loader per area, all on one demo clock (`demo.clock`).

`stpkit.demo.<area>.load()` loads one area's part and is idempotent, so `stpkit demo`
can be run again at any time. `load_demo` runs them in `AREAS` order, the partnership
(with the logins, which it returns) first. An area whose loading is slow splits it in two:
`prepare()` works everything out without writing, `write(prepared)` writes it; `load_demo`
prepares outside any transaction and writes in one short one, so an area still loads all
or nothing but holds SQLite's write lock (one writer at a time) only while it writes:
`stpkit demo` serves while areas load, and every login writes. Loaders import Django
models, so set Django up before calling them; importing this package alone does not need
Django.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stpkit.demo.partnership import DemoLogin

__all__ = ["AREAS", "FIRST_AREAS", "area_loader", "area_module", "load_demo"]

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


def area_module(area: str) -> ModuleType | None:
    """`stpkit.demo.<area>`; None for an area with no demo content."""
    module_name = f"stpkit.demo.{area}"
    if importlib.util.find_spec(module_name) is None:
        return None
    return importlib.import_module(module_name)


def area_loader(area: str) -> Callable[[], Any] | None:
    """`stpkit.demo.<area>.load`; None for an area with no demo content."""
    module = area_module(area)
    if module is None:
        return None
    loader: Callable[[], Any] = module.load
    return loader


# What `stpkit demo` loads before it serves the first page: the partnership (the logins)
# and the programme. The rest load in AREAS order while the app is already serving.
FIRST_AREAS: tuple[str, ...] = ("partnership", "programme")


def load_demo(
    progress: Callable[[str], None] = lambda _msg: None, areas: tuple[str, ...] = AREAS
) -> list[DemoLogin]:
    """Load the demo's `areas` (every area unless told), in AREAS order, each written in
    its own transaction; returns the demo logins (empty unless the partnership is among
    them)."""
    from stpkit.web.core.writing import write_transaction

    logins: list[DemoLogin] = []
    for area in (a for a in AREAS if a in areas):
        module = area_module(area)
        if module is None:
            continue
        progress("Partnership, stroke sites and workstreams" if area == "partnership" else area)
        if hasattr(module, "prepare"):
            prepared = module.prepare()  # reads only: no transaction, no lock held
            with write_transaction():
                result = module.write(prepared)
        else:
            with write_transaction():
                result = module.load()
        if area == "partnership":
            logins = result
    return logins
