"""Forms for the data area's governance pages: every POSTed field is validated here.

The purposes page posts one of three actions (request a purpose; approve or revoke one),
the tokens page one of two (issue a token; revoke one). `ActionForm` reads which; the
action's own form then validates its fields. Rules about who may do what stay with
`stpkit.kid.governed.Governance` (the data controller decides purposes) and
`services` (tokens for a purpose the user works under).
"""

from __future__ import annotations

from typing import Any

from django import forms

from stpkit.disclosure import POLICIES
from stpkit.kid.governed import STORE_TABLES

PURPOSE_ACTIONS = ("request", "approve", "revoke")
TOKEN_ACTIONS = ("issue", "revoke")
DEFAULT_POLICY = "opensafely"
DEFAULT_TOKEN_LABEL = "BI tool"
MAX_TOKEN_LABEL = 100


def error_messages(form: forms.Form) -> list[str]:
    """The form's errors as sentences for the page's error summary."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            out.append(f"{label}: {error}" if label else str(error))
    return out


class ActionForm(forms.Form):
    """Which of a page's actions a POST asks for; an unknown one is an error."""

    action = forms.CharField(required=False)

    def __init__(self, *args: Any, actions: tuple[str, ...], default: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.default = default

    def clean_action(self) -> str:
        action = self.cleaned_data.get("action") or self.default
        if action not in self.actions:
            raise forms.ValidationError("Unknown action.")
        return str(action)


class PurposeRequestForm(forms.Form):
    """A new purpose; the key's format and the expiry's future are checked by governance."""

    key = forms.CharField(label="Short key", required=False, strip=True)
    title = forms.CharField(label="Title", required=False, strip=True)
    description = forms.CharField(label="What it is for", required=False, strip=True)
    members = forms.CharField(label="Others who work under it", required=False)
    expires = forms.DateField(
        label="Expiry date",
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "enter a date as YYYY-MM-DD",
            "invalid": "enter a date as YYYY-MM-DD",
        },
    )
    table_person = forms.BooleanField(required=False)
    table_activity = forms.BooleanField(required=False)
    table_condition = forms.BooleanField(required=False)
    policy = forms.ChoiceField(
        label="Disclosure rule",
        choices=[(p, p) for p in sorted(POLICIES)],
        required=False,
    )
    person_level = forms.BooleanField(required=False)

    def clean_title(self) -> str:
        return str(self.cleaned_data.get("title") or "Untitled")

    def clean_policy(self) -> str:
        return str(self.cleaned_data.get("policy") or DEFAULT_POLICY)

    def clean_members(self) -> tuple[str, ...]:
        raw = str(self.cleaned_data.get("members") or "")
        return tuple(m.strip() for m in raw.split(",") if m.strip())

    def tables(self) -> tuple[str, ...]:
        return tuple(t for t in STORE_TABLES if self.cleaned_data.get(f"table_{t}"))


class PurposeDecisionForm(forms.Form):
    """The purpose a data controller approves or revokes."""

    key = forms.CharField(label="Purpose", required=False, strip=True)


class TokenIssueForm(forms.Form):
    """A token for one of the purposes the user works under (approved, not expired)."""

    purpose = forms.ChoiceField(
        label="",  # its message names it
        error_messages={
            "required": "Choose a purpose you work under that is approved and not expired.",
            "invalid_choice": "Choose a purpose you work under that is approved and not expired.",
        },
    )
    label = forms.CharField(label="What will use it", required=False, strip=True)

    def __init__(self, *args: Any, purposes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p, p) for p in purposes]  # type: ignore[attr-defined]

    def clean_label(self) -> str:
        return str(self.cleaned_data.get("label") or "")[:MAX_TOKEN_LABEL] or DEFAULT_TOKEN_LABEL


class TokenRevokeForm(forms.Form):
    """The token to revoke (only the user's own; an unknown one changes nothing)."""

    token = forms.IntegerField(required=False, min_value=0)
