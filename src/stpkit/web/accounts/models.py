"""User accounts: Django's user with one partnership role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from stpkit.web.accounts.roles import ROLE_LABELS, Role


class User(AbstractUser):
    """A person using stpkit; what they may do follows from `role`."""

    role = models.CharField(
        max_length=32,
        choices=[(r.value, ROLE_LABELS[r]) for r in Role],
        default=Role.BOARD_MEMBER.value,
    )
    organisation = models.CharField(max_length=200, blank=True)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        # Administrators manage users and reference data through Django's admin.
        if self.role == Role.ADMINISTRATOR:
            self.is_staff = True
            self.is_superuser = True
        super().save(*args, **kwargs)  # type: ignore[arg-type]
