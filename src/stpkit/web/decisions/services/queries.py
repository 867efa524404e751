"""Reads of a programme's records: stages, facts the stage conditions read, the panel's
consensus, the evaluation, the funnel and the timeline schedules. Nothing here writes.
"""

from __future__ import annotations

from typing import Any

from stpkit.appraisal import Evaluation
from stpkit.appraisal import Option as AppraisalOption
from stpkit.decisions import (
    FunnelStep,
    GovernanceRole,
    WeightsError,
    funnel_counts,
    panel,
    stages,
    timeline,
)
from stpkit.web.core import clock
from stpkit.web.decisions import links
from stpkit.web.decisions.models import (
    HurdleResult,
    Option,
    Programme,
    RoleHolder,
    Scenario,
    ScoringRound,
    Stage,
)


def stage_rows(prog: Programme) -> list[Stage]:
    return list(prog.stages.order_by("order"))


def signed_flags(prog: Programme) -> list[bool]:
    return [s.signed_off for s in stage_rows(prog)]


def current_stage(prog: Programme) -> Stage | None:
    rows = stage_rows(prog)
    i = stages.current_index([s.signed_off for s in rows])
    return rows[i] if i < len(rows) else None


def roles_of(prog: Programme, user: Any) -> set[GovernanceRole]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        GovernanceRole(r)
        for r in RoleHolder.objects.filter(programme=prog, user=user).values_list("role", flat=True)
    }


def latest_round(prog: Programme) -> ScoringRound | None:
    return prog.rounds.order_by("-number").first()


def weighted_criteria(prog: Programme) -> list[panel.WeightedCriterion]:
    return [
        panel.WeightedCriterion(c.key, c.name, c.get_group_display(), c.weight)
        for c in prog.evaluation_criteria.all()
    ]


def candidate_options(prog: Programme) -> list[Option]:
    """The options the panel evaluates: the short list (stroke) or medium list (East Kent)."""
    wanted = ("medium", "short", "preferred") if prog.uses_medium_list else ("short", "preferred")
    return list(prog.options.filter(reached__in=wanted))


def panel_cells(rnd: ScoringRound) -> dict[tuple[str, str], panel.CellSummary]:
    scores = [
        panel.Score(s.scorer.username, s.option.code, s.criterion.key, s.score)
        for s in rnd.scores.select_related("scorer", "option", "criterion")
    ]
    moderated = {
        (m.option.code, m.criterion.key): m.score
        for m in rnd.moderations.select_related("option", "criterion")
    }
    return panel.summarise(scores, moderated)


def linked_consultations(prog: Programme) -> list[links.LinkedConsultation]:
    """Consultation analyses (registered by the consultation app) that name this programme."""
    return links.linked_consultations(prog.slug)


def facts(prog: Programme) -> dict[str, int | bool]:
    """What the stage conditions read: counts and flags computed from the records."""
    crits = weighted_criteria(prog)
    try:
        panel.check_weights(crits)
        weights_ok = True
    except WeightsError:
        weights_ok = False
    options = list(prog.options.all())
    hurdles = list(prog.hurdle_criteria.all())
    results = set(
        HurdleResult.objects.filter(option__programme=prog).values_list("option_id", "criterion_id")
    )
    unassessed = sum(1 for o in options for h in hurdles if (o.id, h.id) not in results)
    rnd = latest_round(prog)
    unmoderated = 0
    if rnd is not None and rnd.scores.exists():
        unmoderated = len(panel.needing_moderation(panel_cells(rnd), prog.moderation_spread))
    today = clock.today()
    return {
        "evidence": prog.evidence.exclude(kind="service_model").count(),
        "service_models": prog.evidence.filter(kind="service_model").count(),
        "hurdle_criteria": len(hurdles),
        "evaluation_criteria": len(crits),
        "weights_sum_ok": weights_ok,
        "weights_locked": prog.weights_locked,
        "options": len(options),
        "business_as_usual": any(o.business_as_usual for o in options),
        "unassessed": unassessed if hurdles else 1,
        "short_list": len(candidate_options(prog)),
        "scoring_closed": rnd is not None and not rnd.is_open,
        "unmoderated": unmoderated,
        "preferred": prog.preferred_option_id is not None,
        "timeline_tasks": prog.tasks.count(),
        "pcbc_generated": prog.pcbc_generated_at is not None,
        "assurance_approved": prog.assurance_approved_on is not None,
        "consultation_dates": bool(prog.consultation_starts and prog.consultation_ends),
        "consultation_closed": bool(prog.consultation_ends and prog.consultation_ends < today),
        "consultation_analysis": bool(prog.consultation_reference)
        or bool(linked_consultations(prog)),
        "decision": hasattr(prog, "decision"),
    }


def evaluation(prog: Programme) -> Evaluation | None:
    """Weighted totals and ranks of the consensus scores (closed round only)."""
    rnd = latest_round(prog)
    if rnd is None or rnd.is_open or not rnd.scores.exists():
        return None
    cells = panel_cells(rnd)
    opts = candidate_options(prog)
    return panel.panel_evaluation(
        [o.code for o in opts],
        weighted_criteria(prog),
        cells,
        prog.scale_max,
        {o.code: o.member_list for o in opts},
    )


def appraisal_option(o: Option) -> AppraisalOption:
    return AppraisalOption(
        o.code, {k: float(v) for k, v in o.metrics.items()}, tuple(o.member_list), o.origin
    )


def funnel(prog: Programme) -> list[FunnelStep]:
    return funnel_counts(
        list(prog.options.values_list("reached", flat=True)), prog.uses_medium_list
    )


def engine_tasks(prog: Programme) -> list[timeline.Task]:
    out = []
    for t in prog.tasks.prefetch_related("scenarios"):
        out.append(
            timeline.Task(
                t.key,
                t.title,
                t.start,
                t.finish,
                t.lane,
                tuple(d.strip() for d in t.depends_on.split(",") if d.strip()),
                frozenset(s.key for s in t.scenarios.all()),
            )
        )
    return out


def schedules(prog: Programme) -> list[tuple[Scenario, timeline.Schedule, timeline.Schedule]]:
    """Per scenario: the baseline schedule and the forecast with recorded slips."""
    tasks = engine_tasks(prog)
    forecasts = {t.key: t.forecast_start for t in prog.tasks.all() if t.forecast_start}
    out = []
    for sc in prog.scenarios.all():
        mine = {
            k: v
            for k, v in forecasts.items()
            if any(t.key == k and t.in_scenario(sc.key) for t in tasks)
        }
        out.append((sc, timeline.schedule(tasks, sc.key), timeline.schedule(tasks, sc.key, mine)))
    return out


def panel_candidates() -> list[Any]:
    """People who may sit on a scoring panel: active users who can read this area."""
    from stpkit.web.accounts.models import User
    from stpkit.web.accounts.roles import can_see_area

    return [u for u in User.objects.filter(is_active=True) if can_see_area(u, "decisions")]
