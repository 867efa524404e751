"""Hurdle criteria: rules every option must pass to reach the short list.

Each rule reports, for an option that fails it, the value it saw, the limit and the
shortfall (how far the option missed), so that every rejection is recorded with its reasons
as the Green Book options framework asks. All rules are checked for every option, so a
rejected option carries every rule it failed, not only the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from stpkit.appraisal.errors import AllOptionsRejectedError, AppraisalError
from stpkit.appraisal.expressions import Expression
from stpkit.appraisal.options import Option, check_unique_names


@dataclass(frozen=True)
class Failure:
    """One rule an option failed: what was seen, what was required, and by how much it missed."""

    rule: str
    value: str
    limit: str
    shortfall: float
    message: str


class Rule(Protocol):
    @property
    def name(self) -> str: ...

    def check(self, option: Option) -> Failure | None: ...

    def describe(self) -> str: ...


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


@dataclass(frozen=True)
class MetricBound:
    """A metric must lie between bounds, e.g. smallest unit volume >= 500."""

    metric: str
    minimum: float | None = None
    maximum: float | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if self.minimum is None and self.maximum is None:
            raise AppraisalError(f"Rule on {self.metric!r} needs a minimum or a maximum")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise AppraisalError(
                f"Rule on {self.metric!r}: minimum {self.minimum} is above maximum {self.maximum}"
            )
        if not self.name:
            object.__setattr__(self, "name", self.describe())

    def describe(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"{self.metric} between {_fmt(self.minimum)} and {_fmt(self.maximum)}"
        if self.minimum is not None:
            return f"{self.metric} >= {_fmt(self.minimum)}"
        assert self.maximum is not None
        return f"{self.metric} <= {_fmt(self.maximum)}"

    def check(self, option: Option) -> Failure | None:
        v = option.metric(self.metric)
        if self.minimum is not None and v < self.minimum:
            gap = self.minimum - v
            return Failure(
                self.name,
                _fmt(v),
                f">= {_fmt(self.minimum)}",
                gap,
                f"{self.metric} is {_fmt(v)}, {_fmt(gap)} below the minimum {_fmt(self.minimum)}",
            )
        if self.maximum is not None and v > self.maximum:
            gap = v - self.maximum
            return Failure(
                self.name,
                _fmt(v),
                f"<= {_fmt(self.maximum)}",
                gap,
                f"{self.metric} is {_fmt(v)}, {_fmt(gap)} above the maximum {_fmt(self.maximum)}",
            )
        return None


@dataclass(frozen=True)
class MustInclude:
    """Every named member must be in the option (e.g. a site that must keep its unit)."""

    members: tuple[str, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.describe())

    def describe(self) -> str:
        return f"includes {', '.join(self.members)}"

    def check(self, option: Option) -> Failure | None:
        missing = [m for m in self.members if m not in option.members]
        if not missing:
            return None
        return Failure(
            self.name,
            ", ".join(option.members),
            self.describe(),
            float(len(missing)),
            f"does not include {', '.join(missing)}",
        )


@dataclass(frozen=True)
class MustExclude:
    """No named member may be in the option (e.g. a site that cannot host a unit)."""

    members: tuple[str, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.describe())

    def describe(self) -> str:
        return f"excludes {', '.join(self.members)}"

    def check(self, option: Option) -> Failure | None:
        present = [m for m in self.members if m in option.members]
        if not present:
            return None
        return Failure(
            self.name,
            ", ".join(option.members),
            self.describe(),
            float(len(present)),
            f"includes {', '.join(present)}",
        )


@dataclass(frozen=True)
class ExpressionRule:
    """A custom rule written as an expression over metrics, e.g. `p95_minutes - p50 <= 30`."""

    expression: str
    name: str = ""
    parsed: Expression = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parsed", Expression(self.expression))
        if not self.name:
            object.__setattr__(self, "name", self.expression)

    def describe(self) -> str:
        return self.expression

    def check(self, option: Option) -> Failure | None:
        result = self.parsed.evaluate(option.metrics)
        if result.passed:
            return None
        seen = ", ".join(f"{n} = {_fmt(option.metric(n))}" for n in sorted(self.parsed.names))
        return Failure(
            self.name,
            seen,
            self.expression,
            result.shortfall,
            f"{self.expression} does not hold ({seen}; misses by {_fmt(result.shortfall)})",
        )


@dataclass(frozen=True)
class Rejection:
    option: Option
    failures: tuple[Failure, ...]

    @property
    def reasons(self) -> str:
        return "; ".join(f"{f.rule}: {f.message}" for f in self.failures)


@dataclass(frozen=True)
class Funnel:
    """The long list through the hurdles: who passed, who failed and why, count per stage."""

    long_list: tuple[Option, ...]
    passed: tuple[Option, ...]
    rejected: tuple[Rejection, ...]
    stages: tuple[tuple[str, int], ...]  # (rule name, options still standing after it)
    failures_by_rule: dict[str, int]

    def rows(self) -> list[dict[str, object]]:
        """One row per option: passed or the reasons it failed (for CSV/Excel)."""
        out: list[dict[str, object]] = [
            {
                "option": o.name,
                "members": ", ".join(o.members),
                "origin": o.origin,
                "result": "short list",
                "rules_failed": 0,
                "reasons": "",
            }
            for o in self.passed
        ]
        out += [
            {
                "option": r.option.name,
                "members": ", ".join(r.option.members),
                "origin": r.option.origin,
                "result": "rejected",
                "rules_failed": len(r.failures),
                "reasons": r.reasons,
            }
            for r in self.rejected
        ]
        return out


def apply_hurdles(
    options: Sequence[Option], rules: Iterable[Rule], *, allow_empty: bool = False
) -> Funnel:
    """Check every option against every rule; raise if nothing passes (unless allowed)."""
    options = list(options)
    rules = list(rules)
    check_unique_names(options)
    failures = {o.name: [f for r in rules if (f := r.check(o)) is not None] for o in options}
    standing = list(options)
    stages: list[tuple[str, int]] = [("long list", len(options))]
    for rule in rules:
        standing = [o for o in standing if all(f.rule != rule.name for f in failures[o.name])]
        stages.append((rule.name, len(standing)))
    by_rule = {
        r.name: sum(any(f.rule == r.name for f in fs) for fs in failures.values()) for r in rules
    }
    passed = tuple(o for o in options if not failures[o.name])
    rejected = tuple(Rejection(o, tuple(failures[o.name])) for o in options if failures[o.name])
    if not passed and options and not allow_empty:
        worst = sorted(by_rule.items(), key=lambda kv: -kv[1])
        detail = "; ".join(f"{name!r} rejected {n} of {len(options)}" for name, n in worst if n)
        only = [
            name
            for name, _ in worst
            if all(any(f.rule == name for f in fs) for fs in failures.values())
        ]
        alone = f" Rules that alone reject every option: {', '.join(only)}." if only else ""
        raise AllOptionsRejectedError(
            f"The hurdle criteria reject all {len(options)} options: {detail}.{alone}"
        )
    return Funnel(tuple(options), passed, rejected, tuple(stages), by_rule)
