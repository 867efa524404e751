from __future__ import annotations

from django import forms


class MarkReadForm(forms.Form):
    """Mark one notification read (`notification`), or all of them (`all`)."""

    notification = forms.IntegerField(required=False, min_value=1)
    all = forms.BooleanField(required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("notification") and not data.get("all"):
            raise forms.ValidationError("Choose a notification to mark as read.")
        return data


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, strip=True)
