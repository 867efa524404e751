"""Forms for the enabling workstreams; each edit form carries the version it was opened at."""

from __future__ import annotations

from typing import Any

from django import forms

from stpkit import enablers as eng
from stpkit.enablers import REQUEST_STATUSES
from stpkit.web.enablers.models import (
    PLAN_YEARS,
    RESOURCES,
    AgencyCap,
    Building,
    CapitalEnvelope,
    CapitalScheme,
    GroupAssumption,
    Initiative,
    InitiativeNeed,
    ServiceChangeWorkforce,
    Site,
    WorkstreamRequest,
)
from stpkit.web.programme.models import Workstream

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_UPLOAD = 20 * 1024 * 1024


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Adds the hidden `version` the item had when the form was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_FORMATS
                field.error_messages["invalid"] = "Enter a real date, for example 31/01/2018"
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    @property
    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None

    def _not_negative(self, *names: str) -> None:
        for name in names:
            value = self.cleaned_data.get(name)
            if value is not None and value < 0:
                self.add_error(name, "Enter 0 or more")


class SiteForm(VersionedForm):
    class Meta:
        model = Site
        fields = ["code", "name", "organisation", "postcode"]

    def clean_postcode(self) -> str:
        """Stored as the returns write it: capitals, one space before the inward code."""
        raw = "".join(str(self.cleaned_data.get("postcode") or "").split()).upper()
        if not raw:
            return ""
        if not (5 <= len(raw) <= 7 and raw[-3].isdigit() and raw[:1].isalpha()):
            raise forms.ValidationError("Enter a full postcode, for example ME7 5NY")
        return f"{raw[:-3]} {raw[-3:]}"


class BuildingForm(VersionedForm):
    class Meta:
        model = Building
        fields = [
            "name",
            "use",
            "tenure",
            "owner",
            "floor_area_m2",
            "condition",
            "backlog_high",
            "backlog_significant",
            "backlog_moderate",
            "backlog_low",
            "running_cost_per_m2",
            "utilisation_pct",
            "void_m2",
            "listed",
            "disposal_receipt",
            "shared_with",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_negative(
            "floor_area_m2",
            "backlog_high",
            "backlog_significant",
            "backlog_moderate",
            "backlog_low",
            "running_cost_per_m2",
            "void_m2",
            "disposal_receipt",
        )
        util = data.get("utilisation_pct")
        if util is not None and not 0 <= util <= 100:
            self.add_error("utilisation_pct", "Enter a percentage from 0 to 100")
        area, void = data.get("floor_area_m2"), data.get("void_m2")
        if area is not None and void is not None and void > area:
            self.add_error("void_m2", "Void space cannot be more than the floor area")
        return data


class ReturnForm(forms.Form):
    """Upload one year's return: two files (CSV or Excel)."""

    KINDS = {
        "estates": ("Sites file", "Buildings file"),
        "workforce": ("Staff in post file (one row a person)", "Measures file"),
    }
    kind = forms.ChoiceField(
        choices=[("estates", "Estates return"), ("workforce", "Workforce return")]
    )
    year = forms.IntegerField(min_value=2010, max_value=2040, help_text="For example 2017")
    first = forms.FileField(label="Sites file, or staff in post file")
    second = forms.FileField(label="Buildings file, or measures file")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("first", "second"):
            f = data.get(name)
            if f is None:
                continue
            if not f.name.lower().endswith((".csv", ".xlsx")):
                self.add_error(name, "Upload a CSV (.csv) or Excel (.xlsx) file")
            elif f.size > MAX_UPLOAD:
                self.add_error(name, "The file is larger than 20 MB")
        return data


def _range_fields() -> list[str]:
    return [
        f"{n}_{w}"
        for n in ("training", "recruitment", "retirement", "turnover", "growth")
        for w in ("low", "central", "high")
    ]


class AssumptionForm(VersionedForm):
    class Meta:
        model = GroupAssumption
        fields = _range_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in ("training", "recruitment", "retirement", "turnover", "growth"):
            lo, mid, hi = (data.get(f"{n}_{w}") for w in ("low", "central", "high"))
            if None in (lo, mid, hi):
                continue
            if not lo <= mid <= hi:  # type: ignore[operator]
                self.add_error(f"{n}_central", "Low must not exceed central, nor central high")
            if n != "growth" and lo < 0:  # type: ignore[operator]
                self.add_error(f"{n}_low", "Enter 0 or more")
            if n in ("retirement", "turnover") and hi > 1:  # type: ignore[operator]
                self.add_error(f"{n}_high", "A rate is a share from 0 to 1")
        return data


class ServiceChangeForm(VersionedForm):
    class Meta:
        model = ServiceChangeWorkforce
        fields = ["option", "staff_group", "plan_year", "wte"]

    def clean_plan_year(self) -> int:
        year = self.cleaned_data["plan_year"]
        if not 1 <= year <= 5:
            raise forms.ValidationError("Enter a year of the plan from 1 to 5")
        return int(year)


class AgencyCapForm(VersionedForm):
    class Meta:
        model = AgencyCap
        fields = ["organisation", "year", "cap"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_negative("cap")
        return data


class SchemeForm(VersionedForm):
    class Meta:
        model = CapitalScheme
        fields = [
            "code",
            "name",
            "organisation",
            "workstream",
            "option_code",
            "purpose",
            "funding_source",
            "stage",
            "benefits",
            "cost_y1",
            "cost_y2",
            "cost_y3",
            "cost_y4",
            "cost_y5",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_negative(*(f"cost_y{k}" for k in range(1, 6)))
        return data


class EnvelopeForm(VersionedForm):
    class Meta:
        model = CapitalEnvelope
        fields = ["year", "amount"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_negative("amount")
        return data


class InitiativeForm(VersionedForm):
    class Meta:
        model = Initiative
        fields = [
            "code",
            "name",
            "workstream",
            "value_benefits",
            "value_health",
            "value_care",
            "value_finance",
            "value_risk",
            "value",
            "benefits",
            "mandatory",
            "requires",
        ]
        labels = {
            "value_benefits": "Value: benefits (points)",
            "value_health": "Value: health and wellbeing gap (points)",
            "value_care": "Value: care and quality gap (points)",
            "value_finance": "Value: funding and efficiency gap (points)",
            "value_risk": "Risk (points taken off)",
            "value": "Value in one figure (points)",
        }
        help_texts = {
            "value": "Leave blank when the parts above are given: the value is then their "
            "sum less the risk."
        }

    PARTS = {
        "benefits": "value_benefits",
        "health": "value_health",
        "care": "value_care",
        "finance": "value_finance",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].required = False
        requires = self.fields["requires"]
        assert isinstance(requires, forms.ModelMultipleChoiceField)
        requires.queryset = Initiative.objects.exclude(pk=self.instance.pk)
        requires.widget = forms.SelectMultiple(attrs={"size": 6})

    def clean(self) -> dict[str, Any]:
        """The value is the parts' sum less the risk when any part is given; otherwise the
        one figure is required."""
        data = super().clean() or {}
        parts = {k: data.get(f) for k, f in self.PARTS.items()}
        given = {k: float(v) for k, v in parts.items() if v is not None}
        if given or data.get("value_risk") is not None:
            value = eng.combined_value(given, float(data.get("value_risk") or 0))
            if data.get("value") not in (None, round(value)):
                self.add_error(
                    "value",
                    f"The parts come to {value:,.0f} points; leave this blank or enter that",
                )
            data["value"] = round(value)
            self.instance.value = round(value)
        elif data.get("value") is None:
            self.add_error("value", "Enter the value, or its parts above")
        return data


class NeedForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = InitiativeNeed
        fields = ["resource", "period", "amount"]

    def clean_amount(self) -> float:
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError("Enter 0 or more")
        return float(amount)


class LimitForm(forms.Form):
    """The limit of a resource in a year; setting one that exists changes it."""

    resource = forms.ChoiceField(choices=list(RESOURCES.items()))
    period = forms.ChoiceField(choices=[(y, y) for y in PLAN_YEARS], label="Year")
    amount = forms.FloatField(help_text="GBP for money, WTE for staff")

    def clean_amount(self) -> float:
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError("Enter 0 or more")
        return float(amount)


class RequestForm(VersionedForm):
    """A transformation workstream asks an enabling one for something by a date."""

    class Meta:
        model = WorkstreamRequest
        fields = ["from_workstream", "to_workstream", "title", "detail", "needed_by"]

    def __init__(self, *args: Any, from_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to_workstream"]
        frm = self.fields["from_workstream"]
        assert isinstance(to, forms.ModelChoiceField) and isinstance(frm, forms.ModelChoiceField)
        to.queryset = Workstream.objects.filter(kind=Workstream.Kind.ENABLING)
        frm.queryset = (
            from_choices
            if from_choices is not None
            else Workstream.objects.exclude(kind=Workstream.Kind.ENABLING)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_workstream") and data.get("from_workstream") == data.get("to_workstream"):
            self.add_error("to_workstream", "A workstream cannot ask itself")
        return data


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        choices=[(k, v) for k, v in REQUEST_STATUSES.items() if k != "open"],
        label="Answer",
    )
    response = forms.CharField(
        widget=forms.Textarea, required=False, help_text="What will be done and when, or why not"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == "declined" and not (data.get("response") or "").strip():
            self.add_error("response", "Say why the request is declined")
        return data
