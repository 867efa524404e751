"""Hurdle criteria and the sift: computed results from model figures, judged results,
and options moving on to the medium or short list.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stpkit.appraisal import AppraisalError, MetricBound
from stpkit.decisions import StageError
from stpkit.web.core.audit import audited_delete, audited_save
from stpkit.web.decisions.models import HurdleCriterion, HurdleResult, Option, Programme
from stpkit.web.decisions.services.queries import appraisal_option
from stpkit.web.decisions.services.rules import (
    check_editable,
    index_removal,
    need_reason,
    remove_indexed,
)


@transaction.atomic
def add_hurdle_criterion(
    *,
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
    hurdle_rule(prog, name, metric, minimum, maximum)
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


def hurdle_rule(
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


def withdraw_results(h: HurdleCriterion, user: Any, reason: str) -> int:
    """Remove the results recorded against `h` (its rule changed or it was removed)."""
    n = 0
    for r in HurdleResult.objects.filter(criterion=h).select_related("option"):
        index_removal(h.programme, r)
        audited_delete(r, user, reason=reason)
        n += 1
    return n


@transaction.atomic
def update_hurdle_criterion(
    *,
    h: HurdleCriterion,
    user: Any,
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
    hurdle_rule(prog, name, metric, minimum, maximum, exclude_pk=h.pk)
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
            return withdraw_results(
                h, user, f"The rule of {name!r} changed: " + (reason.strip() or "edited")
            )
    return 0


@transaction.atomic
def remove_hurdle_criterion(
    *, h: HurdleCriterion, user: Any, reason: str, expected_version: int | None = None
) -> int:
    """Remove a hurdle criterion (and its recorded results, each audited) while its stage
    is open; returns how many results went with it."""
    prog = h.programme
    check_editable(prog, "hurdle_criteria")
    reason = need_reason(reason, f"Removing the hurdle criterion {h.name!r}")
    with transaction.atomic():
        n = withdraw_results(h, user, f"Hurdle criterion {h.name!r} removed: {reason}")
        remove_indexed(prog, h, user, reason, expected_version)
    return n


@transaction.atomic
def apply_computed_hurdles(*, prog: Programme, user: Any) -> int:
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
                save_hurdle(
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


def save_hurdle(
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


@transaction.atomic
def record_hurdle(
    *,
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
    return save_hurdle(r, option, criterion, passed, reason, user, shortfall)


@transaction.atomic
def record_hurdles(
    *, prog: Programme, results: list[tuple[Option, HurdleCriterion, bool, str]], user: Any
) -> int:
    """Record many judged results in one go (a whole sift's grid); all or nothing.

    Every failure without a reason is named in one refusal, so the panel fixes them all at
    once instead of posting the grid again and again.
    """
    check_editable(prog, "hurdle_results")
    missing = [
        f"{o.code} on {h.name}" for o, h, passed, why in results if not passed and not why.strip()
    ]
    if missing:
        raise StageError(
            "A failed hurdle needs its reason: " + "; ".join(missing) + ". Nothing was saved."
        )
    for option, criterion, passed, reason in results:
        record_hurdle(option=option, criterion=criterion, passed=passed, reason=reason, user=user)
    return len(results)


@transaction.atomic
def sift(*, prog: Programme, user: Any) -> tuple[int, int]:
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
