"""Forms of the consultation pages."""

from __future__ import annotations

from typing import Any

from django import forms

from stpkit.web.consultation import services
from stpkit.web.consultation.models import Consultation


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Response file", help_text="A CSV or Excel export with one row per respondent"
    )


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file",
        help_text="CSV, Excel (.xlsx) or JSON: one theme per row with a name and a description",
    )


class RenameForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    label = forms.CharField(label="New name", max_length=200)


class AddThemeForm(forms.Form):
    label = forms.CharField(label="Theme name", max_length=200)
    keywords = forms.CharField(
        label="Keywords", help_text="Words or phrases separated by commas", required=False
    )
    examples = forms.CharField(
        label="Example response IDs", help_text="Separated by commas", required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("keywords") and not data.get("examples"):
            raise forms.ValidationError("Give keywords or example responses for the new theme")
        return data


# --- theme actions -------------------------------------------------------------------
#
# The themes, theme and review pages post one of these, named by a hidden `action` field.
# Each form validates its fields, then `run` calls one service and says what was done.


class ThemeActionForm(forms.Form):
    """One action on a question's themes; `run` returns the message for the analyst."""

    def __init__(self, data: Any, *, consultation: Consultation, code: str, user: Any) -> None:
        super().__init__(data)
        self.consultation, self.code, self.user = consultation, code, user

    def problems(self) -> str:
        return "; ".join(str(m) for errors in self.errors.values() for m in errors)

    def run(self) -> str:
        raise NotImplementedError


class DiscoverForm(ThemeActionForm):
    k = forms.IntegerField(
        required=False,
        min_value=1,
        label="Number of themes",
        error_messages={"invalid": "The number of themes must be a whole number"},
    )

    def run(self) -> str:
        analysis = services.run_themes(
            consultation=self.consultation,
            code=self.code,
            user=self.user,
            discover=True,
            k=self.cleaned_data["k"],
        )
        assert analysis is not None  # discovering always analyses afresh
        return f"Found {len(analysis.themes)} themes"


class ReassignForm(ThemeActionForm):
    def run(self) -> str:
        services.run_themes(consultation=self.consultation, code=self.code, user=self.user)
        return "Every response was re-assigned; corrections were kept"


class AddThemeActionForm(ThemeActionForm, AddThemeForm):
    def run(self) -> str:
        d = self.cleaned_data
        data = {
            "label": d["label"],
            "keywords": [k for k in d["keywords"].split(",") if k.strip()],
            "examples": [e.strip() for e in d["examples"].split(",") if e.strip()],
        }
        return services.edit_themes(
            consultation=self.consultation, code=self.code, user=self.user, action="add", data=data
        )


class MergeForm(ThemeActionForm):
    keys = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    label = forms.CharField(required=False, strip=False)

    def run(self) -> str:
        data = {"keys": list(self.cleaned_data["keys"] or []), "label": self.cleaned_data["label"]}
        return services.edit_themes(
            consultation=self.consultation,
            code=self.code,
            user=self.user,
            action="merge",
            data=data,
        )


class OneThemeForm(ThemeActionForm):
    """Rename, split or delete one theme (`action` says which)."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("rename", "split", "delete")])
    key = forms.CharField(required=False, strip=False)
    label = forms.CharField(required=False, strip=False)
    parts = forms.IntegerField(
        required=False,
        min_value=2,
        error_messages={"invalid": "Split into a whole number of parts (2 or more)"},
    )

    def run(self) -> str:
        d = self.cleaned_data
        data = {"key": d["key"], "label": d["label"], "parts": d["parts"] or 2}
        return services.edit_themes(
            consultation=self.consultation,
            code=self.code,
            user=self.user,
            action=d["action"],
            data=data,
        )


class CorrectForm(ThemeActionForm):
    response_id = forms.CharField(required=False)
    theme_key = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)

    def run(self) -> str:
        d = self.cleaned_data
        services.correct(
            consultation=self.consultation,
            code=self.code,
            response_id=d["response_id"],
            theme_key=d["theme_key"],
            user=self.user,
            reason=d["reason"],
        )
        return f"Response {d['response_id']} corrected; the correction is kept"


THEME_ACTIONS: dict[str, type[ThemeActionForm]] = {
    "discover": DiscoverForm,
    "reassign": ReassignForm,
    "add": AddThemeActionForm,
    "merge": MergeForm,
    "rename": OneThemeForm,
    "split": OneThemeForm,
    "delete": OneThemeForm,
    "correct": CorrectForm,
}
