"""Budget variance and forecast outturn for NHS financial years (April to March).

A workstream's annual plan is split into lines (staff, consultancy, engagement...). Each
month the programme office records what was spent. The board wants, per line, per
workstream and for the programme: plan, plan to date, actual to date, the variance to
date and the forecast outturn for the year. Plans are phased evenly over the twelve
months unless a monthly profile is given. Money is Decimal so totals add up to the penny.

Sign convention (as in NHS finance reports): variance = actual - plan, so a positive
variance is an overspend and a negative one an underspend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from stpkit.errors import StpkitError

ZERO = Decimal("0")
MONTHS_IN_YEAR = 12


class BudgetError(StpkitError):
    """A budget figure that cannot be accepted (negative plan, month outside the year...)."""


class ForecastMethod(StrEnum):
    """How to forecast the rest of the year.

    REMAINING_PLAN: actual to date plus the plan for the months still to come (the usual
    month-end assumption: the rest of the year goes to plan).
    RUN_RATE: actual to date extrapolated at the average monthly spend so far.
    """

    REMAINING_PLAN = "remaining_plan"
    RUN_RATE = "run_rate"


def financial_year_of(day: date) -> int:
    """The starting calendar year of the financial year containing `day` (Apr-Mar)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    """2018 -> '2018/19'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """'2018/19', '2018-19' or '2018' -> 2018; anything else is a BudgetError."""
    cleaned = text.strip().replace("-", "/")
    head, _, tail = cleaned.partition("/")
    if not head.isdigit() or len(head) != 4:
        raise BudgetError(f"financial year {text!r}: expected a year like 2018/19")
    start = int(head)
    if tail and (not tail.isdigit() or int(tail) % 100 != (start + 1) % 100):
        raise BudgetError(f"financial year {text!r}: the second year must follow the first")
    return start


def financial_year_months(start_year: int) -> list[date]:
    """The first day of each month of the financial year, April first."""
    return [
        date(start_year + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(4, 4 + MONTHS_IN_YEAR)
    ]


def months_elapsed(start_year: int, reported_to: date | None) -> int:
    """How many months of the year are reported (0 before April, 12 after March)."""
    if reported_to is None:
        return 0
    months = financial_year_months(start_year)
    first = date(reported_to.year, reported_to.month, 1)
    return sum(1 for m in months if m <= first)


@dataclass(frozen=True)
class BudgetLine:
    """One line of a workstream's annual plan, with its monthly actuals."""

    name: str
    plan: Decimal
    actuals: Mapping[date, Decimal] = field(default_factory=dict)
    profile: Sequence[Decimal] | None = None  # twelve monthly plan amounts, April first

    def monthly_plan(self) -> list[Decimal]:
        if self.profile is not None:
            return list(self.profile)
        share = self.plan / MONTHS_IN_YEAR
        phased = [share.quantize(Decimal("0.01")) for _ in range(MONTHS_IN_YEAR)]
        phased[-1] = self.plan - sum(phased[:-1], ZERO)  # March takes the rounding
        return phased


@dataclass(frozen=True)
class Position:
    """Plan against actual for a line, a workstream or the programme."""

    name: str
    plan: Decimal
    plan_to_date: Decimal
    actual_to_date: Decimal
    forecast_outturn: Decimal

    @property
    def variance_to_date(self) -> Decimal:
        """Actual minus plan to date: positive is an overspend."""
        return self.actual_to_date - self.plan_to_date

    @property
    def forecast_variance(self) -> Decimal:
        """Forecast outturn minus annual plan: positive is a forecast overspend."""
        return self.forecast_outturn - self.plan

    @property
    def remaining(self) -> Decimal:
        """Plan not yet spent."""
        return self.plan - self.actual_to_date


def validate_line(line: BudgetLine, start_year: int, where: str = "") -> None:
    """Refuse what a plan cannot hold: negative plans, months outside the year, bad profiles."""
    label = f"{where}budget line {line.name!r} ({financial_year_label(start_year)})"
    if line.plan < 0:
        raise BudgetError(f"{label}: planned amount {line.plan} is negative; enter zero or more")
    months = set(financial_year_months(start_year))
    for month in line.actuals:
        if month not in months:
            raise BudgetError(
                f"{label}: actual for {month:%B %Y} is outside the financial year"
                f" (April {start_year} to March {start_year + 1})"
            )
    if line.profile is not None:
        if len(line.profile) != MONTHS_IN_YEAR:
            raise BudgetError(f"{label}: the monthly profile needs 12 amounts")
        if any(p < 0 for p in line.profile):
            raise BudgetError(f"{label}: the monthly profile has a negative month")
        if sum(line.profile, ZERO) != line.plan:
            raise BudgetError(
                f"{label}: the monthly profile adds up to {sum(line.profile, ZERO)},"
                f" not the plan of {line.plan}"
            )


def line_position(
    line: BudgetLine,
    start_year: int,
    reported_to: date | None,
    method: ForecastMethod = ForecastMethod.REMAINING_PLAN,
) -> Position:
    """Where one line stands after the months up to `reported_to`."""
    validate_line(line, start_year)
    elapsed = months_elapsed(start_year, reported_to)
    months = financial_year_months(start_year)
    monthly = line.monthly_plan()
    plan_to_date = sum(monthly[:elapsed], ZERO)
    actual = sum((line.actuals.get(m, ZERO) for m in months[:elapsed]), ZERO)
    if method is ForecastMethod.RUN_RATE and elapsed:
        outturn = (actual / elapsed * MONTHS_IN_YEAR).quantize(Decimal("0.01"))
    else:
        outturn = actual + sum(monthly[elapsed:], ZERO)
    return Position(line.name, line.plan, plan_to_date, actual, outturn)


def roll_up(name: str, positions: Iterable[Position]) -> Position:
    """The sum of several positions (lines into a workstream, workstreams into the programme)."""
    items = list(positions)
    return Position(
        name,
        sum((p.plan for p in items), ZERO),
        sum((p.plan_to_date for p in items), ZERO),
        sum((p.actual_to_date for p in items), ZERO),
        sum((p.forecast_outturn for p in items), ZERO),
    )


def latest_actual_month(lines: Iterable[BudgetLine]) -> date | None:
    """The last month with any actual recorded: what the report is 'reported to'."""
    months = [m for line in lines for m in line.actuals]
    return max(months) if months else None


__all__ = [
    "BudgetError",
    "BudgetLine",
    "ForecastMethod",
    "Position",
    "financial_year_label",
    "financial_year_months",
    "financial_year_of",
    "latest_actual_month",
    "line_position",
    "months_elapsed",
    "parse_financial_year",
    "roll_up",
    "validate_line",
]
