"""Programmes, their stage sign-offs and reopenings, and the governance roles that sign."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from stpkit.decisions import GovernanceRole, StageError, stages
from stpkit.web.core import clock
from stpkit.web.core.audit import audited_delete, audited_save
from stpkit.web.decisions.models import Programme, RoleHolder, Stage
from stpkit.web.decisions.services.queries import facts, roles_of


@transaction.atomic
def create_programme(
    *,
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


@transaction.atomic
def sign_off(*, stage: Stage, user: Any, on: date | None = None) -> Stage:
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
        row.signed_off_on = on or clock.today()
        audited_save(row, user)
        return row


@transaction.atomic
def reopen(*, stage: Stage, user: Any, reason: str) -> list[Stage]:
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


@transaction.atomic
def assign_role(*, prog: Programme, user: Any, holder: Any, role: str) -> RoleHolder:
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


@transaction.atomic
def remove_role(*, prog: Programme, user: Any, holder_row: RoleHolder, reason: str) -> None:
    if len(reason.strip()) < 10:
        raise StageError("Removing a governance role needs a reason (at least 10 characters)")
    audited_delete(holder_row, user, reason=reason.strip())


@transaction.atomic
def set_stage_owner(*, stage: Stage, user: Any, owner: str, expected_version: int) -> Stage:
    """Record who leads a stage's work (refused if someone saved the stage meanwhile)."""
    stage.owner = owner.strip()
    audited_save(stage, user, expected_version=expected_version)
    return stage


@transaction.atomic
def mark_pcbc_generated(*, prog: Programme, user: Any) -> bool:
    """Record the first time the PCBC options-appraisal chapter was generated (a condition
    of the PCBC stage); later generations change nothing. True if this one was the first."""
    if prog.pcbc_generated_at is not None:
        return False
    prog.pcbc_generated_at = timezone.now()
    audited_save(prog, user)
    return True
