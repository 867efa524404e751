"""Every URL, every role, by POST: the role matrix's other half.

`test_role_matrix.py` enumerates every URL pattern in the URLconf (a new URL fails there
until its access is decided) and checks GET. Here each of those URLs is posted to, empty,
by every role and by an anonymous visitor:

- anonymous: sent to the login page, never a 500;
- a role refused the page (GET 403): refused the POST too, 403 (or 405 where the page takes
  no POST from anyone, which refuses as much and shows nothing);
- a role that reads the page but may not change it (POSTERS below, written out from the
  apps' rules, not read from the code): 403;
- a role allowed to post: an answer that is neither a refusal nor a server error (an empty
  form back with its errors, a redirect, or 405 for a read-only page).

Each POST runs in a transaction that is rolled back, and the client's cookies are put
back, so what one POST does (a removal, a logout) does not change what the next one finds.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from tests.web.access.common import AD, AN, PO
from tests.web.test_role_matrix import EXPECTED, area_objects  # noqa: F401 - a fixture

OFFICE = {PO, AD}
# Pages some readers may not change: who may post. The board's periods, updates, budgets
# and meetings are kept by the programme office (a workstream lead posts only their own
# workstream's update; the matrix's lead leads none); consultation analysis is for its
# editors, not the board; enabling initiatives and requests are decided by the office.
POSTERS: dict[str, set[Role]] = {
    "board:periods": OFFICE,
    "board:update": OFFICE,
    "board:workstream_budget": OFFICE,
    "board:budget_line": OFFICE,
    "board:meetings": OFFICE,
    "board:meeting": OFFICE,
    "board:public_update": OFFICE,
    "consultation:import": {PO, AN, AD},
    "consultation:themes": {PO, AN, AD},
    "consultation:theme": {PO, AN, AD},
    "consultation:review": {PO, AN, AD},
    "consultation:framework": {PO, AN, AD},
    "enablers:initiative": OFFICE,
    "enablers:request": OFFICE,
}


def _post(client: Client, name: str, kwargs: dict[str, str]) -> int:
    """The status of an empty POST, with its changes and the client's cookies undone."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        status = client.post(reverse(name, kwargs=kwargs), {}).status_code
        transaction.set_rollback(True)
    client.cookies = cookies
    return status


def test_posters_are_readers_of_pages_in_the_matrix() -> None:
    for name, posters in POSTERS.items():
        assert name in EXPECTED, f"{name} is not a URL in the matrix"
        assert posters <= EXPECTED[name][1], f"{name}: a poster who may not read it"


def test_anonymous_posts_are_sent_to_login(area_objects: None) -> None:  # noqa: F811
    client = Client(raise_request_exception=False)
    wrong = []
    for name, (kwargs, _) in EXPECTED.items():
        response = client.post(reverse(name, kwargs=kwargs), {})
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith(reverse("accounts:login")):
            wrong.append(f"{name}: got {response.status_code} {location}")
    assert not wrong, "; ".join(wrong)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_matrix_posts(
    role: Role,
    area_objects: None,  # noqa: F811
    client_for: Callable[[Role], Client],
) -> None:
    client = client_for(role)
    client.raise_request_exception = False  # a server error is a 500 to report, not a crash
    wrong = []
    for name, (kwargs, readers) in EXPECTED.items():
        status = _post(client, name, kwargs)
        if role not in readers:
            if status not in (403, 405):
                wrong.append(f"{name}: got {status}, expected 403 (may not read it)")
        elif role not in POSTERS.get(name, readers):
            if status != 403:
                wrong.append(f"{name}: got {status}, expected 403 (reads, may not change)")
        elif status in (403, 500):
            wrong.append(f"{name}: got {status}, expected an answer (allowed to post)")
    assert not wrong, f"{role.value}: " + "; ".join(wrong)
