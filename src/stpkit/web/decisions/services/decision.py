"""The consultation period, NHS England assurance and the joint committee's decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from stpkit.decisions import StageError, stages
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import Decision, Option, Programme
from stpkit.web.decisions.services.queries import candidate_options, signed_flags
from stpkit.web.decisions.services.rules import check_not_closed


@transaction.atomic
def set_consultation(
    *,
    prog: Programme,
    user: Any,
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


@transaction.atomic
def record_decision(
    *,
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
