"""Metric definitions: what a metric measures and how its gap turns into activity, staff and cash.

A benchmark gap is per unit of the metric's denominator (days per spell, pounds per test);
multiplied by the provider's denominator it becomes activity (bed days, pounds, theatre
hours), and activity converts to cash and to staff (whole-time equivalents) with the
definition's rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from stpkit.productivity.errors import InputError, InputIssue
from stpkit.productivity.tables import parse_number, read_table, require_columns


class Direction(StrEnum):
    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


@dataclass(frozen=True)
class MetricDefinition:
    code: str
    name: str
    unit: str  # unit of the metric value, e.g. "days per spell"
    direction: Direction
    activity_unit: str  # what one unit of gap x denominator is, e.g. "bed days"
    cash_per_activity: float  # GBP per unit of activity
    staff_per_activity: float  # WTE per unit of activity
    overlap_group: str = ""  # metrics in one group describe the same money: never add them
    working_group: str = ""  # slug of the working group that owns the opportunity
    target: float | None = None  # a set level to benchmark against (basis "target"), if any


CATALOGUE_OPTIONAL = ["target", "overlap_group", "working_group"]
CATALOGUE_COLUMNS = [
    "code",
    "name",
    "unit",
    "direction",
    "activity_unit",
    "cash_per_activity",
    "staff_per_activity",
]


def read_catalogue(data: bytes | Path, name: str | None = None) -> dict[str, MetricDefinition]:
    """Metric definitions from CSV/Excel; refuses the whole file if any row is wrong."""
    table = read_table(data, name)
    require_columns(table, CATALOGUE_COLUMNS, optional=CATALOGUE_OPTIONAL)
    issues: list[InputIssue] = []
    result: dict[str, MetricDefinition] = {}
    for number, row in table.rows:
        for column in ("code", "name", "unit", "activity_unit"):
            if not row.get(column):
                issues.append(InputIssue(table.name, number, column, "is empty"))
        direction = row.get("direction", "").lower()
        if direction not in {d.value for d in Direction}:
            issues.append(
                InputIssue(
                    table.name, number, "direction", f"'{direction}' is not 'lower' or 'higher'"
                )
            )
        rates = {}
        for column in ("cash_per_activity", "staff_per_activity"):
            value = parse_number(row.get(column, ""))
            if value is None or value < 0:
                issues.append(
                    InputIssue(
                        table.name, number, column, f"'{row.get(column)}' is not a number >= 0"
                    )
                )
            rates[column] = value or 0.0
        target_text = row.get("target", "")
        target = parse_number(target_text) if target_text else None
        if target_text and target is None:
            issues.append(
                InputIssue(table.name, number, "target", f"'{target_text}' is not a number")
            )
        code = row.get("code", "")
        if code in result:
            issues.append(InputIssue(table.name, number, "code", f"'{code}' is defined twice"))
        if issues:
            continue
        result[code] = MetricDefinition(
            code=code,
            name=row["name"],
            unit=row["unit"],
            direction=Direction(direction),
            activity_unit=row["activity_unit"],
            cash_per_activity=rates["cash_per_activity"],
            staff_per_activity=rates["staff_per_activity"],
            overlap_group=row.get("overlap_group", ""),
            working_group=row.get("working_group", ""),
            target=target,
        )
    if issues:
        raise InputError(issues)
    return result
