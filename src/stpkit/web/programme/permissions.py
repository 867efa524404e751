"""Who may change what in the programme: the finer rule under `area_required`.

Programme office and administrators edit every workstream and the programme-wide
register; a workstream lead edits only the workstream they lead; everyone else reads.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from stpkit.web.accounts.roles import Role, user_role
from stpkit.web.programme.models import Workstream

ALL_WORKSTREAMS = frozenset({Role.PROGRAMME_OFFICE, Role.ADMINISTRATOR})


def edits_everything(user: Any) -> bool:
    return user_role(user) in ALL_WORKSTREAMS


def can_edit_workstream(user: Any, workstream: Workstream | None) -> bool:
    """`workstream` None means the programme-wide register (programme office only)."""
    if edits_everything(user):
        return True
    if workstream is None or user_role(user) != Role.WORKSTREAM_LEAD:
        return False
    return workstream.lead_id is not None and workstream.lead_id == user.pk


def require_edit(user: Any, workstream: Workstream | None) -> None:
    if not can_edit_workstream(user, workstream):
        what = f"the {workstream.name} workstream" if workstream else "the programme-wide register"
        raise PermissionDenied(
            f"You can read {what} but not change it: only its lead and the programme office can."
        )


def editable_workstreams(user: Any) -> list[Workstream]:
    if edits_everything(user):
        return list(Workstream.objects.all())
    if user_role(user) == Role.WORKSTREAM_LEAD:
        return list(Workstream.objects.filter(lead_id=user.pk))
    return []
