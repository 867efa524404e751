"""The shape of every POSTed action in the decisions area.

Each page posts several actions to its own URL, named by a hidden `action` field. Each
action is a form: it validates and converts its fields (numbers, dates, the version an
edit was built from) with messages that name the field, then `run` calls one service and
says what was done. The service applies the rules; a refused action changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms

from stpkit.decisions import DecisionsError


class Text(forms.CharField):
    """Optional free text, passed on as typed (services strip what they keep)."""

    def __init__(self, *, strip: bool = False, **kwargs: Any) -> None:
        super().__init__(required=False, strip=strip, **kwargs)


class Number(forms.Field):
    """A number; blank is None when `optional`, refused with `needed` when given, else
    refused like any non-number. A missing field counts as `default`."""

    def __init__(
        self,
        label: str,
        *,
        optional: bool = False,
        default: str = "",
        needed: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(required=False, label=label, **kwargs)
        self.optional, self.default, self.needed = optional, default, needed

    def clean(self, value: Any) -> float | None:
        raw = self.default if value is None else str(value)
        if self.needed and raw == "":
            raise forms.ValidationError(self.needed)
        if self.optional:
            raw = raw.strip()
            if not raw:
                return None
        try:
            return float(raw)
        except ValueError:
            raise forms.ValidationError(f"{self.label}: {raw!r} is not a number") from None


class Day(forms.Field):
    """A date as YYYY-MM-DD; blank is None."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(required=False, label=label, **kwargs)

    def clean(self, value: Any) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise forms.ValidationError(
                f"{self.label}: {value!r} is not a date (YYYY-MM-DD)"
            ) from None


class Version(forms.Field):
    """The version of the record the editor's form was built from (refuses a stale edit)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                "The form is missing its version: reload the page"
            ) from None


class Choices(forms.Field):
    """Every value posted under the name (ticked checkboxes), as a list."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> list[str]:
        return [str(v) for v in value or []]


class ActionForm(forms.Form):
    """One action posted to a page. `context` carries the records the page already loaded
    (the programme, the stage, the round...); `user` is who acts."""

    editor_only = True  # only the area's editors may post it (sign-off goes by role instead)

    def __init__(self, data: Mapping[str, Any], *, user: Any, **context: Any) -> None:
        super().__init__(data)
        self.user = user
        self.context = context

    def problems(self) -> str:
        """Every validation message, in field order, as one sentence list."""
        return "; ".join(str(m) for errors in self.errors.values() for m in errors)

    def run(self) -> str:
        """Call the service; return what was done (for the success message)."""
        raise NotImplementedError


class ActionChoice(forms.Form):
    """Which action was posted: one of the page's actions, or its default when none is named."""

    action = forms.CharField(required=False)

    def __init__(self, data: Mapping[str, Any], actions: Mapping[str, Any], default: str) -> None:
        super().__init__(data)
        self.actions, self.default = actions, default

    def clean_action(self) -> str:
        action = self.cleaned_data.get("action") or self.default
        if action not in self.actions:
            raise forms.ValidationError(f"Unknown action {action!r}")
        return str(action)


def refuse(message: str) -> DecisionsError:
    return DecisionsError(message)
