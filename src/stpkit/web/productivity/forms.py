"""Forms of the productivity area (uploads and the audited edits)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from stpkit.productivity import ProductivityError, plan_year_months
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


class BridgeImportForm(forms.Form):
    bridge = UploadField(
        label="Financial bridge",
        help_text="CSV or Excel with columns label, kind (change, subtotal, end), amount, note",
    )


class WorkingGroupForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    focus_areas = forms.CharField(
        required=False, widget=forms.Textarea, help_text="One focus area per line"
    )
    targets = forms.CharField(
        label="Targets by plan year",
        required=False,
        widget=forms.Textarea,
        help_text="One line per plan year, like “2020/21: 48,000,000” (GBP) or “2020/21: TBC”",
    )

    class Meta:
        model = WorkingGroup
        fields = ["lead", "scope", "status"]

    def clean_focus_areas(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["focus_areas"].splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def clean_targets(self) -> dict[str, Decimal | None]:
        """plan year -> amount (None: to be confirmed); every bad line named."""
        targets: dict[str, Decimal | None] = {}
        problems = []
        for number, line in enumerate(self.cleaned_data["targets"].splitlines(), start=1):
            if not line.strip():
                continue
            year, _, amount = (part.strip() for part in line.partition(":"))
            try:
                plan_year_months(year)
            except ProductivityError:
                problems.append(f"line {number}: “{year}” is not a plan year like 2020/21")
                continue
            if year in targets:
                problems.append(f"line {number}: {year} is given twice")
            if amount.upper() in ("", "TBC"):
                targets[year] = None
                continue
            try:
                value = Decimal(amount.replace(",", "").replace("£", ""))
            except InvalidOperation:
                value = Decimal(-1)
            if not value.is_finite() or value < 0:
                problems.append(f"line {number}: “{amount}” is not an amount in pounds or TBC")
                continue
            targets[year] = value
        if problems:
            raise forms.ValidationError("; ".join(problems))
        return targets


class SchemeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Scheme
        fields = ["name", "confidence"]
