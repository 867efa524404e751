"""Savings delivery: schemes phased by month, actuals, confidence and risk-adjusted forecast.

A plan year runs April to March ("2020/21" = April 2020 to March 2021). The forecast of a
scheme is what it has delivered (months with an actual) plus the planned savings of the
months still to come, weighted by its confidence: green 90%, amber 50%, red 10% by
default (`RISK_FACTORS`; a programme may set its own).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from stpkit.productivity.errors import InputError, InputIssue, ProductivityError
from stpkit.productivity.tables import parse_number, read_table, require_columns


class Confidence(StrEnum):
    GREEN = "G"
    AMBER = "A"
    RED = "R"

    @property
    def label(self) -> str:
        return {"G": "Green", "A": "Amber", "R": "Red"}[self.value]


RISK_FACTORS: dict[Confidence, float] = {
    Confidence.GREEN: 0.9,
    Confidence.AMBER: 0.5,
    Confidence.RED: 0.1,
}

_PLAN_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def plan_year_months(plan_year: str) -> list[date]:
    """The twelve months (first days) of a plan year written like '2020/21'."""
    match = _PLAN_YEAR.match(plan_year)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ProductivityError(f"plan year '{plan_year}' is not written like 2020/21")
    start = int(match[1])
    return [date(start + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def parse_month(text: str) -> date | None:
    """'2020-04', '2020-04-01' or 'Apr 2020' as the first day of the month."""
    text = text.strip()
    for pattern in (r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?(?: 00:00:00)?$",):
        m = re.match(pattern, text)
        if m and 1 <= int(m[2]) <= 12:
            return date(int(m[1]), int(m[2]), 1)
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    m = re.match(r"^([A-Za-z]{3})[a-z]*\s+(\d{4})$", text)
    if m and m[1].lower() in months:
        return date(int(m[2]), months.index(m[1].lower()) + 1, 1)
    return None


@dataclass
class Scheme:
    working_group: str
    name: str
    confidence: Confidence
    planned: dict[date, float] = field(default_factory=dict)
    actual: dict[date, float] = field(default_factory=dict)

    @property
    def planned_total(self) -> float:
        return sum(self.planned.values())

    @property
    def delivered(self) -> float:
        return sum(self.actual.values())

    def forecast(self, factors: dict[Confidence, float] = RISK_FACTORS) -> float:
        """Delivered so far plus the risk-weighted plan of months without an actual."""
        remaining = sum(v for m, v in self.planned.items() if m not in self.actual)
        return self.delivered + remaining * factors[self.confidence]

    def planned_to_date(self) -> float:
        """Plan for the months that already have an actual: the yardstick for delivery."""
        return sum(v for m, v in self.planned.items() if m in self.actual)


@dataclass(frozen=True)
class DeliverySummary:
    """Plan, delivery and forecast of a set of schemes against a target (None if TBC)."""

    target: float | None
    planned: float
    planned_to_date: float
    delivered: float
    forecast: float

    @property
    def gap_to_target(self) -> float | None:
        return None if self.target is None else self.target - self.forecast

    @property
    def unplanned(self) -> float | None:
        return None if self.target is None else self.target - self.planned


def summarise(
    schemes: list[Scheme], target: float | None, factors: dict[Confidence, float] = RISK_FACTORS
) -> DeliverySummary:
    return DeliverySummary(
        target=target,
        planned=sum(s.planned_total for s in schemes),
        planned_to_date=sum(s.planned_to_date() for s in schemes),
        delivered=sum(s.delivered for s in schemes),
        forecast=sum(s.forecast(factors) for s in schemes),
    )


def monthly_profile(schemes: list[Scheme], plan_year: str) -> list[dict[str, Any]]:
    """Planned and actual savings by month with cumulative totals, for tables and charts."""
    rows: list[dict[str, Any]] = []
    cum_plan = cum_actual = 0.0
    for month in plan_year_months(plan_year):
        planned = sum(s.planned.get(month, 0.0) for s in schemes)
        has_actual = any(month in s.actual for s in schemes)
        actual = sum(s.actual.get(month, 0.0) for s in schemes) if has_actual else None
        cum_plan += planned
        if actual is not None:
            cum_actual += actual
        rows.append(
            {
                "month": month,
                "planned": planned,
                "actual": actual,
                "cumulative_planned": cum_plan,
                "cumulative_actual": cum_actual if actual is not None else None,
            }
        )
    return rows


SAVINGS_COLUMNS = ["working_group", "scheme", "month", "planned", "actual", "confidence"]


def read_savings(
    data: bytes | Path, plan_year: str, working_groups: set[str], name: str | None = None
) -> list[Scheme]:
    """Schemes from a file of one row per scheme and month; refuses the file on any bad row.

    Months must fall inside the plan year: savings phased beyond it belong to next year's
    plan and would otherwise inflate this year's totals.
    """
    months = set(plan_year_months(plan_year))
    table = read_table(data, name)
    require_columns(table, [*SAVINGS_COLUMNS[:4], "confidence"], optional=["actual"])
    issues: list[InputIssue] = []
    schemes: dict[tuple[str, str], Scheme] = {}
    seen: dict[tuple[str, str, date], int] = {}
    first, last = min(months), max(months)
    for number, row in table.rows:
        bad = len(issues)
        group, scheme_name = row.get("working_group", ""), row.get("scheme", "")
        if group not in working_groups:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "working_group",
                    f"'{group}' is not a working group "
                    f"(known: {', '.join(sorted(working_groups))})",
                )
            )
        if not scheme_name:
            issues.append(InputIssue(table.name, number, "scheme", "is empty"))
        month = parse_month(row.get("month", ""))
        if month is None:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "month",
                    f"'{row.get('month', '')}' is not a month like 2020-04",
                )
            )
        elif month not in months:
            when = "after" if month > last else "before"
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "month",
                    f"{month:%B %Y} is {when} the plan year {plan_year} ({first:%B %Y} to "
                    f"{last:%B %Y}): phase savings within the plan year",
                )
            )
        planned = parse_number(row.get("planned", ""))
        if planned is None or planned < 0:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "planned",
                    f"'{row.get('planned', '')}' is not an amount >= 0",
                )
            )
        actual_text = row.get("actual", "")
        actual = parse_number(actual_text) if actual_text else None
        if actual_text and actual is None:
            issues.append(
                InputIssue(table.name, number, "actual", f"'{actual_text}' is not an amount")
            )
        try:
            confidence = Confidence(row.get("confidence", "").upper()[:1])
        except ValueError:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "confidence",
                    f"'{row.get('confidence', '')}' is not G, A or R",
                )
            )
            continue
        if len(issues) > bad:
            continue
        assert month is not None and planned is not None
        key = (group, scheme_name)
        if (group, scheme_name, month) in seen:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "month",
                    f"{scheme_name} already has {month:%B %Y} in row "
                    f"{seen[(group, scheme_name, month)]}",
                )
            )
            continue
        seen[(group, scheme_name, month)] = number
        scheme = schemes.setdefault(key, Scheme(group, scheme_name, confidence))
        if scheme.confidence is not confidence:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "confidence",
                    f"{scheme_name} is {scheme.confidence.label} in an earlier row; "
                    "one rating per scheme",
                )
            )
            continue
        scheme.planned[month] = planned
        if actual is not None:
            scheme.actual[month] = actual
    if issues:
        raise InputError(issues)
    if not schemes:
        raise InputError([InputIssue(table.name, 0, "-", "the file has no scheme rows")])
    return list(schemes.values())


def by_working_group(schemes: list[Scheme]) -> dict[str, list[Scheme]]:
    out: dict[str, list[Scheme]] = defaultdict(list)
    for s in schemes:
        out[s.working_group].append(s)
    return dict(out)
