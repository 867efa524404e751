"""Administrators manage users and roles in the app; anyone resets a forgotten password
by e-mail (Django's reset views, locmem mail here)."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from tests.web.tasks.conftest import login, person


@pytest.fixture
def admin(db: None) -> User:
    return person("ada", Role.ADMINISTRATOR, "Ada Byron", "ada@example.nhs.uk")


def can_log_in(username: str, password: str) -> bool:
    """Through the login page (django-axes needs the request)."""
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == reverse("core:home")


def link_in(body: str) -> str:
    match = re.search(r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_manage_users(role: Role, admin: User) -> None:
    client = login(person(f"u-{role.value}", role))
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.post(reverse("accounts:user_new"), {"username": "x"}).status_code == 403
    edit = reverse("accounts:user_edit", args=["ada"])
    assert client.post(edit, {"role": "board_member"}).status_code == 403
    assert client.post(reverse("accounts:user_reset", args=["ada"])).status_code == 403
    assert User.objects.get(username="ada").role == Role.ADMINISTRATOR
    assert not User.objects.filter(username="x").exists()
    assert not mail.outbox


def test_create_a_user_who_sets_a_password_from_the_welcome_e_mail(admin: User) -> None:
    client = login(admin)
    response = client.post(
        reverse("accounts:user_new"),
        {
            "username": "nia",
            "first_name": "Nia",
            "last_name": "Jones",
            "email": "nia@example.nhs.uk",
            "organisation": "Medway NHS Foundation Trust",
            "role": Role.WORKSTREAM_LEAD.value,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    nia = User.objects.get(username="nia")
    assert nia.role == Role.WORKSTREAM_LEAD and not nia.has_usable_password()
    assert LogEntry.objects.filter(object_id=str(nia.pk), user=admin).exists()
    message = next(m for m in mail.outbox if m.to == ["nia@example.nhs.uk"])
    assert message.subject.startswith("Welcome: set your password")
    assert "Your username is nia" in message.body
    # the link works: set a password, then log in with it
    anonymous = Client()
    form_page = anonymous.get(link_in(message.body), follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = anonymous.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "kettle-orchard-lantern", "new_password2": "kettle-orchard-lantern"},
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    assert can_log_in("nia", "kettle-orchard-lantern")
    # a used link does not work twice
    again = Client().get(link_in(message.body), follow=True).content.decode()
    assert "This link no longer works" in again


def test_new_user_form_refuses_a_taken_username_or_missing_e_mail(admin: User) -> None:
    html = (
        login(admin)
        .post(reverse("accounts:user_new"), {"username": "ADA", "role": "analyst"})
        .content.decode()
    )
    assert "The username ADA is taken." in html
    assert "This field is required." in html
    assert User.objects.count() == 1


def test_change_a_role_and_deactivate(admin: User) -> None:
    bea = person("bea", Role.BOARD_MEMBER, "Bea Stone", "bea@example.nhs.uk")
    client = login(admin)
    edit = reverse("accounts:user_edit", args=["bea"])
    data = {"first_name": "Bea", "last_name": "Stone", "email": "bea@example.nhs.uk"}
    client.post(edit, {**data, "role": Role.ANALYST.value, "is_active": "on"})
    bea.refresh_from_db()
    assert bea.role == Role.ANALYST and bea.is_active
    assert can_log_in("bea", "a-long-test-password-1")
    client.post(edit, {**data, "role": Role.ANALYST.value})  # checkbox unticked
    bea.refresh_from_db()
    assert not bea.is_active
    assert not can_log_in("bea", "a-long-test-password-1")
    listing = client.get(reverse("accounts:users")).content.decode()
    assert "No (deactivated)" in listing and "Analyst" in listing


def test_a_former_administrator_loses_the_admin_site(admin: User) -> None:
    other = person("al", Role.ADMINISTRATOR, "Al Turing", "al@example.nhs.uk")
    assert other.is_superuser
    login(admin).post(
        reverse("accounts:user_edit", args=["al"]),
        {"first_name": "Al", "email": "al@example.nhs.uk", "role": "analyst", "is_active": "on"},
    )
    other.refresh_from_db()
    assert other.role == Role.ANALYST and not other.is_staff and not other.is_superuser


def test_an_administrator_cannot_lock_themselves_out(admin: User) -> None:
    html = (
        login(admin)
        .post(
            reverse("accounts:user_edit", args=["ada"]),
            {"first_name": "Ada", "email": "ada@example.nhs.uk", "role": "analyst"},
        )
        .content.decode()
    )
    assert "You cannot deactivate yourself or remove your own administrator role" in html
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR and admin.is_active


def test_an_administrator_sends_a_reset_link(admin: User) -> None:
    person("bea", Role.BOARD_MEMBER, "Bea Stone", "bea@example.nhs.uk")
    client = login(admin)
    assert client.get(reverse("accounts:user_reset", args=["bea"])).status_code == 200
    client.post(reverse("accounts:user_reset", args=["bea"]))
    (message,) = mail.outbox
    assert message.to == ["bea@example.nhs.uk"] and message.subject.startswith("Set a new")
    person("nomail", Role.ANALYST)
    html = client.post(reverse("accounts:user_reset", args=["nomail"])).content.decode()
    assert "nomail has no e-mail address" in html


def test_forgotten_password_by_e_mail(admin: User) -> None:
    person("bea", Role.BOARD_MEMBER, "Bea Stone", "bea@example.nhs.uk")
    anonymous = Client()
    login_page = anonymous.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login_page
    assert anonymous.get(reverse("accounts:password_reset")).status_code == 200
    response = anonymous.post(reverse("accounts:password_reset"), {"email": "BEA@example.nhs.uk"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["bea@example.nhs.uk"]
    # an unknown address gets the same answer and no e-mail
    anonymous.post(reverse("accounts:password_reset"), {"email": "nobody@example.nhs.uk"})
    assert len(mail.outbox) == 1
    page = anonymous.get(link_in(message.body), follow=True)
    anonymous.post(
        page.redirect_chain[-1][0],
        {"new_password1": "quiet-harbour-bicycle", "new_password2": "quiet-harbour-bicycle"},
    )
    assert can_log_in("bea", "quiet-harbour-bicycle")
    assert not can_log_in("bea", "a-long-test-password-1")


def test_the_header_links_administrators_to_users(admin: User) -> None:
    assert 'href="/accounts/users/"' in login(admin).get(reverse("core:home")).content.decode()
    analyst = login(person("an", Role.ANALYST))
    assert 'href="/accounts/users/"' not in analyst.get(reverse("core:home")).content.decode()
