"""What every data page shares: the page frame, the year asked for, the governed guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.kid.governed import InsightStore
from stpkit.web.accounts.roles import can_edit_area, user_role
from stpkit.web.core.models import Partnership
from stpkit.web.data import services

PAGES: list[tuple[str, str]] = [
    ("data:index", "Overview"),
    ("data:population", "Population"),
    ("data:segments", "Segments and cost"),
    ("data:costs", "Year-of-care cost"),
    ("data:trends", "Activity and cost trends"),
    ("data:practices", "Emergency admissions by practice"),
    ("data:projection", "Demand in five years"),
    ("data:tiers", "Local care tiers"),
    ("data:inequalities", "Inequalities"),
    ("data:risk", "Risk of emergency admission"),
    ("data:demand", "Demand and capacity"),
    ("data:capitation", "Capitation"),
    ("data:purposes", "Purposes"),
]

View = Callable[..., HttpResponse]


def page(
    request: HttpRequest, template: str, title: str, current: str, **context: Any
) -> HttpResponse:
    context.update(
        title=title, pages=PAGES, current=current, can_edit=can_edit_area(request.user, "data")
    )
    return render(request, f"data/{template}", context)


def year_asked(access: services.DashboardAccess, request: HttpRequest) -> int:
    """The `year` asked for if the store has it, else the store's latest year."""
    assert access.store is not None
    years = access.store.years()
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        year = years[-1]
    return year if year in years else years[-1]


def number_asked(request: HttpRequest, name: str, default: float, lo: float, hi: float) -> float:
    """A number from the query string, clamped to [lo, hi]; `default` if not a number."""
    try:
        value = float(request.GET.get(name, default))
    except ValueError:
        return default
    return min(hi, max(lo, value))


def governed(title: str) -> Callable[[View], View]:
    """Render the 'no figures' page when the dashboards purpose does not allow them."""

    def decorator(view: View) -> View:
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access = services.dashboard_access()
            if not access.ok:
                return page(request, "unavailable.jinja", title, "", problem=access.problem)
            return view(request, access, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


def scale(access: services.DashboardAccess) -> float:
    """Store people -> the partnership's registered population (1 for a full-scale store)."""
    assert access.store is not None
    return partnership_scale(access.store)


def partnership_scale(store: InsightStore) -> float:
    """`scale` for a store opened without the dashboards' access check (the JSON API)."""
    partnership = Partnership.objects.first()
    people = store.people()
    if partnership is None or not partnership.population or people >= 0.5 * partnership.population:
        return 1.0
    return partnership.population / people


def username(request: HttpRequest) -> str:
    return str(getattr(request.user, "username", ""))


def role(request: HttpRequest) -> str:
    found = user_role(request.user)
    return found.value if found else ""


def suffix(download: object) -> str:
    """' download' when the page answered with a file, for its audit log entry."""
    return " download" if download else ""
