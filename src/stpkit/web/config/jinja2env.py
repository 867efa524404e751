"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from stpkit.web.accounts.roles import AREAS, Role, can_see_area, has_role
from stpkit.web.core import clock, demo_loading, labels
from stpkit.web.tasks.header import header_counts


def static_dir(path: str) -> str:
    """The URL of a static folder (the NHS.UK templates' assetPath): folders have no
    manifest entry, and WhiteNoise serves the unhashed files inside them too."""
    return f"{settings.STATIC_URL.rstrip('/')}/{path.strip('/')}"


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    env = Environment(
        loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")]),
        **options,
    )
    env.globals.update(
        {
            "static": static,
            "static_dir": static_dir,
            "url": url,
            "get_messages": messages.get_messages,
            "partnership_name": settings.PARTNERSHIP_NAME,
            "AREAS": AREAS,
            "can_see_area": can_see_area,
            "header_counts": header_counts,
            "is_administrator": lambda user: has_role(user, {Role.ADMINISTRATOR}),
            "demo_as_at": clock.demo_as_at,
            "demo_loading": demo_loading.loading,
            "today": clock.today,
        }
    )
    env.filters["thousands"] = lambda v, dp=0: f"{v:,.{dp}f}" if v is not None else "–"
    env.filters.update(labels.FILTERS)
    return env
