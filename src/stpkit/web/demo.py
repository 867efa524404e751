"""Kept for callers written before `stpkit.demo` (benchmarks, some tests, the CLI): the
demo now lives in `stpkit.demo`, the partnership part in `stpkit.demo.partnership`."""

from stpkit.demo import AREAS, load_demo
from stpkit.demo.partnership import (
    DEMO_PASSWORD_PREFIX,
    DEMO_USERNAMES,
    POPULATION,
    REGION,
    WORKSTREAMS,
    DemoLogin,
    load_demo_logins,
    load_partnership,
)

__all__ = [
    "AREAS",
    "DEMO_PASSWORD_PREFIX",
    "DEMO_USERNAMES",
    "POPULATION",
    "REGION",
    "WORKSTREAMS",
    "DemoLogin",
    "load_demo",
    "load_demo_logins",
    "load_partnership",
]
