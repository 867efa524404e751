"""Data area demo: a small synthetic store, the dashboards purpose and an analyst's purpose.

`load()` builds (or reuses) a pipeline store of `DEMO_PEOPLE` synthetic people under the
data directory with part 1's generator and build (`stpkit.kid.synthesise`, `stpkit.kid.build`),
so the population pages show real numbers. The pseudonym key is the configured key file
(created if missing, outside the data directory). The purposes are requested by the demo
analyst and approved by the demo data controller, so the audit log starts with them.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

from stpkit.demo.clock import AS_AT
from stpkit.kid.governed import Purpose
from stpkit.settings import load_settings
from stpkit.web.data import services

DEMO_PEOPLE = 20_000
DEMO_YEARS = 2


def build_demo_store() -> None:
    """Synthesise and build the demo store unless a live one exists."""
    base = services.kid_dir()
    store = base / "store"
    if (store / "CURRENT").exists():
        return
    from stpkit.kid.pipeline import build, write_new_key
    from stpkit.kid.sources import SynthSpec, synthesise

    key = load_settings().pseudonym_key_file
    if not key.exists():
        write_new_key(key)
    raw = base / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    synthesise(
        # the two full years before the demo's as-at date, on the seed papers' timeline
        SynthSpec(
            people=DEMO_PEOPLE, years=DEMO_YEARS, seed=2017, start_year=AS_AT.year - DEMO_YEARS
        ),
        raw,
        truth_out=base / "raw-truth",
    )
    build(raw, store, key)


def load_purposes(analyst: str = "analyst", controller: str = "controller") -> None:
    gov = services.governance()
    known = {p.key: p for p in gov.purposes()}
    wanted = [
        services.standing_purpose(analyst),
        Purpose(
            key="frailty-costs",
            title="Cost of frailty in older people",
            owner=analyst,
            expires=datetime.now(UTC).date() + timedelta(days=180),
            tables=("person", "activity"),
            description="Year-of-care cost of people 65 and over by frailty "
            "band, for the local care workstream.",
        ),
        Purpose(
            key="acute-service-planning",
            title="Acute service reconfiguration: demand by LSOA",
            owner=analyst,
            expires=datetime.now(UTC).date() + timedelta(days=365),
            tables=("person", "activity"),
            description="A year's A&E attendances and admissions by LSOA for the travel-time "
            "model of acute service options (East Kent); counts under the OpenSAFELY rule, "
            "used inside the model, only its figures published.",
        ),
    ]
    for purpose in wanted:
        current = known.get(purpose.key)
        if current is None:
            gov.request(purpose, user=analyst, role="analyst")
        if (
            current is None
            or current.status != "approved"
            or current.expires < datetime.now(UTC).date()
        ):
            if current is not None and current.status != "requested":
                continue  # a controller's revocation stands
            gov.decide(purpose.key, approve=True, user=controller, role="data_controller")


def prepare() -> None:
    """The store: files under the data directory, nothing in the app database, so it is
    built outside the write transaction (`stpkit demo` serves while this area loads)."""
    build_demo_store()


def write(_prepared: None) -> None:
    load_purposes()


def load() -> None:
    prepare()
    write(None)
