"""Walk every URL with every role and check the allowed/denied answer (GET; POST in
`test_role_matrix_posts.py`).

The expected matrix is written out in tests/web/access/<area>.py, independently of
`roles.py`, and every URL the project defines must appear in it: a new page cannot ship
without its access decided.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stpkit.web.accounts.roles import Role
from tests.web.access.common import DC, AccessTable, B

AD = Role.ADMINISTRATOR
AREA_TABLES = [
    "core",
    "programme",
    "board",
    "data",
    "decisions",
    "stroke",
    "productivity",
    "system",
    "consultation",
    "enablers",
    "tasks",
]
EXPECTED: AccessTable = {}
SETUPS: list[Callable[[], None]] = []
for _area in AREA_TABLES:
    _module = importlib.import_module(f"tests.web.access.{_area}")
    EXPECTED.update(_module.EXPECTED)
    if hasattr(_module, "setup"):
        SETUPS.append(_module.setup)


@pytest.fixture
def area_objects(demo_partnership: None) -> None:
    """Objects the sample URL kwargs name, created by each area's `setup()`."""
    for setup in SETUPS:
        setup()


# Pages anyone may reach without logging in.
PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


def _walk(patterns: list[URLPattern | URLResolver], ns: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin has its own staff check, tested below
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p.url_patterns, inner)
        elif p.name:
            yield f"{ns}{p.name}"


ALL_URL_NAMES = sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_has_a_decided_access_rule() -> None:
    undecided = set(ALL_URL_NAMES) - set(EXPECTED) - PUBLIC
    assert not undecided, (
        f"Add these URLs to an access table in tests/web/access/: {sorted(undecided)}"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_users_are_sent_to_login(name: str, area_objects: None) -> None:
    kwargs, _ = EXPECTED[name]
    response = Client().get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_matrix(role: Role, area_objects: None, client_for: Callable[[Role], Client]) -> None:
    client = client_for(role)
    wrong = []
    for name, (kwargs, allowed) in EXPECTED.items():
        status = client.get(reverse(name, kwargs=kwargs)).status_code
        expected = 200 if role in allowed else 403
        if status != expected:
            wrong.append(f"{name}: got {status}, expected {expected}")
    assert not wrong, f"{role.value}: " + "; ".join(wrong)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_admin_site_is_for_administrators_only(
    role: Role, client_for: Callable[[Role], Client]
) -> None:
    status = client_for(role).get(reverse("admin:index")).status_code
    assert status == (200 if role == AD else 302)


def test_navigation_shows_only_the_areas_a_role_may_see(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    html = client_for(DC).get(reverse("core:home")).content.decode()
    assert 'href="/data/"' in html
    assert 'href="/programme/"' not in html
    html = client_for(B).get(reverse("core:home")).content.decode()
    assert 'href="/programme/"' in html and 'href="/data/"' not in html
