"""Evaluation criteria and their swing weights, the scoring scale and the weights lock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from stpkit.decisions import WeightsError, panel
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import EvaluationCriterion, PanelScore, Programme
from stpkit.web.decisions.services.queries import weighted_criteria
from stpkit.web.decisions.services.rules import (
    check_editable,
    clean_or_refuse,
    need_reason,
    remove_indexed,
)


@transaction.atomic
def set_weights(*, prog: Programme, user: Any, weights: Mapping[str, float]) -> None:
    """Change swing weights (criterion key -> percent); refused once locked or out of stage."""
    check_editable(prog, "weights")
    if prog.weights_locked:
        raise WeightsError("The swing weights are locked: unlock them (with a reason) to change")
    crits = {c.key: c for c in prog.evaluation_criteria.all()}
    unknown = sorted(set(weights) - set(crits))
    if unknown:
        raise WeightsError(f"Unknown criteria {unknown}; the criteria are {sorted(crits)}")
    with transaction.atomic():
        for key, w in weights.items():
            c = crits[key]
            if c.weight != float(w):
                c.weight = float(w)
                audited_save(c, user)


@transaction.atomic
def set_scoring_rules(
    *, prog: Programme, user: Any, scale_max: float, moderation_spread: float
) -> None:
    """The panel's scale (0 to `scale_max`) and the spread that needs moderating.

    Agreed with the weights: refused once they are locked or outside their stage.
    """
    check_editable(prog, "weights")
    if prog.weights_locked:
        raise WeightsError(
            "The scoring scale and moderation threshold are locked with the weights: "
            "unlock them (with a reason) to change"
        )
    if not scale_max > 0:
        raise WeightsError(f"The top of the scoring scale must be above 0, not {scale_max:g}")
    if not 0 <= moderation_spread <= scale_max:
        raise WeightsError(
            f"The moderation threshold must lie between 0 and the top of the scale "
            f"({scale_max:g}), not {moderation_spread:g}"
        )
    prog.scale_max, prog.moderation_spread = float(scale_max), float(moderation_spread)
    audited_save(prog, user)


@transaction.atomic
def lock_weights(*, prog: Programme, user: Any, at: datetime | None = None) -> None:
    """Agree and lock the weights; they must sum to 100. `at`: when they were agreed, if
    not now (a demo or a record entered after the meeting)."""
    check_editable(prog, "weights")
    panel.check_weights(weighted_criteria(prog))
    prog.weights_locked = True
    prog.weights_locked_at = at or timezone.now()
    prog.weights_locked_by = user
    audited_save(prog, user)


@transaction.atomic
def unlock_weights(*, prog: Programme, user: Any, reason: str) -> None:
    check_editable(prog, "weights")
    if len(reason.strip()) < 10:
        raise WeightsError("Unlocking the weights needs a reason (at least 10 characters)")
    if prog.rounds.filter(scores__isnull=False).exists():
        raise WeightsError("Panel scores exist: weights cannot be unlocked after scoring began")
    prog.weights_locked = False
    audited_save(prog, user, reason=reason.strip())


@transaction.atomic
def add_evaluation_criterion(
    *, prog: Programme, user: Any, group: str, key: str, name: str, description: str = ""
) -> EvaluationCriterion:
    """A criterion in one of the groups, weight 0 until the weights are set."""
    check_editable(prog, "weights")
    if prog.weights_locked:
        raise WeightsError("The weights are locked: unlock them (with a reason) to add criteria")
    groups = dict(EvaluationCriterion.GROUPS)
    if group not in groups:
        raise WeightsError(f"Unknown group {group!r}; the groups are {', '.join(groups)}")
    c = EvaluationCriterion(
        programme=prog, group=group, key=key.strip(), name=name.strip(), description=description
    )
    if not c.key or not c.name:
        raise WeightsError("A criterion needs a key and a name")
    if prog.evaluation_criteria.filter(key=c.key).exists():
        raise WeightsError(f"{prog} already has a criterion with key {c.key!r}")
    clean_or_refuse(c, WeightsError, f"Criterion {c.key!r} was not added")
    audited_save(c, user)
    return c


def check_criteria_open(prog: Programme, doing: str) -> None:
    check_editable(prog, "weights")
    if prog.weights_locked:
        raise WeightsError(f"The weights are locked: unlock them (with a reason) to {doing}")


@transaction.atomic
def update_evaluation_criterion(
    *,
    c: EvaluationCriterion,
    user: Any,
    group: str,
    name: str,
    description: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> EvaluationCriterion:
    """Change a criterion's group, name or description (its key and weight stay: the weight
    is set with the others on the criteria page)."""
    prog = c.programme
    check_criteria_open(prog, "change criteria")
    groups = dict(EvaluationCriterion.GROUPS)
    if group not in groups:
        raise WeightsError(f"Unknown group {group!r}; the groups are {', '.join(groups)}")
    if not name.strip():
        raise WeightsError("A criterion needs a name")
    c.group, c.name, c.description = group, name.strip(), description
    clean_or_refuse(c, WeightsError, f"Criterion {c.key!r} was not changed")
    audited_save(c, user, expected_version=expected_version, reason=reason.strip())
    return c


@transaction.atomic
def remove_evaluation_criterion(
    *, c: EvaluationCriterion, user: Any, reason: str, expected_version: int | None = None
) -> None:
    """Remove a criterion while the weights are unlocked (the others' weights then need to
    sum to 100 again before they can be locked). Never once it has been scored."""
    prog = c.programme
    check_criteria_open(prog, "remove criteria")
    reason = need_reason(reason, f"Removing the criterion {c.name!r}")
    if PanelScore.objects.filter(criterion=c).exists():
        raise WeightsError(f"{c.name!r} has panel scores: a scored criterion is kept")
    with transaction.atomic():
        remove_indexed(prog, c, user, reason, expected_version)
