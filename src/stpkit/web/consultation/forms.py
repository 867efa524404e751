"""Forms of the consultation pages."""

from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Response file", help_text="A CSV or Excel export with one row per respondent"
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
