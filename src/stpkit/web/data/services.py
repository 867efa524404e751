"""Where the data area finds its store and governance, and the standing dashboards purpose.

The population pages read the store under one standing purpose, `population-dashboards`,
which the data controller approves like any other: when it is missing, not approved or
expired, the pages say so and show no figures. Every page that shows figures from the store
is logged in the audit log (who, role, page, rows shown) under that purpose, and its counts
pass that purpose's disclosure policy: they come from `stpkit.kid.governed` only, never
from SQL on the store here. The token functions are the area's writes (keyword-only).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.db import transaction

from stpkit.disclosure import DisclosurePolicy, policy_named
from stpkit.kid import KidError
from stpkit.kid.governed import (
    Governance,
    GovernanceError,
    InsightStore,
    Purpose,
    bound,
    governance_dir,
    open_store,
)
from stpkit.settings import load_settings
from stpkit.web.accounts.models import User
from stpkit.web.data.models import ApiToken

DASHBOARD_PURPOSE = "population-dashboards"
_lock = threading.Lock()
_stores: dict[tuple[str, str], InsightStore] = {}


def kid_dir() -> Path:
    return load_settings().data_dir / "kid"


def store_path() -> Path | None:
    """The pipeline store if built, else a sample store, else None."""
    base = kid_dir()
    if (base / "store" / "CURRENT").exists():
        return base / "store"
    if (base / "sample" / "person.parquet").exists():
        return base / "sample"
    return None


def cache_dir() -> Path:
    return kid_dir() / "cache"


def governance() -> Governance:
    return Governance(governance_dir(load_settings().data_dir))


def get_store() -> InsightStore | None:
    """An open store for this request (one connection per store version, one cursor per call),
    its connection bounded by the settings' store memory limit and threads (`bound`)."""
    path = store_path()
    if path is None:
        return None
    marker = path / "CURRENT"
    stamp = (
        marker.read_text().strip()
        if marker.exists()
        else str((path / "person.parquet").stat().st_mtime_ns)
    )
    key = (str(path), stamp)
    with _lock:
        store = _stores.get(key)
        if store is None:
            try:
                store = open_store(path)
            except KidError:
                return None
            settings = load_settings()
            bound(store, settings.store_memory_limit, settings.store_threads, cache_dir() / "tmp")
            for old in [k for k in _stores if k[0] == str(path)]:
                _stores.pop(old).close()
            _stores[key] = store
        return store.cursor()


@dataclass
class DashboardAccess:
    store: InsightStore | None
    purpose: Purpose | None
    policy: DisclosurePolicy | None
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem


def dashboard_access(today: date | None = None) -> DashboardAccess:
    store = get_store()
    if store is None:
        return DashboardAccess(
            None,
            None,
            None,
            "No integrated dataset store has been built yet. Run stpkit demo or stpkit kid build.",
        )
    today = today or datetime.now(UTC).date()
    try:
        purpose = governance().purpose(DASHBOARD_PURPOSE)
    except GovernanceError:
        return DashboardAccess(
            store,
            None,
            None,
            f"The purpose “{DASHBOARD_PURPOSE}” has not been requested. The data controller "
            f"approves it on the Purposes page.",
        )
    if not purpose.is_active(today):
        state = (
            f"expired on {purpose.expires:%d %B %Y}"
            if purpose.status == "approved"
            else purpose.status
        )
        return DashboardAccess(
            store,
            purpose,
            None,
            f"The purpose “{purpose.title}” is {state}, so the population pages show no figures. "
            f"Ask the data controller.",
        )
    return DashboardAccess(store, purpose, policy_named(purpose.disclosure_policy), "")


def standing_purpose(owner: str) -> Purpose:
    """The purpose the demo requests for the population pages."""
    return Purpose(
        key=DASHBOARD_PURPOSE,
        title="Population health dashboards",
        owner=owner,
        expires=datetime.now(UTC).date() + timedelta(days=365),
        tables=("person", "activity", "condition"),
        description="Aggregate population, segment, cost and activity pages for the partnership's "
        "workstreams; OpenSAFELY disclosure rule; no person-level extracts.",
    )


def log_view(user: object, page: str, rows: int) -> None:
    role = str(getattr(user, "role", ""))
    governance().log(
        str(getattr(user, "username", "")), role, DASHBOARD_PURPOSE, "query", f"page {page}", rows
    )


def issue_token(*, user: User, role: str, purpose: str, label: str) -> str:
    """Issue an API token bound to `purpose` and log it; returns the secret (shown once)."""
    with transaction.atomic():
        _token, secret = ApiToken.issue(user, purpose, label)
        governance().log(user.username, role, purpose, "token", f"API token {label!r} issued", 0)
    return secret


def revoke_token(*, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens (another user's, or an unknown one, is left be)."""
    ApiToken.objects.filter(user=user, pk=token_id).update(revoked=True)
