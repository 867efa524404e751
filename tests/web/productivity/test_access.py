"""Every productivity page answers each role as the access table says (this area only)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from tests.web.access.productivity import EXPECTED, setup


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_productivity_pages_answer_by_role(
    role: Role, demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    setup()
    client = client_for(role)
    wrong = []
    for name, (kwargs, allowed) in EXPECTED.items():
        status = client.get(reverse(name, kwargs=kwargs)).status_code
        expected = 200 if role in allowed else 403
        if status != expected:
            wrong.append(f"{name}: got {status}, expected {expected}")
    assert not wrong, "; ".join(wrong)
