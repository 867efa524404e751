"""What the decisions web tests share: people with roles, logged-in clients, page text."""

from __future__ import annotations

import html
from collections.abc import Mapping

from django.test import Client

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role

PEOPLE = ("sro", "chair", "clinician", "ann", "bob", "cat")


def user(name: str, role: Role = Role.PROGRAMME_OFFICE) -> User:
    found, _ = User.objects.get_or_create(username=name, defaults={"role": role.value})
    return found


def logged_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def get_text(client: Client, url: str) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(client.get(url).content.decode())


def post_text(client: Client, url: str, data: Mapping[str, object]) -> str:
    """Post a form, follow the redirect, return the page a reader then sees."""
    return html.unescape(client.post(url, data, follow=True).content.decode())
