"""The productivity engine's exception family.

Bad input is reported as a list of `InputIssue`s (file, row, field, reason) so that a user
sees every problem in one go; nothing is loaded while any issue remains.
"""

from __future__ import annotations

from dataclasses import dataclass

from stpkit.errors import StpkitError


class ProductivityError(StpkitError):
    """Base class for errors of the productivity engine."""


@dataclass(frozen=True)
class InputIssue:
    """One problem with one input row: where it is and why it was refused."""

    file: str
    row: int  # spreadsheet row number (1 is the header row); 0 when the whole file is wrong
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, field '{self.field}': {self.reason}"


class InputError(ProductivityError):
    """An input file was refused; `issues` lists every problem found."""

    def __init__(self, issues: list[InputIssue]) -> None:
        self.issues = issues
        shown = "; ".join(str(i) for i in issues[:10])
        more = f" (and {len(issues) - 10} more)" if len(issues) > 10 else ""
        super().__init__(f"{len(issues)} problem(s), nothing was loaded: {shown}{more}")


class BridgeError(ProductivityError):
    """A financial bridge whose steps do not add up to the totals it states.

    `problems` pairs the position of each offending step (1 = first) with what is wrong.
    """

    def __init__(self, message: str, problems: list[tuple[int, str]] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)
