"""Errors of the enabling workstreams' engine: every problem names file, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from stpkit.errors import StpkitError


class EnablersError(StpkitError):
    """Something about estates, workforce, capital or the portfolio a user can act on."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a return: where (file, row, column) and what."""

    file: str
    row: int | None  # the spreadsheet row (header is row 1); None: the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ReturnRejected(EnablersError):
    """A return had problems; nothing of it was loaded. `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s), nothing loaded: {shown}{more}")
