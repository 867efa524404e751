"""Forms of the options, option and hurdles pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import get_object_or_404

from stpkit.web.core.labels import counted
from stpkit.web.decisions import services, stroke_source
from stpkit.web.decisions.forms.base import ActionForm, Number, Text, Version, refuse
from stpkit.web.decisions.models import HurdleCriterion, Option

REGION = "Kent and Medway"


class GenerateOptionsForm(ActionForm):
    low = Number("Fewest HASUs", default="3")
    high = Number("Most HASUs", default="3")

    def run(self) -> str:
        low, high = int(self.cleaned_data["low"]), int(self.cleaned_data["high"])
        if not 1 <= low <= high <= 7:
            raise refuse("HASU counts must satisfy 1 <= fewest <= most <= 7")
        found = stroke_source.long_list_options(REGION, range(low, high + 1))
        n = services.import_options(
            prog=self.context["prog"], user=self.user, options=found, scope=REGION
        )
        return f"The stroke model generated {n} options (today included)"


class _OptionFields(ActionForm):
    """The options-framework dimensions an option is described by."""

    name = forms.CharField(required=False)
    members = forms.CharField(required=False)
    description = Text()
    scope = Text()
    service_solution = Text()
    service_delivery = Text()
    implementation = Text()
    funding = Text()
    business_as_usual = forms.BooleanField(required=False)
    do_minimum = forms.BooleanField(required=False)

    def fields_posted(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in services.OPTION_FIELDS}


class AddOptionForm(_OptionFields):
    code = forms.CharField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("code") or not data.get("name"):
            raise forms.ValidationError("An option needs a code and a name")
        return data

    def run(self) -> str:
        o = services.add_option(
            prog=self.context["prog"],
            user=self.user,
            code=self.cleaned_data["code"],
            **self.fields_posted(),
        )
        return f"Added option {o}"


OPTIONS_ACTIONS: dict[str, type[ActionForm]] = {
    "generate": GenerateOptionsForm,
    "add": AddOptionForm,
}


class EditOptionForm(_OptionFields):
    version = Version()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for k in services.OPTION_FIELDS:
            if k not in ("business_as_usual", "do_minimum"):
                data[k] = str(data.get(k, "")).strip()
        return data

    def run(self) -> str:
        o = self.context["option"]
        services.update_option(
            option=o,
            user=self.user,
            fields=self.fields_posted(),
            expected_version=self.cleaned_data["version"],
        )
        return f"Option {o.code} saved"


OPTION_ACTIONS: dict[str, type[ActionForm]] = {"save": EditOptionForm}


class HurdleRuleForm(ActionForm):
    name = Text()
    description = Text()
    metric = Text()
    minimum = Number("Minimum", optional=True)
    maximum = Number("Maximum", optional=True)


class AddHurdleForm(HurdleRuleForm):
    def run(self) -> str:
        d = self.cleaned_data
        h = services.add_hurdle_criterion(
            prog=self.context["prog"],
            user=self.user,
            name=d["name"],
            description=d["description"],
            metric=d["metric"],
            minimum=d["minimum"],
            maximum=d["maximum"],
        )
        return f"Added hurdle criterion {h.name}"


class EditHurdleForm(HurdleRuleForm):
    criterion = forms.CharField(required=False)
    reason = Text()
    version = Version()

    def criterion_row(self) -> HurdleCriterion:
        pk = self.cleaned_data["criterion"] or None
        return get_object_or_404(HurdleCriterion, programme=self.context["prog"], pk=pk)

    def run(self) -> str:
        h = self.criterion_row()
        d = self.cleaned_data
        n = services.update_hurdle_criterion(
            h=h,
            user=self.user,
            name=d["name"],
            description=d["description"],
            metric=d["metric"],
            minimum=d["minimum"],
            maximum=d["maximum"],
            reason=d["reason"],
            expected_version=d["version"],
        )
        again = f"; {n} results under the old rule withdrawn, to check again" if n else ""
        return f"Hurdle criterion {h.name!r} saved{again}"


class RemoveHurdleForm(ActionForm):
    criterion = forms.CharField(required=False)
    reason = Text()
    version = Version()

    def run(self) -> str:
        pk = self.cleaned_data["criterion"] or None
        h = get_object_or_404(HurdleCriterion, programme=self.context["prog"], pk=pk)
        n = services.remove_hurdle_criterion(
            h=h,
            user=self.user,
            reason=self.cleaned_data["reason"],
            expected_version=self.cleaned_data["version"],
        )
        gone = f" with its {n} recorded results" if n else ""
        return f"Removed the hurdle criterion {h.name!r}{gone}"


class ComputeHurdlesForm(ActionForm):
    def run(self) -> str:
        n = services.apply_computed_hurdles(prog=self.context["prog"], user=self.user)
        return f"Checked {n} option-hurdle pairs against model figures"


class JudgeHurdleForm(ActionForm):
    option = forms.CharField(required=False)
    criterion = forms.CharField(required=False)
    passed = forms.CharField(required=False)
    reason = Text()

    def run(self) -> str:
        prog = self.context["prog"]
        o = get_object_or_404(Option, programme=prog, code=self.cleaned_data["option"])
        pk = self.cleaned_data["criterion"] or None
        h = get_object_or_404(HurdleCriterion, programme=prog, pk=pk)
        passed = self.cleaned_data["passed"] == "yes"
        services.record_hurdle(
            option=o, criterion=h, passed=passed, reason=self.cleaned_data["reason"], user=self.user
        )
        return f"Recorded: option {o.code} {'passes' if passed else 'fails'} “{h.name}”"


class JudgeAllHurdlesForm(ActionForm):
    """The whole grid of judged hurdles in one post: for each option and judged hurdle,
    `r-<code>-<hurdle>` is pass, fail or blank (leave as it is) and `why-<code>-<hurdle>`
    the reason (required for a fail)."""

    def __init__(self, data: Any, *, user: Any, **context: Any) -> None:
        super().__init__(data, user=user, **context)
        prog = context["prog"]
        self.cells = [
            (o, h) for o in prog.options.all() for h in prog.hurdle_criteria.all() if not h.computed
        ]
        for o, h in self.cells:
            self.fields[f"r-{o.code}-{h.pk}"] = forms.ChoiceField(
                choices=[("", "Leave"), ("pass", "Pass"), ("fail", "Fail")], required=False
            )
            self.fields[f"why-{o.code}-{h.pk}"] = forms.CharField(required=False, max_length=2000)

    def run(self) -> str:
        chosen = []
        for o, h in self.cells:
            result = self.cleaned_data[f"r-{o.code}-{h.pk}"]
            if result:
                why = self.cleaned_data[f"why-{o.code}-{h.pk}"]
                chosen.append((o, h, result == "pass", why))
        if not chosen:
            raise refuse("Choose Pass or Fail for at least one option and hurdle")
        n = services.record_hurdles(prog=self.context["prog"], results=chosen, user=self.user)
        fails = sum(not passed for _, _, passed, _ in chosen)
        return f"Recorded {counted(n, 'hurdle result')} ({counted(fails, 'fail')})"


class SiftForm(ActionForm):
    def run(self) -> str:
        kept, rejected = services.sift(prog=self.context["prog"], user=self.user)
        return f"{kept} options go forward, {rejected} rejected with their reasons"


HURDLE_ACTIONS: dict[str, type[ActionForm]] = {
    "add": AddHurdleForm,
    "edit": EditHurdleForm,
    "remove": RemoveHurdleForm,
    "compute": ComputeHurdlesForm,
    "judge": JudgeHurdleForm,
    "judge_all": JudgeAllHurdlesForm,
    "sift": SiftForm,
}
