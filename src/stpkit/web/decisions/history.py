"""The audit trail of a whole programme: every change to its governance roles, stages,
evidence, options, hurdles, weights, scores, moderations, timeline and decision, one row per
changed field, including records since removed (found through `Removal`).

Scores of a round still open are left out (the scorer's own excepted), so the trail does
not reveal one scorer's marks to another before the round closes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from stpkit.web.core.models import ChangeRecord
from stpkit.web.decisions.models import (
    Decision,
    EvaluationCriterion,
    Evidence,
    HurdleCriterion,
    HurdleResult,
    Moderation,
    Option,
    PanelScore,
    Programme,
    RoleHolder,
    Scenario,
    ScoringRound,
    Stage,
    TimelineTask,
)


def _ids(qs: models.QuerySet[Any]) -> list[str]:
    return [str(pk) for pk in qs.values_list("pk", flat=True)]


def programme_history(prog: Programme, viewer: Any = None) -> list[dict[str, Any]]:
    open_scores = PanelScore.objects.filter(round__programme=prog, round__is_open=True)
    if viewer is not None and getattr(viewer, "pk", None) is not None:
        open_scores = open_scores.exclude(scorer=viewer)
    hidden = set(_ids(open_scores))
    groups: list[tuple[type[models.Model], list[str]]] = [
        (Programme, [str(prog.pk)]),
        (Stage, _ids(prog.stages.all())),
        (Evidence, _ids(prog.evidence.all())),
        (Option, _ids(prog.options.all())),
        (HurdleCriterion, _ids(prog.hurdle_criteria.all())),
        (HurdleResult, _ids(HurdleResult.objects.filter(option__programme=prog))),
        (EvaluationCriterion, _ids(prog.evaluation_criteria.all())),
        (ScoringRound, _ids(prog.rounds.all())),
        (
            PanelScore,
            [i for i in _ids(PanelScore.objects.filter(round__programme=prog)) if i not in hidden],
        ),
        (Moderation, _ids(Moderation.objects.filter(round__programme=prog))),
        (Scenario, _ids(prog.scenarios.all())),
        (TimelineTask, _ids(prog.tasks.all())),
        (Decision, _ids(Decision.objects.filter(programme=prog))),
    ]
    # records removed from the programme: their rows are gone, their audit records are not
    removed: dict[int, list[str]] = {}
    for ct_id, object_id in prog.removals.values_list("content_type_id", "object_id"):
        removed.setdefault(ct_id, []).append(object_id)
    query = models.Q(pk__in=[])
    for ct_id, ids in removed.items():
        query |= models.Q(content_type_id=ct_id, object_id__in=ids)
    for model, ids in groups:
        if ids:
            ct = ContentType.objects.get_for_model(model)
            query |= models.Q(content_type=ct, object_id__in=ids)
    # governance roles, including removed ones (their rows are gone, their records are not)
    query |= models.Q(
        content_type=ContentType.objects.get_for_model(RoleHolder),
        object_repr__endswith=f" on {prog.name}",
    )
    rows: list[dict[str, Any]] = []
    for r in ChangeRecord.objects.filter(query).select_related("user", "content_type"):
        base = {
            "at": r.at.strftime("%Y-%m-%d %H:%M:%S"),
            "who": r.user_display,
            "item": f"{r.content_type.name}: {r.object_repr}",
            "action": r.get_action_display(),
            "reason": r.reason,
        }
        changes = r.changes or {}
        if not changes:
            rows.append({**base, "field": "", "before": "", "after": ""})
        for field, pair in changes.items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            rows.append({**base, "field": field, "before": before, "after": after})
    return rows
