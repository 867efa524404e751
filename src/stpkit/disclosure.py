"""Statistical disclosure control for every count that leaves the pseudonymised zone.

A policy is a named rule applied to a column of counts of people. The default is the
OpenSAFELY rule (REFERENCE.md): counts at or below 7 are redacted, the rest rounded to the
nearest 5, and totals recomputed from the rounded cells, so no small number can be
recovered by subtracting a published cell from a published total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class DisclosurePolicy(Protocol):
    @property
    def name(self) -> str: ...

    def apply(self, count: int) -> int | None:
        """The publishable value of one count; None means shown as suppressed ('*')."""

    def describe(self) -> str: ...


@dataclass(frozen=True)
class OpenSafelyRule:
    """Redact counts <= threshold (to 0), round everything else to the nearest `base`."""

    threshold: int = 7
    base: int = 5
    name: str = "opensafely"

    def apply(self, count: int) -> int | None:
        _check(count)
        if count <= self.threshold:
            return 0
        return int(self.base * math.floor(count / self.base + 0.5))

    def describe(self) -> str:
        return (
            f"Counts of {self.threshold} or fewer are redacted to 0; other counts are rounded "
            f"to the nearest {self.base}; totals are sums of the rounded counts."
        )


@dataclass(frozen=True)
class MidpointSixRule:
    """OpenSAFELY's 'midpoint 6' rounding: 0->0, 1-6->3, 7-12->9, 13-18->15 ..."""

    name: str = "midpoint6"

    def apply(self, count: int) -> int | None:
        _check(count)
        return math.ceil(count / 6) * 6 - 3 * (count != 0)

    def describe(self) -> str:
        return "Counts are rounded to the midpoint of their band of six (1-6 shown as 3)."


@dataclass(frozen=True)
class NhsDigitalRule:
    """NHS Digital HES practice: sub-national counts of 1-7 shown as '*'."""

    threshold: int = 7
    name: str = "nhs_digital"

    def apply(self, count: int) -> int | None:
        _check(count)
        return None if 1 <= count <= self.threshold else count

    def describe(self) -> str:
        return f"Counts from 1 to {self.threshold} are suppressed and shown as '*'."


POLICIES: dict[str, DisclosurePolicy] = {
    p.name: p for p in (OpenSafelyRule(), MidpointSixRule(), NhsDigitalRule())
}
DEFAULT_POLICY: DisclosurePolicy = POLICIES["opensafely"]


def _check(count: int) -> None:
    if count < 0 or int(count) != count:
        raise ValueError(f"A count of people must be a whole number >= 0, got {count!r}")


def protect(counts: Sequence[int], policy: DisclosurePolicy = DEFAULT_POLICY) -> list[int | None]:
    """Apply the policy to each cell."""
    return [policy.apply(int(c)) for c in counts]


def protected_total(counts: Sequence[int], policy: DisclosurePolicy = DEFAULT_POLICY) -> int:
    """The publishable total: the sum of the protected cells (suppressed cells count as 0)."""
    return sum(v or 0 for v in protect(counts, policy))


def policy_named(name: str) -> DisclosurePolicy:
    try:
        return POLICIES[name]
    except KeyError as exc:
        raise ValueError(
            f"Unknown disclosure policy {name!r}; choose one of {', '.join(POLICIES)}"
        ) from exc
