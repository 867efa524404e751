"""Forms of the system view: a measure, one month's plan and actual, a national file."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from stpkit.system import LAYOUTS, parse_period
from stpkit.system.ods import CODE_PATTERN as ODS_CODE
from stpkit.system.ods import KENT_MEDWAY_GEOGRAPHY
from stpkit.system.ods import KINDS as ODS_KINDS
from stpkit.web.system.models import Benefit, Measure

MAX_UPLOAD = 50 * 1024 * 1024
MONTH_HELP = "The month, for example 2017-01 or January 2017"


class MonthField(forms.CharField):
    """A month typed as 2017-01, Jan-17 or January 2017; cleaned to its first day."""

    def clean(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        month = parse_period(str(text))
        if month is None:
            raise forms.ValidationError("Enter a month, for example 2017-01 or January 2017")
        return month


class MeasureForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "definition",
            "unit",
            "source",
            "frequency",
            "polarity",
            "gap",
            "target",
            "standard",
            "owner",
            "workstream",
            "dataset",
        ]
        labels = {"code": "Short code", "dataset": "National file layout"}
        help_texts = {"code": "Lower-case letters, numbers and underscores, e.g. ae_4hr"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["dataset"] = forms.ChoiceField(
            label="National file layout",
            required=False,
            choices=[("", "None"), *((lay.key, lay.title) for lay in LAYOUTS)],
        )
        if self.instance.pk:
            self.fields["code"].disabled = True  # values and imports refer to it

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        if not code.replace("_", "").isalnum() or code != code.lower():
            raise forms.ValidationError("Use lower-case letters, numbers and underscores only")
        if code == "new":
            raise forms.ValidationError("“new” is kept for the add page; choose another")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "national" and not data.get("dataset"):
            self.add_error("dataset", "A measure from a national file needs its layout")
        return data

    @property
    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None


class ValueForm(forms.Form):
    """One month's trajectory (plan) and actual."""

    period = MonthField(label="Month", help_text=MONTH_HELP)
    planned = forms.FloatField(label="Trajectory (plan)", required=False)
    actual = forms.FloatField(label="Actual", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("planned") is None and data.get("actual") is None and not self.errors:
            raise forms.ValidationError("Enter a trajectory value, an actual, or both")
        return data


class NationalUploadForm(forms.Form):
    file = forms.FileField(
        label="National statistics file (CSV)",
        help_text=(
            "As published by NHS England or NHS Digital; the layout is recognised from its headings"
        ),
    )
    period = MonthField(
        label="Month",
        required=False,
        help_text="Only for files without a period column (the DM01 provider sheet)",
    )
    replace = forms.BooleanField(
        label="Replace the month if it is already loaded",
        required=False,
        help_text="Otherwise a month already loaded is refused, so nothing is counted twice",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a .csv file (save an Excel sheet as CSV first)")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 50 MB")
        return upload


class BenefitForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    baseline_month = MonthField(label="Baseline month", required=False, help_text=MONTH_HELP)
    target_month = MonthField(label="Target month", required=False, help_text=MONTH_HELP)

    class Meta:
        model = Benefit
        fields = [
            "slug",
            "name",
            "workstream",
            "description",
            "measure",
            "baseline",
            "baseline_month",
            "target",
            "target_month",
            "cumulative",
            "owner",
        ]
        labels = {"slug": "Short name (for addresses)", "measure": "Measured by"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            for name in ("baseline_month", "target_month"):
                value = getattr(self.instance, name)
                self.initial[name] = value.strftime("%Y-%m") if value else ""
        if self.instance.pk:
            self.fields["slug"].disabled = True

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug == "new":
            raise forms.ValidationError("“new” is kept for the add page; choose another")
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("baseline_month"), data.get("target_month")
        if start and end and end < start:
            self.add_error("target_month", "The target month must not be before the baseline")
        return data

    @property
    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None


def _codes(text: str) -> list[str]:
    return [c.upper() for c in text.replace(";", " ").replace(",", " ").split()]


class OrganisationUploadForm(forms.Form):
    """An ODS organisation file (etr, ets, eccg, eccgsite) and who rolls up to the partnership."""

    file = forms.FileField(
        label="ODS organisation file (CSV)",
        help_text=(
            "As saved from NHS Digital's ODS data downloads: etr.csv (NHS trusts), ets.csv "
            "(trust sites), eccg.csv (commissioners) or eccgsite.csv, 27 fields and no heading row"
        ),
    )
    kind = forms.ChoiceField(
        label="Which ODS file",
        required=False,
        choices=[("", "Tell from the file name"), *((k.key, k.title) for k in ODS_KINDS)],
    )
    geographies = forms.CharField(
        label="The partnership's health geography codes",
        required=False,
        initial=KENT_MEDWAY_GEOGRAPHY,
        help_text=(
            "Organisations whose High Level Health Geography is one of these roll up to the "
            "partnership (Kent and Medway: QKS); separate codes with spaces"
        ),
    )
    codes = forms.CharField(
        label="Other member codes",
        required=False,
        help_text=(
            "Organisation codes on the partnership's own list, besides Kent and Medway's "
            "built-in ones; separate codes with spaces"
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a .csv file (unzip NHS Digital's download first)")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 50 MB")
        return upload

    def clean_geographies(self) -> list[str]:
        return _codes(str(self.cleaned_data.get("geographies") or ""))

    def clean_codes(self) -> list[str]:
        codes = _codes(str(self.cleaned_data.get("codes") or ""))
        bad = [c for c in codes if not ODS_CODE.match(c)]
        if bad:
            raise forms.ValidationError(f"Not ODS codes: {', '.join(bad[:10])}")
        return codes
