"""The capital plan: schemes, what they serve, their cost profile by year and funding,
against the capital envelope; the capital a service change option needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FUNDING_SOURCES = {
    "internal": "Internal (organisations' own capital)",
    "disposals": "Disposal receipts",
    "national": "National capital bid (STP capital)",
    "other": "Other (e.g. council, third party)",
}
# HM Treasury Green Book business case stages.
STAGES = {
    "idea": "Idea",
    "soc": "Strategic outline case",
    "obc": "Outline business case",
    "fbc": "Full business case",
    "approved": "Approved",
    "delivery": "In delivery",
}


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    costs: Mapping[str, float]  # financial year ("2018/19") -> GBP
    funding_source: str = "internal"
    stage: str = "idea"
    workstream: str = ""
    option_code: str = ""  # the service change option it serves, if any
    purpose: str = ""
    benefits: str = ""

    @property
    def total(self) -> float:
        return float(sum(self.costs.values()))


@dataclass(frozen=True)
class YearPosition:
    year: str
    planned: float
    envelope: float
    by_source: dict[str, float] = field(default_factory=dict)

    @property
    def headroom(self) -> float:
        return self.envelope - self.planned

    @property
    def over(self) -> bool:
        return self.planned > self.envelope + 1e-6


def plan_against_envelope(
    schemes: Iterable[Scheme], envelope: Mapping[str, float]
) -> list[YearPosition]:
    """Planned spend by year (and by funding source) against the envelope, year by year.
    Years in the schemes but not the envelope have an envelope of 0."""
    planned: dict[str, float] = defaultdict(float)
    source: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s in schemes:
        for year, amount in s.costs.items():
            planned[year] += amount
            source[year][s.funding_source] += amount
    years = sorted(set(planned) | set(envelope))
    return [
        YearPosition(
            year=y,
            planned=planned.get(y, 0.0),
            envelope=float(envelope.get(y, 0.0)),
            by_source=dict(source.get(y, {})),
        )
        for y in years
    ]


def capital_for_option(schemes: Iterable[Scheme], option_code: str) -> float:
    """Total capital of the schemes linked to a service change option."""
    return sum(s.total for s in schemes if s.option_code and s.option_code == option_code)


def disposals_cover(schemes: Iterable[Scheme], receipts: float) -> tuple[float, float]:
    """(capital planned from disposal receipts, receipts the estate candidates would give):
    the first above the second means the plan counts on receipts nobody has found."""
    planned = sum(s.total for s in schemes if s.funding_source == "disposals")
    return planned, receipts
