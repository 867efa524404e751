"""Forms for administrators managing users, and the password reset request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import ROLE_LABELS, Role

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]


class UserForm(forms.ModelForm):  # type: ignore[type-arg]
    """A person's name, e-mail, organisation, role and whether they may log in."""

    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "organisation", "role", "is_active"]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "email": "E-mail address",
            "organisation": "Organisation",
            "is_active": "Can log in (untick to deactivate)",
        }

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email", "").strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another user already has the e-mail address {email}.")
        return email


class NewUserForm(UserForm):
    """A new account: a username and an e-mail address to send the set-password link to."""

    class Meta(UserForm.Meta):
        fields = ["username", *UserForm.Meta.fields]
        labels = {**UserForm.Meta.labels, "username": "Username"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["is_active"].initial = True

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"The username {username} is taken.")
        return username


class ResetForm(PasswordResetForm):
    """Django's reset request, also for people who have never set a password (new accounts
    whose welcome link expired): any active account with that e-mail address."""

    def get_users(self, email: str) -> Iterator[Any]:
        return iter(User.objects.filter(email__iexact=email, is_active=True))
