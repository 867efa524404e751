"""Forms of the timeline page and the consultation-and-decision page."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404

from stpkit.web.decisions import services
from stpkit.web.decisions.forms.base import ActionForm, Choices, Day, Text, Version
from stpkit.web.decisions.models import Option, TimelineTask


class AddScenarioForm(ActionForm):
    key = Text()
    name = Text()

    def run(self) -> str:
        sc = services.add_scenario(
            prog=self.context["prog"],
            user=self.user,
            key=self.cleaned_data["key"],
            name=self.cleaned_data["name"],
        )
        return f"Added scenario {sc.name}"


class AddTaskForm(ActionForm):
    key = Text()
    title = Text()
    start = Day("Start")
    finish = Day("Finish")
    lane = forms.CharField(required=False)
    depends_on = Text()
    scenarios = Choices()

    def run(self) -> str:
        d = self.cleaned_data
        t = services.add_task(
            prog=self.context["prog"],
            user=self.user,
            key=d["key"],
            title=d["title"],
            start=d["start"],
            finish=d["finish"],
            lane=d["lane"],
            depends_on=d["depends_on"],
            scenarios=d["scenarios"],
        )
        return f"Added task {t.title}"


class SlipForm(ActionForm):
    task = forms.CharField(required=False)
    forecast_start = Day("Forecast start")
    reason = Text()

    def run(self) -> str:
        t = get_object_or_404(
            TimelineTask, programme=self.context["prog"], key=self.cleaned_data["task"]
        )
        services.record_slip(
            task=t,
            user=self.user,
            forecast_start=self.cleaned_data["forecast_start"],
            reason=self.cleaned_data["reason"],
        )
        return f"Forecast for {t.title} recorded"


TIMELINE_ACTIONS: dict[str, type[ActionForm]] = {
    "scenario": AddScenarioForm,
    "task": AddTaskForm,
    "slip": SlipForm,
}


class ConsultationPeriodForm(ActionForm):
    assured = Day("NHS England approval")
    starts = Day("Starts")
    ends = Day("Ends")
    reference = Text()
    version = Version()

    def run(self) -> str:
        d = self.cleaned_data
        services.set_consultation(
            prog=self.context["prog"],
            user=self.user,
            assured=d["assured"],
            starts=d["starts"],
            ends=d["ends"],
            reference=d["reference"],
            expected_version=d["version"],
        )
        return "Consultation details saved"


class DecisionForm(ActionForm):
    option = forms.CharField(required=False)
    decided_on = Day("Decided on")
    body = Text()
    conditions = Text()
    minutes = Text()

    def run(self) -> str:
        prog = self.context["prog"]
        o = get_object_or_404(Option, programme=prog, code=self.cleaned_data["option"])
        d = self.cleaned_data
        services.record_decision(
            prog=prog,
            user=self.user,
            option=o,
            decided_on=d["decided_on"],
            body=d["body"],
            conditions=d["conditions"],
            minutes=d["minutes"],
        )
        return "Decision recorded"


CONSULTATION_ACTIONS: dict[str, type[ActionForm]] = {
    "period": ConsultationPeriodForm,
    "decision": DecisionForm,
}
