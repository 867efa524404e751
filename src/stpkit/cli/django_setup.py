"""Start Django from the CLI (commands that touch the app database call this first)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stpkit.web.config.settings")
    import django

    django.setup()
