"""Who a free-text owner ("Programme director", "Digital workstream lead") means.

Actions and risks name their owner as text. A person answers to their name, username and
e-mail, their role in the app ("Programme office"), each governance role they hold on a
programme ("Programme director") and "<workstream> lead" / "<workstream> workstream lead"
for each workstream they lead. Matching ignores case and surrounding spaces.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from stpkit.web.accounts.models import User
from stpkit.web.decisions.models import RoleHolder
from stpkit.web.programme.models import Workstream


def names_of(user: Any) -> set[str]:
    """Every owner text that means `user`, lower-cased."""
    names = {user.username, user.get_full_name(), user.email, user.role_label}
    for ws in Workstream.objects.filter(lead=user).values_list("name", flat=True):
        names |= {f"{ws} lead", f"{ws} workstream lead"}
    for holder in RoleHolder.objects.filter(user=user):
        names.add(holder.get_role_display())
    return {n.strip().lower() for n in names if n and n.strip()}


def owned_by_q(names: set[str], field: str = "owner") -> Q:
    """Rows whose `field` is one of `names` (from `names_of`; none matches nothing)."""
    q = Q(pk__in=[])
    for name in names:
        q |= Q(**{f"{field}__iexact": name})
    return q


def people_named(owner: str) -> list[User]:
    """The active people `owner` means (none for an owner nobody answers to)."""
    wanted = owner.strip().lower()
    if not wanted:
        return []
    return [u for u in User.objects.filter(is_active=True) if wanted in names_of(u)]
