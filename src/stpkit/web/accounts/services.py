"""Writes to user accounts, each recorded in Django's admin log (who changed whom, and
what), and the e-mail with a link to set a password.

`accounts` is the bottom layer, so it records changes in the admin log rather than the
change history of `core`, which sits above it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role


class UserAdminError(ValueError):
    """A change an administrator may not make (it would lock everyone out)."""


def _log(actor: Any, user: User, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(  # type: ignore[attr-defined]
        actor.pk, User.objects.filter(pk=user.pk), flag, message, single_object=True
    )


def _check_not_locking_out(actor: Any, user: User) -> None:
    """Refuse the change that would leave no active administrator, or lock out oneself."""
    still_admin = user.is_active and user.role == Role.ADMINISTRATOR
    if user.pk == actor.pk and not still_admin:
        raise UserAdminError(
            "You cannot deactivate yourself or remove your own administrator role; "
            "ask another administrator."
        )
    others = User.objects.filter(role=Role.ADMINISTRATOR.value, is_active=True).exclude(pk=user.pk)
    if not still_admin and not others.exists():
        raise UserAdminError("There must be at least one active administrator.")


@transaction.atomic
def create_user(*, actor: Any, user: User) -> User:
    """Save a new account with no password: its owner sets one from the welcome e-mail."""
    user.set_unusable_password()
    user.save()
    _log(actor, user, ADDITION, f"Created with the role {user.role_label}")
    return user


@transaction.atomic
def update_user(*, actor: Any, user: User, changed: list[str]) -> User:
    _check_not_locking_out(actor, user)
    if user.role != Role.ADMINISTRATOR:
        # `User.save` makes administrators staff and superusers; a former one is neither.
        user.is_staff = False
        user.is_superuser = False
    user.save()
    if changed:
        _log(actor, user, CHANGE, "Changed " + ", ".join(changed))
    return user


def send_password_link(*, user: User, protocol: str, domain: str, welcome: bool = False) -> None:
    """E-mail `user` a one-time link to set their password (a welcome for a new account)."""
    if not user.email:
        raise UserAdminError(f"{user.username} has no e-mail address to send a link to.")
    context = {
        "user": user,
        "protocol": protocol,
        "domain": domain,
        "welcome": welcome,
        "link": reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
    }
    subject = render_to_string("accounts/password_reset_subject.txt", context).strip()
    body = render_to_string("accounts/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email])
