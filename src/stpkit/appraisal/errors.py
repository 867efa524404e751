"""The appraisal engine's exception family: every message says what and where."""

from __future__ import annotations

from stpkit.errors import StpkitError


class AppraisalError(StpkitError):
    """Bad options, rules or criteria given to the appraisal engine."""


class CriteriaFileError(AppraisalError):
    """A criteria file (YAML or TOML) with an unknown metric or a malformed rule."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class AllOptionsRejectedError(AppraisalError):
    """The hurdle criteria rejected every option; the message says which rules did it."""
