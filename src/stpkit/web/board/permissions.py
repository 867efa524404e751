"""Who may do what on the board pages, beyond the area-level check in `roles.py`.

Programme office (and administrators) review and edit everything; a workstream lead
submits updates for the workstream they lead only; board members and analysts read.
"""

from __future__ import annotations

from typing import Any

from stpkit.web.accounts.roles import Role, has_role, user_role

OFFICE = frozenset({Role.PROGRAMME_OFFICE, Role.ADMINISTRATOR})


def is_office(user: Any) -> bool:
    return has_role(user, OFFICE)


def workstream_has_lead_field() -> bool:
    from stpkit.web.programme.models import Workstream

    return any(f.name == "lead" for f in Workstream._meta.get_fields())


def leads(user: Any, workstream: Any) -> bool:
    """Is `user` the lead of `workstream`?

    Until programme.Workstream gains its `lead` field, any workstream lead counts
    (the programme office still reviews every update before the board sees it).
    """
    if user_role(user) != Role.WORKSTREAM_LEAD:
        return False
    if not workstream_has_lead_field():
        return True
    return getattr(workstream, "lead_id", None) == user.pk


def can_submit_update(user: Any, workstream: Any) -> bool:
    return is_office(user) or leads(user, workstream)
