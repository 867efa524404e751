"""The rules every write checks first: which stage an edit belongs to, field validation,
reasons for removals, and removals indexed on the programme so its audit trail keeps them.

Each edit is allowed only while its stage is the current one, saved through the audit
trail with the editor's reason, and refused when someone else saved the item after the
editor opened it. A removal needs a reason; its audit records stay findable from the
programme through `Removal`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from stpkit.decisions import StageError, stages
from stpkit.web.core.audit import audited_delete
from stpkit.web.decisions.models import Programme, Removal
from stpkit.web.decisions.services.queries import signed_flags

EDIT_STAGE = {
    "evidence": "case_for_change",
    "service_model": "service_models",
    "hurdle_criteria": "hurdle_criteria",
    "weights": "evaluation_criteria",
    "options": "long_list",
    "hurdle_results": "hurdle_sift",
    "scores": "evaluation",
}


CLOSED_AT = {
    "assurance": "assurance",
    "consultation_period": "consultation",
    "consultation_analysis": "consultation_evaluation",
}


def clean_or_refuse(obj: models.Model, error: type[Exception], refused: str) -> None:
    """Run the model's own field validation; refuse with every problem named after `refused`
    (e.g. "Option 'X' was not added: code: ...")."""
    try:
        obj.full_clean(exclude=["programme"])
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise error(f"{refused}: {problems}") from None


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


REASON_MIN = 10


def need_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise StageError(f"{what} needs a reason (at least {REASON_MIN} characters)")
    return reason


def remove_indexed(
    prog: Programme, obj: Any, user: Any, reason: str, expected_version: int | None
) -> None:
    """Delete `obj` with its audit record, refusing a stale removal; index it on `prog` so
    the programme's audit trail keeps it. Callers run this in a transaction, so a refused
    removal leaves no index entry behind."""
    index_removal(prog, obj)
    audited_delete(obj, user, reason=reason, expected_version=expected_version)


def index_removal(prog: Programme, obj: Any) -> None:
    Removal.objects.get_or_create(
        programme=prog,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    )
