"""Roles, the areas of the app, and who may see each area.

The policy lives here, in one table, so that views, navigation and the role-matrix test
all read the same answer. Finer rules (a workstream lead edits only their own workstream)
live with the app that owns the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class Role(StrEnum):
    BOARD_MEMBER = "board_member"
    PROGRAMME_OFFICE = "programme_office"
    WORKSTREAM_LEAD = "workstream_lead"
    ANALYST = "analyst"
    DATA_CONTROLLER = "data_controller"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.BOARD_MEMBER: "Board member",
    Role.PROGRAMME_OFFICE: "Programme office",
    Role.WORKSTREAM_LEAD: "Workstream lead",
    Role.ANALYST: "Analyst",
    Role.DATA_CONTROLLER: "Data controller",
    Role.ADMINISTRATOR: "Administrator",
}


@dataclass(frozen=True)
class Area:
    """A top-level part of the app, shown in the header navigation."""

    key: str
    title: str
    url_name: str
    readers: frozenset[Role]


ALL_ROLES = frozenset(Role)
AREAS: tuple[Area, ...] = (
    Area(
        "programme",
        "Programme",
        "programme:index",
        frozenset(ALL_ROLES - {Role.DATA_CONTROLLER}),
    ),
    Area(
        "data",
        "Data",
        "data:index",
        frozenset(
            {
                Role.ANALYST,
                Role.DATA_CONTROLLER,
                Role.PROGRAMME_OFFICE,
                Role.WORKSTREAM_LEAD,
                Role.ADMINISTRATOR,
            }
        ),
    ),
    Area(
        "decisions",
        "Decisions",
        "decisions:index",
        frozenset(ALL_ROLES - {Role.DATA_CONTROLLER}),
    ),
    Area(
        "productivity",
        "Productivity",
        "productivity:index",
        frozenset(ALL_ROLES - {Role.DATA_CONTROLLER}),
    ),
    Area(
        "consultation",
        "Consultation",
        "consultation:index",
        frozenset({Role.BOARD_MEMBER, Role.PROGRAMME_OFFICE, Role.ANALYST, Role.ADMINISTRATOR}),
    ),
)
AREA_BY_KEY = {a.key: a for a in AREAS}

# Who may change things in an area (finer checks belong to the owning app).
EDITORS: dict[str, frozenset[Role]] = {
    "programme": frozenset({Role.PROGRAMME_OFFICE, Role.WORKSTREAM_LEAD, Role.ADMINISTRATOR}),
    "data": frozenset({Role.ANALYST, Role.DATA_CONTROLLER, Role.ADMINISTRATOR}),
    "decisions": frozenset({Role.PROGRAMME_OFFICE, Role.ANALYST, Role.ADMINISTRATOR}),
    "productivity": frozenset({Role.PROGRAMME_OFFICE, Role.ANALYST, Role.ADMINISTRATOR}),
    "consultation": frozenset({Role.PROGRAMME_OFFICE, Role.ANALYST, Role.ADMINISTRATOR}),
}


def user_role(user: Any) -> Role | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return Role(user.role)
    except ValueError:
        return None


def has_role(user: Any, roles: frozenset[Role] | set[Role]) -> bool:
    role = user_role(user)
    return role is not None and role in roles


def can_see_area(user: Any, area_key: str) -> bool:
    return has_role(user, AREA_BY_KEY[area_key].readers)


def can_edit_area(user: Any, area_key: str) -> bool:
    return has_role(user, EDITORS[area_key])


F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow the view only to users holding one of `roles`; others get 403."""
    allowed = frozenset(roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not has_role(request.user, allowed):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def area_required(area_key: str, *, edit: bool = False) -> Callable[[F], F]:
    """Allow the view to the readers (or, with edit=True, the editors) of an area."""
    roles = EDITORS[area_key] if edit else AREA_BY_KEY[area_key].readers
    return roles_required(*roles)
