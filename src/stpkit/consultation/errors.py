"""The consultation engine's exception family."""

from __future__ import annotations

from stpkit.errors import StpkitError


class ConsultationError(StpkitError):
    """Anything the consultation engine refuses, with where and why."""


class ResponseFileError(ConsultationError):
    """A response file that cannot be read at all (wrong format, missing columns)."""


class ThemeError(ConsultationError):
    """An impossible theme edit (unknown theme, merging a theme with itself, ...)."""
