"""Login, logout, password change and login throttling against the real app."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role

PASSWORD = "a-long-test-password-1"


def login(client: Client, username: str, password: str) -> int:
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",
    )
    return response.status_code


def test_login_with_the_right_password_reaches_the_dashboard(
    demo_partnership: None, user_with_role: Callable[[Role], User]
) -> None:
    user = user_with_role(Role.ANALYST)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    page = client.get(reverse("core:home")).content.decode()
    assert "Kent and Medway Sustainability and Transformation Partnership" in page
    assert "Analyst" in page


def test_wrong_password_shows_an_error_and_stays_logged_out(
    user_with_role: Callable[[Role], User],
) -> None:
    user = user_with_role(Role.ANALYST)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "x"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(
    user_with_role: Callable[[Role], User],
) -> None:
    user = user_with_role(Role.BOARD_MEMBER)
    client = Client()
    for _ in range(5):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, PASSWORD) == 429
    assert client.get(reverse("core:home")).status_code == 302


def test_logout_needs_a_post_and_ends_the_session(
    client_for: Callable[[Role], Client],
) -> None:
    client = client_for(Role.ANALYST)
    assert client.get(reverse("accounts:logout")).status_code == 200  # confirmation page
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_password_change_takes_effect(user_with_role: Callable[[Role], User]) -> None:
    user = user_with_role(Role.PROGRAMME_OFFICE)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "brand-new-secret-42",
            "new_password2": "brand-new-secret-42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-42")


def test_password_change_rejects_a_weak_password(user_with_role: Callable[[Role], User]) -> None:
    user = user_with_role(Role.PROGRAMME_OFFICE)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


@pytest.mark.django_db
def test_administrators_are_staff_others_are_not() -> None:
    admin = User.objects.create(username="a", role=Role.ADMINISTRATOR.value)
    board = User.objects.create(username="b", role=Role.BOARD_MEMBER.value)
    assert admin.is_staff and admin.is_superuser
    assert not board.is_staff and not board.is_superuser
