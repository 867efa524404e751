"""The programme engine's exception family: every message says what was wrong and where."""

from __future__ import annotations

from stpkit.errors import StpkitError


class ProgrammeError(StpkitError):
    """Base class for bad programme input (scores, dependencies, imports)."""


class InvalidScoreError(ProgrammeError):
    """A likelihood or consequence outside 1-5, or bands that do not cover 1-25."""


class DependencyError(ProgrammeError):
    """A milestone depending on itself, or a dependency that would close a cycle."""


class ImportFormatError(ProgrammeError):
    """An import file that cannot be read at all (wrong columns, not a workbook)."""
