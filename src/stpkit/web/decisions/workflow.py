"""Workflow operations on the decisions models: each one checks the engine's rules first,
then saves through the audit trail, so a refused action changes nothing.

Views, the demo and tests all call these, never the models directly, so the rules hold
whichever way an action arrives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from stpkit.appraisal import AppraisalError, Evaluation, MetricBound
from stpkit.appraisal import Option as AppraisalOption
from stpkit.decisions import panel, stages, timeline
from stpkit.decisions.errors import ScoringError, StageError, WeightsError
from stpkit.decisions.funnel import FunnelStep, funnel_counts
from stpkit.decisions.stages import GovernanceRole
from stpkit.web.core.audit import audited_delete, audited_save
from stpkit.web.decisions import links
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
    Removal,
    RoleHolder,
    Scenario,
    ScoringRound,
    Stage,
    TimelineTask,
)

# Which stage each kind of edit belongs to: outside that stage the edit is refused.
EDIT_STAGE = {
    "evidence": "case_for_change",
    "service_model": "service_models",
    "hurdle_criteria": "hurdle_criteria",
    "weights": "evaluation_criteria",
    "options": "long_list",
    "hurdle_results": "hurdle_sift",
    "scores": "evaluation",
}

# Records that may be set ahead of their stage (planning) but not once it is signed off.
CLOSED_AT = {
    "assurance": "assurance",
    "consultation_period": "consultation",
    "consultation_analysis": "consultation_evaluation",
}


def _clean_or_refuse(obj: models.Model, error: type[Exception], refused: str) -> None:
    """Run the model's own field validation; refuse with every problem named after `refused`
    (e.g. "Option 'X' was not added: code: ...")."""
    try:
        obj.full_clean(exclude=["programme"])
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise error(f"{refused}: {problems}") from None


def create_programme(
    name: str,
    slug: str,
    process_key: str,
    summary: str = "",
    owners: Mapping[str, str] | None = None,
) -> Programme:
    """A programme with one Stage row per stage of its process (idempotent by slug)."""
    proc = stages.process(process_key)
    owners = owners or {}
    prog, _ = Programme.objects.get_or_create(
        slug=slug, defaults={"name": name, "process_key": process_key, "summary": summary}
    )
    for i, s in enumerate(proc.stages):
        Stage.objects.get_or_create(
            programme=prog,
            key=s.key,
            defaults={
                "order": i,
                "title": s.title,
                "signoff_role": s.signoff_role.value,
                "owner": owners.get(s.key, ""),
            },
        )
    return prog


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


def check_editable(prog: Programme, what: str) -> None:
    key = EDIT_STAGE[what]
    flags = signed_flags(prog)
    stages.check_editable(prog.process, flags, key, what.replace("_", " ").capitalize())


def check_not_closed(prog: Programme, what: str, label: str) -> None:
    """Refuse changing `label` once the stage it belongs to is signed off."""
    key = CLOSED_AT[what]
    row = prog.stages.get(key=key)
    if row.signed_off:
        raise StageError(
            f"{label} belongs to the stage {row.title!r}, which is signed off: "
            "reopen it (with a reason) to change it"
        )


def latest_round(prog: Programme) -> ScoringRound | None:
    return prog.rounds.order_by("-number").first()


def _weighted(prog: Programme) -> list[panel.WeightedCriterion]:
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
    crits = _weighted(prog)
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
    today = timezone.localdate()
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


def sign_off(stage: Stage, user: Any, on: date | None = None) -> Stage:
    """Sign the current stage off as its named role; refused out of turn or conditions unmet."""
    prog = stage.programme
    with transaction.atomic():
        rows = list(Stage.objects.select_for_update().filter(programme=prog).order_by("order"))
        held = roles_of(prog, user)
        stages.check_sign_off(
            prog.process, [s.signed_off for s in rows], stage.key, facts(prog), held
        )
        row = next(s for s in rows if s.key == stage.key)
        row.signed_off = True
        row.signed_off_by = user
        row.signed_off_as = row.signoff_role
        row.signed_off_on = on or timezone.localdate()
        audited_save(row, user)
        return row


def reopen(stage: Stage, user: Any, reason: str) -> list[Stage]:
    """Reopen a signed-off stage (and every later signed one) with the reason on record.

    Only the stage's sign-off role or the senior responsible officer may reopen it.
    """
    prog = stage.programme
    held = roles_of(prog, user)
    allowed = {GovernanceRole(stage.signoff_role), GovernanceRole.SRO}
    if not held & allowed:
        mine = ", ".join(sorted(r.label for r in held)) or "no governance role"
        who = " or the ".join(sorted({r.label for r in allowed}))
        raise StageError(
            f"Reopening {stage.title!r} needs the {who}; you hold {mine} on this programme"
        )
    with transaction.atomic():
        rows = list(Stage.objects.select_for_update().filter(programme=prog).order_by("order"))
        affected = stages.check_reopen(
            prog.process, [s.signed_off for s in rows], stage.key, reason
        )
        out = []
        for i in affected:
            row = rows[i]
            row.signed_off = False
            row.signed_off_by = None
            row.signed_off_as = ""
            row.signed_off_on = None
            row.reopened_reason = (
                reason.strip()
                if row.key == stage.key
                else (f"Reopened with {stage.title!r}: {reason.strip()}")
            )
            audited_save(row, user, reason=reason.strip())
            out.append(row)
        return out


def set_weights(prog: Programme, user: Any, weights: Mapping[str, float]) -> None:
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


def set_scoring_rules(
    prog: Programme, user: Any, scale_max: float, moderation_spread: float
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


def lock_weights(prog: Programme, user: Any) -> None:
    """Agree and lock the weights; they must sum to 100."""
    check_editable(prog, "weights")
    panel.check_weights(_weighted(prog))
    prog.weights_locked = True
    prog.weights_locked_at = timezone.now()
    prog.weights_locked_by = user
    audited_save(prog, user)


def unlock_weights(prog: Programme, user: Any, reason: str) -> None:
    check_editable(prog, "weights")
    if len(reason.strip()) < 10:
        raise WeightsError("Unlocking the weights needs a reason (at least 10 characters)")
    if prog.rounds.filter(scores__isnull=False).exists():
        raise WeightsError("Panel scores exist: weights cannot be unlocked after scoring began")
    prog.weights_locked = False
    audited_save(prog, user, reason=reason.strip())


def open_round(prog: Programme, user: Any, scorers: Sequence[Any]) -> ScoringRound:
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


RATIONALE_MAX = 500


def submit_scores(
    rnd: ScoringRound, scorer: Any, scores: Mapping[tuple[str, str], tuple[float, str]]
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


def close_round(rnd: ScoringRound, user: Any) -> None:
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
    rnd.closed_at = timezone.now()
    audited_save(rnd, user)


def moderate(
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


def evaluation(prog: Programme) -> Evaluation | None:
    """Weighted totals and ranks of the consensus scores (closed round only)."""
    rnd = latest_round(prog)
    if rnd is None or rnd.is_open or not rnd.scores.exists():
        return None
    cells = panel_cells(rnd)
    opts = candidate_options(prog)
    return panel.panel_evaluation(
        [o.code for o in opts],
        _weighted(prog),
        cells,
        prog.scale_max,
        {o.code: o.member_list for o in opts},
    )


def choose_preferred(prog: Programme, user: Any, option: Option) -> None:
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


def appraisal_option(o: Option) -> AppraisalOption:
    return AppraisalOption(
        o.code, {k: float(v) for k, v in o.metrics.items()}, tuple(o.member_list), o.origin
    )


def apply_computed_hurdles(prog: Programme, user: Any) -> int:
    """Check every option against every computed hurdle with `stpkit.appraisal` rules.

    One transaction: all results are recorded, or none.
    """
    check_editable(prog, "hurdle_results")
    existing = {
        (r.option_id, r.criterion_id): r
        for r in HurdleResult.objects.filter(option__programme=prog)
    }
    options = list(prog.options.all())
    n = 0
    with transaction.atomic():
        for h in prog.hurdle_criteria.exclude(metric=""):
            rule = MetricBound(h.metric, h.minimum, h.maximum, name=h.name)
            for o in options:
                if h.metric not in o.metrics:
                    continue  # judged by the panel instead, for options without the figure
                failure = rule.check(appraisal_option(o))
                _save_hurdle(
                    existing.get((o.id, h.id)),
                    o,
                    h,
                    failure is None,
                    "" if failure is None else failure.message,
                    user,
                    None if failure is None else failure.shortfall,
                )
                n += 1
    return n


def _save_hurdle(
    r: HurdleResult | None,
    option: Option,
    criterion: HurdleCriterion,
    passed: bool,
    reason: str,
    user: Any,
    shortfall: float | None,
) -> HurdleResult:
    if r is None:
        r = HurdleResult(option=option, criterion=criterion, passed=passed, reason=reason)
    elif (r.passed, r.reason, r.shortfall) == (passed, reason, shortfall):
        return r  # unchanged: nothing to record
    r.passed, r.reason, r.shortfall = passed, reason, shortfall
    audited_save(r, user)
    return r


def record_hurdle(
    option: Option,
    criterion: HurdleCriterion,
    passed: bool,
    reason: str,
    user: Any,
    shortfall: float | None = None,
) -> HurdleResult:
    """Record a hurdle result (computed or judged); a failure must say why."""
    check_editable(option.programme, "hurdle_results")
    if not passed and not reason.strip():
        raise StageError(f"{option} failing {criterion.name!r} needs the reason recorded")
    r = HurdleResult.objects.filter(option=option, criterion=criterion).first()
    return _save_hurdle(r, option, criterion, passed, reason, user, shortfall)


def import_options(
    prog: Programme, user: Any, options: Sequence[AppraisalOption], scope: str = ""
) -> int:
    """Add generated options (e.g. the stroke model's long list) with their metrics.

    An option whose origin is "business as usual" is marked as such; codes already on the
    programme are refused, so a long list is never imported twice by accident.
    """
    check_editable(prog, "options")
    taken = set(prog.options.values_list("code", flat=True))
    clash = sorted(o.name for o in options if o.name in taken)
    if clash:
        raise StageError(f"{prog} already has options {', '.join(clash[:5])}")
    with transaction.atomic():
        for o in options:
            bau = o.origin == "business as usual"
            add_option(
                prog,
                user,
                code=o.name,
                name=("Business as usual: " if bau else "HASUs at ") + "; ".join(o.members),
                members="; ".join(o.members),
                metrics={k: round(float(v), 6) for k, v in o.metrics.items()},
                origin="model",
                business_as_usual=bau,
                scope=scope,
            )
    return len(options)


def sift(prog: Programme, user: Any) -> tuple[int, int]:
    """Options passing every hurdle move to the medium/short list; others stay rejected.

    Business as usual always goes forward as the comparator, as the Green Book asks, with
    its hurdle failures still on record.
    """
    check_editable(prog, "hurdle_results")
    target = "medium" if prog.uses_medium_list else "short"
    n_hurdles = prog.hurdle_criteria.count()
    passed = rejected = 0
    with transaction.atomic():
        for o in prog.options.prefetch_related("hurdle_results"):
            results = list(o.hurdle_results.all())
            ok = len(results) == n_hurdles and all(r.passed for r in results)
            new = target if ok or o.business_as_usual else "long"
            if o.reached != new:
                o.reached = new
                audited_save(o, user)
            passed += new == target
            rejected += new != target
    return passed, rejected


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


def record_slip(task: TimelineTask, user: Any, forecast_start: date | None, reason: str) -> None:
    if forecast_start is not None and not reason.strip():
        raise StageError(f"A new forecast for {task.title!r} needs a reason")
    task.forecast_start = forecast_start
    audited_save(task, user, reason=reason.strip())


def add_evidence(prog: Programme, user: Any, **fields: Any) -> Evidence:
    check_editable(prog, "service_model" if fields.get("kind") == "service_model" else "evidence")
    e = Evidence(programme=prog, **fields)
    audited_save(e, user)
    return e


def add_option(prog: Programme, user: Any, **fields: Any) -> Option:
    check_editable(prog, "options")
    if prog.options.filter(code=fields.get("code")).exists():
        raise StageError(f"{prog} already has an option with code {fields.get('code')!r}")
    o = Option(programme=prog, **fields)
    _clean_or_refuse(o, StageError, f"Option {fields.get('code')!r} was not added")
    audited_save(o, user)
    return o


def add_hurdle_criterion(
    prog: Programme,
    user: Any,
    name: str,
    description: str = "",
    metric: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
) -> HurdleCriterion:
    """A pass/fail rule: computed (a metric with bounds) or, without a metric, judged."""
    check_editable(prog, "hurdle_criteria")
    name, metric = name.strip(), metric.strip()
    _hurdle_rule(prog, name, metric, minimum, maximum)
    h = HurdleCriterion(
        programme=prog,
        order=prog.hurdle_criteria.count(),
        name=name,
        description=description,
        metric=metric,
        minimum=minimum,
        maximum=maximum,
    )
    audited_save(h, user)
    return h


def add_evaluation_criterion(
    prog: Programme, user: Any, group: str, key: str, name: str, description: str = ""
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
    _clean_or_refuse(c, WeightsError, f"Criterion {c.key!r} was not added")
    audited_save(c, user)
    return c


def panel_candidates() -> list[Any]:
    """People who may sit on a scoring panel: active users who can read this area."""
    from stpkit.web.accounts.models import User
    from stpkit.web.accounts.roles import can_see_area

    return [u for u in User.objects.filter(is_active=True) if can_see_area(u, "decisions")]


def assign_role(prog: Programme, user: Any, holder: Any, role: str) -> RoleHolder:
    """Give `holder` a named governance role on the programme (audited)."""
    try:
        gov = GovernanceRole(role)
    except ValueError:
        raise StageError(
            f"Unknown governance role {role!r}; the roles are "
            f"{', '.join(r.value for r in GovernanceRole)}"
        ) from None
    if RoleHolder.objects.filter(programme=prog, user=holder, role=gov.value).exists():
        raise StageError(f"{holder} already holds the role {gov.label} on {prog}")
    r = RoleHolder(programme=prog, user=holder, role=gov.value)
    audited_save(r, user)
    return r


def remove_role(prog: Programme, user: Any, holder_row: RoleHolder, reason: str) -> None:
    if len(reason.strip()) < 10:
        raise StageError("Removing a governance role needs a reason (at least 10 characters)")
    audited_delete(holder_row, user, reason=reason.strip())


def set_consultation(
    prog: Programme,
    user: Any,
    *,
    assured: date | None,
    starts: date | None,
    ends: date | None,
    reference: str,
    expected_version: int | None = None,
) -> None:
    """NHS England approval date, consultation period and the analysis it links to.

    Each is refused once its stage is signed off (reopen it to change it).
    """
    changes = {
        "assurance": (prog.assurance_approved_on != assured, "The NHS England approval date"),
        "consultation_period": (
            (prog.consultation_starts, prog.consultation_ends) != (starts, ends),
            "The consultation period",
        ),
        "consultation_analysis": (
            prog.consultation_reference != reference.strip(),
            "The consultation analysis reference",
        ),
    }
    for what, (changed, label) in changes.items():
        if changed:
            check_not_closed(prog, what, label)
    if starts and ends and ends < starts:
        raise StageError(
            f"The consultation cannot end ({ends:%d/%m/%Y}) before it starts ({starts:%d/%m/%Y})"
        )
    if bool(starts) != bool(ends):
        raise StageError("The consultation period needs both its start and its end")
    prog.assurance_approved_on = assured
    prog.consultation_starts, prog.consultation_ends = starts, ends
    prog.consultation_reference = reference.strip()
    audited_save(prog, user, expected_version=expected_version)


def record_decision(
    prog: Programme,
    user: Any,
    option: Option,
    decided_on: date | None,
    body: str = "",
    conditions: str = "",
    minutes: str = "",
) -> Decision:
    """The joint committee's decision: only in the decision stage, on an evaluated option."""
    flags = signed_flags(prog)
    stages.check_editable(prog.process, flags, "decision", "The decision record")
    if decided_on is None:
        raise StageError("The decision needs its date")
    if option.programme_id != prog.pk or option not in candidate_options(prog):
        listed = "medium" if prog.uses_medium_list else "short"
        raise StageError(
            f"{option} was not on the {listed} list that was evaluated: "
            "the joint committee chooses among the evaluated options"
        )
    d = Decision.objects.filter(programme=prog).first() or Decision(
        programme=prog, decided_on=decided_on, option=option
    )
    d.decided_on, d.option = decided_on, option
    d.body = body.strip() or "CCG Joint Committee"
    d.conditions = conditions
    d.minutes_reference = minutes
    audited_save(d, user)
    return d


def add_scenario(prog: Programme, user: Any, key: str, name: str) -> Scenario:
    key, name = key.strip(), name.strip()
    if not key or not name:
        raise StageError("A scenario needs a key and a name")
    if prog.scenarios.filter(key=key).exists():
        raise StageError(f"{prog} already has a scenario {key!r}")
    sc = Scenario(programme=prog, key=key, name=name)
    audited_save(sc, user)
    return sc


def add_task(
    prog: Programme,
    user: Any,
    *,
    key: str,
    title: str,
    start: date | None,
    finish: date | None,
    lane: str = "",
    depends_on: str = "",
    scenarios: Sequence[str] = (),
) -> TimelineTask:
    """A dated step on the timeline; refused if it breaks the schedule of any scenario."""
    key, title = key.strip(), title.strip()
    if not key or not title or start is None:
        raise StageError("A task needs a key, a title and a start date")
    if prog.tasks.filter(key=key).exists():
        raise StageError(f"{prog} already has a task {key!r}")
    finish = finish or start
    chosen = list(prog.scenarios.filter(key__in=scenarios))
    unknown = sorted(set(scenarios) - {s.key for s in chosen})
    if unknown:
        raise StageError(f"Unknown scenarios {unknown}")
    deps = tuple(d.strip() for d in depends_on.split(",") if d.strip())
    new = timeline.Task(key, title, start, finish, lane, deps, frozenset(scenarios))
    tasks = [*engine_tasks(prog), new]
    for sc in prog.scenarios.all():
        if new.in_scenario(sc.key):
            timeline.schedule(tasks, sc.key)  # raises TimelineError naming the problem
    with transaction.atomic():
        t = TimelineTask(
            programme=prog,
            key=key,
            title=title,
            lane=lane,
            start=start,
            finish=finish,
            depends_on=", ".join(deps),
        )
        audited_save(t, user)
        t.scenarios.set(chosen)
    return t


def link_model_figures(
    prog: Programme,
    user: Any,
    option: AppraisalOption,
    metrics: Sequence[str],
    source: str,
    describe: Mapping[str, str] | None = None,
) -> list[Evidence]:
    """Link a model's figures for one option (e.g. today's configuration) as evidence."""
    describe = describe or {}
    missing = [m for m in metrics if m not in option.metrics]
    if missing:
        raise StageError(f"{source} has no figure {', '.join(missing)} for {option.name}")
    out = []
    with transaction.atomic():
        for metric in metrics:
            value = float(option.metrics[metric])
            out.append(
                add_evidence(
                    prog,
                    user,
                    kind="figure",
                    title=f"{option.name}: {describe.get(metric, metric)}",
                    value=f"{value:.1%}" if metric.startswith("share_") else f"{value:,.4g}",
                    source=source,
                    note=f"metric {metric}",
                )
            )
    return out


OPTION_FIELDS = (
    "name",
    "description",
    "members",
    "scope",
    "service_solution",
    "service_delivery",
    "implementation",
    "funding",
    "business_as_usual",
    "do_minimum",
)


def update_option(
    option: Option, user: Any, fields: Mapping[str, Any], expected_version: int | None = None
) -> Option:
    """Change an option's description and options-framework dimensions (long-list stage).

    Model figures and the list it reached are not edited by hand: they come from the model
    and the sift.
    """
    check_editable(option.programme, "options")
    unknown = sorted(set(fields) - set(OPTION_FIELDS))
    if unknown:
        raise StageError(f"Option fields {unknown} cannot be edited by hand")
    for k, v in fields.items():
        setattr(option, k, v)
    _clean_or_refuse(option, StageError, f"Option {option.code!r} was not changed")
    audited_save(option, user, expected_version=expected_version)
    return option


# --- Editing and removing evidence, hurdle criteria and evaluation criteria --------------
#
# Each is allowed only while its stage is the current one (evaluation criteria also only
# while the weights are unlocked), saved through the audit trail with the editor's reason,
# and refused when someone else saved the item after the editor opened it. A removal needs
# a reason; its audit records stay findable from the programme through `Removal`.

REASON_MIN = 10


def _need_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise StageError(f"{what} needs a reason (at least {REASON_MIN} characters)")
    return reason


def _remove(
    prog: Programme, obj: Any, user: Any, reason: str, expected_version: int | None
) -> None:
    """Delete `obj` with its audit record, refusing a stale removal; index it on `prog` so
    the programme's audit trail keeps it. Callers run this in a transaction, so a refused
    removal leaves no index entry behind."""
    _index_removal(prog, obj)
    audited_delete(obj, user, reason=reason, expected_version=expected_version)


def _index_removal(prog: Programme, obj: Any) -> None:
    Removal.objects.get_or_create(
        programme=prog,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    )


def _check_evidence_stage(e: Evidence, kind: str | None = None) -> None:
    for k in {e.kind, kind or e.kind}:
        check_editable(e.programme, "service_model" if k == "service_model" else "evidence")


EVIDENCE_FIELDS = ("kind", "title", "source", "link", "value", "note")


def update_evidence(
    e: Evidence,
    user: Any,
    fields: Mapping[str, str],
    reason: str = "",
    expected_version: int | None = None,
) -> Evidence:
    """Correct a piece of evidence while its stage is open (case for change or service
    models; moving it between the two needs both open, which never happens: refused)."""
    unknown = sorted(set(fields) - set(EVIDENCE_FIELDS))
    if unknown:
        raise StageError(f"Evidence fields {unknown} cannot be edited")
    kind = fields.get("kind", e.kind)
    if kind not in dict(Evidence.KINDS):
        raise StageError(f"Unknown kind of evidence {kind!r}")
    _check_evidence_stage(e, kind)
    if "title" in fields and not fields["title"].strip():
        raise StageError("Evidence needs a title")
    for k, v in fields.items():
        setattr(e, k, v.strip() if k != "note" else v)
    _clean_or_refuse(e, StageError, f"Evidence {e.title!r} was not changed")
    audited_save(e, user, expected_version=expected_version, reason=reason.strip())
    return e


def remove_evidence(
    e: Evidence, user: Any, reason: str, expected_version: int | None = None
) -> None:
    _check_evidence_stage(e)
    reason = _need_reason(reason, f"Removing the evidence {e.title!r}")
    with transaction.atomic():
        _remove(e.programme, e, user, reason, expected_version)


def _hurdle_rule(
    prog: Programme,
    name: str,
    metric: str,
    minimum: float | None,
    maximum: float | None,
    exclude_pk: int | None = None,
) -> None:
    """The checks a hurdle criterion's name and rule must pass (adding or editing)."""
    if not name:
        raise StageError("A hurdle criterion needs a name")
    same = prog.hurdle_criteria.filter(name=name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise StageError(f"{prog} already has a hurdle criterion named {name!r}")
    if metric:
        try:
            MetricBound(metric, minimum, maximum, name=name)
        except AppraisalError as exc:
            raise StageError(f"Hurdle criterion {name!r}: {exc}") from None
    elif minimum is not None or maximum is not None:
        raise StageError(
            f"Hurdle criterion {name!r} has bounds but no metric: name the model metric, "
            "or leave the bounds empty for a criterion the panel judges"
        )


def _withdraw_results(h: HurdleCriterion, user: Any, reason: str) -> int:
    """Remove the results recorded against `h` (its rule changed or it was removed)."""
    n = 0
    for r in HurdleResult.objects.filter(criterion=h).select_related("option"):
        _index_removal(h.programme, r)
        audited_delete(r, user, reason=reason)
        n += 1
    return n


def update_hurdle_criterion(
    h: HurdleCriterion,
    user: Any,
    *,
    name: str,
    description: str = "",
    metric: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Change a hurdle criterion while its stage is open. If its rule (metric or bounds)
    changes, the results recorded under the old rule are withdrawn (audited) to be checked
    again in the sift; returns how many were withdrawn."""
    prog = h.programme
    check_editable(prog, "hurdle_criteria")
    name, metric = name.strip(), metric.strip()
    _hurdle_rule(prog, name, metric, minimum, maximum, exclude_pk=h.pk)
    rule_changed = (h.metric, h.minimum, h.maximum) != (metric, minimum, maximum)
    h.name, h.description, h.metric, h.minimum, h.maximum = (
        name,
        description,
        metric,
        minimum,
        maximum,
    )
    with transaction.atomic():
        audited_save(h, user, expected_version=expected_version, reason=reason.strip())
        if rule_changed:
            return _withdraw_results(
                h, user, f"The rule of {name!r} changed: " + (reason.strip() or "edited")
            )
    return 0


def remove_hurdle_criterion(
    h: HurdleCriterion, user: Any, reason: str, expected_version: int | None = None
) -> int:
    """Remove a hurdle criterion (and its recorded results, each audited) while its stage
    is open; returns how many results went with it."""
    prog = h.programme
    check_editable(prog, "hurdle_criteria")
    reason = _need_reason(reason, f"Removing the hurdle criterion {h.name!r}")
    with transaction.atomic():
        n = _withdraw_results(h, user, f"Hurdle criterion {h.name!r} removed: {reason}")
        _remove(prog, h, user, reason, expected_version)
    return n


def _check_criteria_open(prog: Programme, doing: str) -> None:
    check_editable(prog, "weights")
    if prog.weights_locked:
        raise WeightsError(f"The weights are locked: unlock them (with a reason) to {doing}")


def update_evaluation_criterion(
    c: EvaluationCriterion,
    user: Any,
    *,
    group: str,
    name: str,
    description: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> EvaluationCriterion:
    """Change a criterion's group, name or description (its key and weight stay: the weight
    is set with the others on the criteria page)."""
    prog = c.programme
    _check_criteria_open(prog, "change criteria")
    groups = dict(EvaluationCriterion.GROUPS)
    if group not in groups:
        raise WeightsError(f"Unknown group {group!r}; the groups are {', '.join(groups)}")
    if not name.strip():
        raise WeightsError("A criterion needs a name")
    c.group, c.name, c.description = group, name.strip(), description
    _clean_or_refuse(c, WeightsError, f"Criterion {c.key!r} was not changed")
    audited_save(c, user, expected_version=expected_version, reason=reason.strip())
    return c


def remove_evaluation_criterion(
    c: EvaluationCriterion, user: Any, reason: str, expected_version: int | None = None
) -> None:
    """Remove a criterion while the weights are unlocked (the others' weights then need to
    sum to 100 again before they can be locked). Never once it has been scored."""
    prog = c.programme
    _check_criteria_open(prog, "remove criteria")
    reason = _need_reason(reason, f"Removing the criterion {c.name!r}")
    if PanelScore.objects.filter(criterion=c).exists():
        raise WeightsError(f"{c.name!r} has panel scores: a scored criterion is kept")
    with transaction.atomic():
        _remove(prog, c, user, reason, expected_version)
