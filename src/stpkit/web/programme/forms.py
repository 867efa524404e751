"""Forms for programme items; each carries the version it was opened at (stale-edit check)."""

from __future__ import annotations

from typing import Any

from django import forms

from stpkit.programme import InvalidScoreError, RiskBands
from stpkit.web.core.widgets import LongSelect
from stpkit.web.programme.models import Milestone, Objective, Risk, RiskPolicy, Workstream

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERROR = "Enter a real date, for example 31/01/2018"


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
                field.error_messages["invalid"] = DATE_ERROR
                field.widget = DATE_WIDGET

    @property
    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None


class WorkstreamForm(VersionedForm):
    class Meta:
        model = Workstream
        fields = ["lead", "senior_responsible_officer", "kind", "status", "description"]
        labels = {"lead": "Workstream lead", "kind": "Type"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from stpkit.web.accounts.models import User
        from stpkit.web.accounts.roles import Role

        lead = self.fields["lead"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = User.objects.filter(role=Role.WORKSTREAM_LEAD.value).order_by("username")
        lead.help_text = "People with the workstream lead role"


class NewWorkstreamForm(WorkstreamForm):
    """The programme office adds a workstream: its name and short name, then the rest."""

    class Meta(WorkstreamForm.Meta):
        fields = ["name", "slug", *WorkstreamForm.Meta.fields]
        labels = {**WorkstreamForm.Meta.labels, "slug": "Short name (for addresses and imports)"}
        help_texts = {"slug": "Lower-case letters, numbers and hyphens, e.g. urgent-care"}

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug == "new":  # /programme/workstreams/new/ is the page to add one
            raise forms.ValidationError("“new” is kept for the add page; choose another")
        return slug


class ObjectiveForm(VersionedForm):
    class Meta:
        model = Objective
        fields = ["text", "gap"]
        labels = {"text": "Aim or objective", "gap": "Gap it closes"}


class MilestoneForm(VersionedForm):
    # Why the dates moved, when a caller posts one (kept in the change history).
    reason = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    class Meta:
        model = Milestone
        fields = [
            "title",
            "description",
            "owner",
            "status",
            "start_date",
            "baseline_date",
            "forecast_date",
        ]
        help_texts = {
            "baseline_date": "The date agreed when the plan was approved",
            "forecast_date": "When it is now expected",
        }

    def __init__(self, *args: Any, workstream: Workstream, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workstream = workstream

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, baseline = data.get("start_date"), data.get("baseline_date")
        forecast = data.get("forecast_date")
        if start and baseline and start > baseline:
            self.add_error("start_date", "The start date must be on or before the baseline date")
        if start and forecast and start > forecast:
            self.add_error("start_date", "The start date must be on or before the forecast date")
        title = data.get("title")
        if title:
            clash = Milestone.objects.filter(workstream=self.workstream, title=title)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "title", f"{self.workstream.name} already has a milestone with this title"
                )
        return data

    def validate_unique(self) -> None:
        """Uniqueness of (workstream, title) is checked in `clean` with a clearer message."""


class LevelField(forms.TypedChoiceField):
    def __init__(self, label: str, required: bool = True) -> None:
        super().__init__(
            label=label,
            choices=([("", "Not set")] if not required else [])
            + [(str(i), str(i)) for i in range(1, 6)],
            coerce=int,
            required=required,
            empty_value=None,
            error_messages={"invalid_choice": f"{label} must be a whole number from 1 to 5"},
        )


class RiskForm(VersionedForm):
    likelihood = LevelField("Likelihood (1 rare to 5 almost certain)")
    consequence = LevelField("Consequence (1 negligible to 5 catastrophic)")
    target_likelihood = LevelField("Target likelihood", required=False)
    target_consequence = LevelField("Target consequence", required=False)

    class Meta:
        model = Risk
        fields = [
            "workstream",
            "kind",
            "title",
            "description",
            "owner",
            "likelihood",
            "consequence",
            "target_likelihood",
            "target_consequence",
            "mitigations",
            "review_date",
            "status",
        ]
        labels = {"kind": "Risk or issue", "workstream": "Workstream (blank: programme-wide)"}

    def __init__(self, *args: Any, workstreams: list[Workstream], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ws = self.fields["workstream"]
        assert isinstance(ws, forms.ModelChoiceField)
        ws.queryset = Workstream.objects.filter(pk__in=[w.pk for w in workstreams])
        ws.empty_label = "Programme-wide"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tl, tc = data.get("target_likelihood"), data.get("target_consequence")
        if (tl is None) != (tc is None):
            self.add_error(
                "target_consequence", "Give both target likelihood and consequence, or neither"
            )
        return data


class RiskPolicyForm(VersionedForm):
    class Meta:
        model = RiskPolicy
        fields = ["low_max", "moderate_max", "high_max", "escalation_threshold"]
        labels = {
            "low_max": "Low band: scores up to",
            "moderate_max": "Moderate band: scores up to",
            "high_max": "High band: scores up to (extreme above)",
            "escalation_threshold": "Escalate to the board at scores of at least",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            RiskBands(
                data.get("low_max") or 0, data.get("moderate_max") or 0, data.get("high_max") or 0
            )
        except InvalidScoreError as err:
            raise forms.ValidationError(str(err)) from None
        threshold = data.get("escalation_threshold")
        if threshold is not None and not 1 <= threshold <= 25:
            self.add_error("escalation_threshold", "The threshold must be a score from 1 to 25")
        return data


def _milestone_choice_label(m: Milestone) -> str:
    return f"{m.workstream.name}: {m.title} ({m.forecast_date:%d %b %Y})"


class DependencyForm(forms.Form):
    predecessor = forms.ModelChoiceField(
        queryset=Milestone.objects.none(),
        label="Waits for (milestone)",
        empty_label="Choose a milestone",
        widget=LongSelect,
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["predecessor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Milestone.objects.select_related("workstream").order_by(
            "workstream__order", "forecast_date"
        )
        field.label_from_instance = _milestone_choice_label  # type: ignore[method-assign,assignment]


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        choices=[("milestones", "Milestones"), ("risks", "Risks")], label="What the file holds"
    )
    file = forms.FileField(label="Excel file (.xlsx) made from the template")
