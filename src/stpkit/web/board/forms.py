"""Forms for the board pages; each carries the version it was opened at (stale-edit check)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from stpkit.programme import RAG_ORDER as ORDER
from stpkit.reports.board_update import BoardUpdateError, parse_body
from stpkit.web.board.models import (
    Action,
    AgendaItem,
    BoardMeeting,
    BoardUpdateDraft,
    BudgetLine,
    Decision,
    Paper,
    WorkstreamUpdate,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PAPER_BYTES = 20 * 1024 * 1024
PAPER_TYPES = ["pdf", "docx", "doc", "xlsx", "xls", "pptx", "ppt", "odt", "ods", "csv", "txt"]


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Adds the hidden `version` the user's copy was built from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version

    @property
    def expected_version(self) -> int | None:
        """The version the user saw; 0 if they saw a blank form for a row that now exists
        (someone else created it meanwhile), so the save is refused rather than overwriting."""
        value = self.cleaned_data.get("version")
        if value is None:
            return 0 if self.instance.pk is not None else None
        return int(value)


class UpdateForm(VersionedForm):
    confidence = forms.ChoiceField(
        label="Delivery confidence",
        choices=[(r.value, r.label) for r in ORDER],
        widget=forms.RadioSelect,
    )

    # The "Submit to the programme office" button; absent when saving a draft.
    submit = forms.BooleanField(required=False)

    class Meta:
        model = WorkstreamUpdate
        fields = [
            "confidence",
            "narrative",
            "achievements",
            "next_steps",
            "key_risks",
            "board_asks",
        ]
        labels = {
            "narrative": "Summary of progress",
            "achievements": "Achievements this month",
            "next_steps": "Next steps",
            "key_risks": "Key risks and issues",
            "board_asks": "Asks of the board",
        }
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in fields[1:]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["narrative"].required = True
        self.fields["narrative"].error_messages["required"] = "Enter a summary of progress"
        self.fields["confidence"].error_messages["required"] = "Choose a delivery confidence rating"


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("return", "Send back")])
    comment = forms.CharField(
        label="Comment for the workstream lead", required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs changing when you send an update back")
        return data


class PeriodForm(forms.Form):
    month = forms.DateField(
        label="Month",
        help_text="Any day in the month, for example 1 April 2018",
        widget=DATE_INPUT,
    )


class BudgetLineForm(VersionedForm):
    class Meta:
        model = BudgetLine
        fields = ["name", "planned", "order"]
        labels = {"name": "Budget line", "planned": "Annual plan (£)", "order": "Order"}

    def clean_planned(self) -> Decimal:
        value: Decimal = self.cleaned_data["planned"]
        if value < 0:
            raise forms.ValidationError("A budget cannot be negative: enter zero or more")
        return value


class ActualForm(forms.Form):
    line = forms.ModelChoiceField(queryset=BudgetLine.objects.none(), label="Budget line")
    month = forms.ChoiceField(label="Month")
    amount = forms.DecimalField(label="Spend in the month (£)", max_digits=12, decimal_places=2)

    def __init__(self, *args: Any, lines: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
        self.fields["month"].choices = [(m.isoformat(), f"{m:%B %Y}") for m in months]  # type: ignore[attr-defined]


class MeetingForm(VersionedForm):
    class Meta:
        model = BoardMeeting
        fields = ["date", "period", "location"]
        widgets = {"date": DATE_INPUT}
        labels = {"period": "Reporting period reviewed"}


class AgendaItemForm(VersionedForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "workstream", "presenter", "summary", "order"]
        labels = {"kind": "Type of item", "summary": "What was discussed"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = ["item", "text"]
        labels = {"item": "Agenda item", "text": "Decision"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["item", "description", "owner", "due"]
        labels = {"item": "Agenda item", "description": "Action", "due": "Due by"}
        widgets = {"due": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}


class PaperForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Paper
        fields = ["title", "item", "file"]
        labels = {"item": "Agenda item", "file": "File"}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in PAPER_TYPES:
            raise forms.ValidationError(
                f"{upload.name}: papers must be one of {', '.join(PAPER_TYPES)}"
            )
        if upload.size > MAX_PAPER_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB")
        return upload


class PublicUpdateForm(VersionedForm):
    class Meta:
        model = BoardUpdateDraft
        fields = ["title", "body"]
        labels = {"body": "Sections"}
        widgets = {"body": forms.Textarea(attrs={"rows": 30})}

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        try:
            parse_body(body)
        except BoardUpdateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return body


class WhichForm(forms.Form):
    """Which of a page's several forms was posted: the hidden `form` field, checked
    against the forms the page has ("" when none of them, e.g. a GET)."""

    form = forms.ChoiceField(required=False)

    def __init__(self, data: Any, *, choices: list[str]) -> None:
        super().__init__(data)
        self.fields["form"].choices = [(c, c) for c in choices]  # type: ignore[attr-defined]

    @classmethod
    def posted(cls, data: Any, choices: list[str]) -> str:
        which = cls(data, choices=choices)
        return str(which.cleaned_data["form"]) if data and which.is_valid() else ""


class CloseActionForm(forms.Form):
    """Close an action from a meeting's page, at the version the user saw."""

    action = forms.ModelChoiceField(queryset=Action.objects.all())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublishStepForm(forms.Form):
    """One step of the public update: generate (or regenerate), publish, unpublish."""

    step = forms.ChoiceField(
        choices=[("generate", "Generate"), ("publish", "Publish"), ("unpublish", "Unpublish")]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
