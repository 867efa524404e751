"""Panel scoring rounds: open, score (hidden until close), close, moderate, choose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from stpkit.decisions import ScoringError, StageError, panel
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import (
    EvaluationCriterion,
    Moderation,
    Option,
    PanelScore,
    Programme,
    ScoringRound,
)
from stpkit.web.decisions.services.queries import candidate_options, latest_round
from stpkit.web.decisions.services.rules import check_editable

RATIONALE_MAX = 500


@transaction.atomic
def open_round(*, prog: Programme, user: Any, scorers: Sequence[Any]) -> ScoringRound:
    check_editable(prog, "scores")
    if not prog.weights_locked:
        raise ScoringError("Scoring needs the swing weights agreed and locked first")
    last = latest_round(prog)
    if last is not None and last.is_open:
        raise ScoringError(f"Scoring round {last.number} is still open")
    rnd = ScoringRound(programme=prog, number=(last.number + 1) if last else 1)
    audited_save(rnd, user)
    rnd.scorers.set(scorers)
    return rnd


@transaction.atomic
def submit_scores(
    *, rnd: ScoringRound, scorer: Any, scores: Mapping[tuple[str, str], tuple[float, str]]
) -> int:
    """A scorer's scores for the round: (option code, criterion key) -> (score, rationale).

    The rationale is a short note of why (at most `RATIONALE_MAX` characters); like the
    score it stays hidden from the other scorers until the round closes.
    """
    prog = rnd.programme
    check_editable(prog, "scores")
    if not prog.weights_locked:
        raise ScoringError("Scoring needs the swing weights agreed and locked first")
    if not rnd.is_open:
        raise ScoringError(f"Scoring round {rnd.number} is closed")
    if not rnd.scorers.filter(pk=scorer.pk).exists():
        raise ScoringError(f"{scorer} is not on the panel for round {rnd.number}")
    options = {o.code: o for o in candidate_options(prog)}
    crits = {c.key: c for c in prog.evaluation_criteria.all()}
    with transaction.atomic():
        for (code, key), (value, rationale) in scores.items():
            if code not in options or key not in crits:
                raise ScoringError(f"No option {code!r} or criterion {key!r} to score")
            panel.check_score(value, prog.scale_max, f"{code} on {crits[key].name}")
            rationale = rationale.strip()
            if len(rationale) > RATIONALE_MAX:
                raise ScoringError(
                    f"The rationale for {code} on {crits[key].name} is {len(rationale)} "
                    f"characters: keep it to {RATIONALE_MAX}"
                )
            if PanelScore.objects.filter(
                round=rnd, scorer=scorer, option=options[code], criterion=crits[key]
            ).exists():
                raise ScoringError(
                    f"You have already scored {code} on {crits[key].name} in round {rnd.number}:"
                    " each scorer scores once"
                )
            try:
                with transaction.atomic():
                    audited_save(
                        PanelScore(
                            round=rnd,
                            scorer=scorer,
                            option=options[code],
                            criterion=crits[key],
                            score=value,
                            rationale=rationale,
                        ),
                        scorer,
                    )
            except IntegrityError:
                raise ScoringError(f"You have already scored {code} on {crits[key].name}") from None
    return len(scores)


@transaction.atomic
def close_round(*, rnd: ScoringRound, user: Any, at: datetime | None = None) -> None:
    """Close the round once every scorer has scored everything (`at`: when, if not now)."""
    if not rnd.is_open:
        raise ScoringError(f"Scoring round {rnd.number} is already closed")
    prog = rnd.programme
    scores = [
        panel.Score(s.scorer.username, s.option.code, s.criterion.key, s.score)
        for s in rnd.scores.select_related("scorer", "option", "criterion")
    ]
    missing = panel.missing_scores(
        scores,
        [u.username for u in rnd.scorers.all()],
        [o.code for o in candidate_options(prog)],
        [c.key for c in prog.evaluation_criteria.all()],
    )
    if missing:
        who = sorted({m[0] for m in missing})
        raise ScoringError(
            f"{len(missing)} scores are missing (from {', '.join(who)}): "
            "every scorer scores every option on every criterion before the round closes"
        )
    rnd.is_open = False
    rnd.closed_at = at or timezone.now()
    audited_save(rnd, user)


@transaction.atomic
def moderate(
    *,
    rnd: ScoringRound,
    user: Any,
    option: Option,
    criterion: EvaluationCriterion,
    score: float,
    reason: str,
) -> Moderation:
    if rnd.is_open:
        raise ScoringError("Moderation happens after the round closes and scores are revealed")
    check_editable(rnd.programme, "scores")
    panel.check_score(score, rnd.programme.scale_max, f"{option.code} on {criterion.name}")
    if len(reason.strip()) < 10:
        raise ScoringError("A moderated score needs the panel's reason (at least 10 characters)")
    m = Moderation.objects.filter(round=rnd, option=option, criterion=criterion).first()
    if m is None:
        m = Moderation(round=rnd, option=option, criterion=criterion, score=score, reason=reason)
    else:
        m.score, m.reason = score, reason
    audited_save(m, user, reason=reason)
    return m


@transaction.atomic
def choose_preferred(*, prog: Programme, user: Any, option: Option) -> None:
    check_editable(prog, "scores")
    if option not in candidate_options(prog):
        raise StageError(f"{option} is not on the list being evaluated")
    for o in prog.options.filter(reached="preferred"):
        o.reached = "medium" if prog.uses_medium_list else "short"
        audited_save(o, user)
    option.reached = "preferred"
    audited_save(option, user)
    prog.preferred_option = option
    audited_save(prog, user)
