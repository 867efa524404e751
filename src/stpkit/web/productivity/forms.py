"""Forms of the productivity area (uploads and the audited edits)."""

from __future__ import annotations

from django import forms

from stpkit.web.productivity.models import Scheme, WorkingGroup

MAX_UPLOAD = 20 * 1024 * 1024


class UploadField(forms.FileField):
    """A CSV or Excel file of at most 20 MB."""

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .csv or .xlsx file")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 20 MB")
        return upload


class BenchmarkImportForm(forms.Form):
    metrics = UploadField(
        label="Provider metrics",
        help_text="CSV or Excel with columns provider, metric, period, value, denominator",
    )
    peers = UploadField(
        label="Peer groups (optional)",
        required=False,
        help_text=(
            "CSV or Excel with columns provider, peer_group; "
            "leave empty to keep the current peer groups"
        ),
    )


class SavingsImportForm(forms.Form):
    savings = UploadField(
        label="Savings plan",
        help_text=(
            "CSV or Excel with columns working_group, scheme, month, planned, actual, confidence"
        ),
    )


class WorkingGroupForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = WorkingGroup
        fields = ["lead", "scope", "status"]


class SchemeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Scheme
        fields = ["name", "confidence"]
