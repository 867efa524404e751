"""Forms of the criteria (weights), scoring and results pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import get_object_or_404

from stpkit.web.decisions import services
from stpkit.web.decisions.forms.base import ActionForm, Choices, Number, Text, Version, refuse
from stpkit.web.decisions.models import EvaluationCriterion, Option


class WeightsForm(ActionForm):
    """One weight per criterion, posted as `w-<key>`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in self.context["criteria"]:
            self.fields[f"w-{c.key}"] = Number(c.name)

    def run(self) -> str:
        services.set_weights(
            prog=self.context["prog"],
            user=self.user,
            weights={c.key: self.cleaned_data[f"w-{c.key}"] for c in self.context["criteria"]},
        )
        return "Weights saved (not yet locked)"


class ScoringRulesForm(ActionForm):
    scale_max = Number("Top of the scale")
    moderation_spread = Number("Moderation threshold")

    def run(self) -> str:
        services.set_scoring_rules(
            prog=self.context["prog"],
            user=self.user,
            scale_max=self.cleaned_data["scale_max"],
            moderation_spread=self.cleaned_data["moderation_spread"],
        )
        return "Scoring scale and moderation threshold saved"


class LockWeightsForm(ActionForm):
    def run(self) -> str:
        services.lock_weights(prog=self.context["prog"], user=self.user)
        return "Weights agreed and locked: scoring may begin"


class UnlockWeightsForm(ActionForm):
    reason = Text()

    def run(self) -> str:
        services.unlock_weights(
            prog=self.context["prog"], user=self.user, reason=self.cleaned_data["reason"]
        )
        return "Weights unlocked"


class AddCriterionForm(ActionForm):
    group = Text()
    key = Text()
    name = Text()
    description = Text()

    def run(self) -> str:
        d = self.cleaned_data
        c = services.add_evaluation_criterion(
            prog=self.context["prog"],
            user=self.user,
            group=d["group"],
            key=d["key"],
            name=d["name"],
            description=d["description"],
        )
        return f"Added criterion {c.name}"


class _CriterionForm(ActionForm):
    criterion = forms.CharField(required=False)
    reason = Text()
    version = Version()

    def criterion_row(self) -> EvaluationCriterion:
        return get_object_or_404(
            EvaluationCriterion, programme=self.context["prog"], key=self.cleaned_data["criterion"]
        )


class EditCriterionForm(_CriterionForm):
    group = Text()
    name = Text()
    description = Text()

    def run(self) -> str:
        c = self.criterion_row()
        d = self.cleaned_data
        services.update_evaluation_criterion(
            c=c,
            user=self.user,
            group=d["group"],
            name=d["name"],
            description=d["description"],
            reason=d["reason"],
            expected_version=d["version"],
        )
        return f"Criterion {c.name!r} saved"


class RemoveCriterionForm(_CriterionForm):
    def run(self) -> str:
        c = self.criterion_row()
        services.remove_evaluation_criterion(
            c=c,
            user=self.user,
            reason=self.cleaned_data["reason"],
            expected_version=self.cleaned_data["version"],
        )
        return f"Removed the criterion {c.name!r}"


CRITERIA_ACTIONS: dict[str, type[ActionForm]] = {
    "weights": WeightsForm,
    "rules": ScoringRulesForm,
    "lock": LockWeightsForm,
    "unlock": UnlockWeightsForm,
    "add": AddCriterionForm,
    "edit": EditCriterionForm,
    "remove": RemoveCriterionForm,
}


class OpenRoundForm(ActionForm):
    scorers = Choices()

    def run(self) -> str:
        chosen = self.cleaned_data["scorers"]
        panel = [u for u in services.panel_candidates() if u.username in chosen]
        if len(panel) < 2:
            raise refuse("A scoring panel needs at least two scorers, each scoring independently")
        new = services.open_round(prog=self.context["prog"], user=self.user, scorers=panel)
        return f"Round {new.number} opened for {len(panel)} scorers"


class _RoundForm(ActionForm):
    """An action on the latest round, refused before any round is opened."""

    def round(self) -> Any:
        rnd = self.context["rnd"]
        if rnd is None:
            raise refuse("No scoring round has been opened")
        return rnd


class ScoresForm(_RoundForm):
    """A scorer's score (`s-<option>-<criterion>`) and rationale (`r-...`) for every cell."""

    editor_only = False  # any scorer on the round's panel, checked by the service

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.context["rnd"] is None:
            return
        for o in self.context["options"]:
            for c in self.context["criteria"]:
                self.fields[f"s-{o.code}-{c.key}"] = Number(
                    f"{o.code} on {c.name}", needed=f"Score {o.code} on {c.name}: a score is needed"
                )
                self.fields[f"r-{o.code}-{c.key}"] = Text()

    def run(self) -> str:
        rnd = self.round()
        d = self.cleaned_data
        n = services.submit_scores(
            rnd=rnd,
            scorer=self.user,
            scores={
                (o.code, c.key): (d[f"s-{o.code}-{c.key}"], d[f"r-{o.code}-{c.key}"])
                for o in self.context["options"]
                for c in self.context["criteria"]
            },
        )
        return f"Your {n} scores are recorded; others see them when the round closes"


class CloseRoundForm(_RoundForm):
    def run(self) -> str:
        rnd = self.round()
        services.close_round(rnd=rnd, user=self.user)
        return f"Round {rnd.number} closed: scores revealed"


class ModerateForm(_RoundForm):
    option = forms.CharField(required=False)
    criterion = forms.CharField(required=False)
    score = Number("Moderated score")
    reason = Text()

    def run(self) -> str:
        rnd = self.round()
        prog = self.context["prog"]
        o = get_object_or_404(Option, programme=prog, code=self.cleaned_data["option"])
        c = get_object_or_404(
            EvaluationCriterion, programme=prog, key=self.cleaned_data["criterion"]
        )
        services.moderate(
            rnd=rnd,
            user=self.user,
            option=o,
            criterion=c,
            score=self.cleaned_data["score"],
            reason=self.cleaned_data["reason"],
        )
        return f"Moderated score recorded for {o.code} on {c.name}"


SCORING_ACTIONS: dict[str, type[ActionForm]] = {
    "open": OpenRoundForm,
    "score": ScoresForm,
    "close": CloseRoundForm,
    "moderate": ModerateForm,
}


class ChoosePreferredForm(ActionForm):
    option = forms.CharField(required=False)

    def run(self) -> str:
        prog = self.context["prog"]
        o = get_object_or_404(Option, programme=prog, code=self.cleaned_data["option"])
        services.choose_preferred(prog=prog, user=self.user, option=o)
        return f"Preferred option recorded: {o}"


RESULTS_ACTIONS: dict[str, type[ActionForm]] = {"choose": ChoosePreferredForm}
