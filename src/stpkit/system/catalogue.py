"""The catalogue of measures: what each measures, where it comes from, which way is better,
its standard, its owner, and the Five Year Forward View gap and workstream it evidences.

A measure is plain data so the engine, the web app, the demo and the benchmarks share one
definition. Values are monthly (the first day of the month names the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stpkit.system.spc import Polarity


class Gap(StrEnum):
    """The three gaps of the Five Year Forward View (keys as programme objectives use them)."""

    HEALTH_WELLBEING = "health_wellbeing"
    CARE_QUALITY = "care_quality"
    FUNDING_EFFICIENCY = "funding_efficiency"

    @property
    def label(self) -> str:
        return GAP_LABELS[self]


GAP_LABELS: dict[Gap, str] = {
    Gap.HEALTH_WELLBEING: "Health and wellbeing",
    Gap.CARE_QUALITY: "Care and quality",
    Gap.FUNDING_EFFICIENCY: "Finance and efficiency",
}


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class Source(StrEnum):
    """Where the actuals come from."""

    NATIONAL = "national"  # an NHS England / NHS Digital statistical file
    DATASET = "dataset"  # the integrated dataset (KID)
    PROGRAMME = "programme"  # the programme office's own records
    PRODUCTIVITY = "productivity"  # the productivity programme's savings
    MANUAL = "manual"  # entered by hand


@dataclass(frozen=True)
class MeasureDefinition:
    code: str
    name: str
    definition: str
    unit: str  # "%", "count", "per 100,000", "GBP m", "days"
    source: Source
    frequency: Frequency
    polarity: Polarity
    gap: Gap
    target: float | None = None
    standard: str = ""  # the constitutional standard or plan target, in words
    owner: str = ""
    workstream: str = ""  # slug of the programme workstream it evidences
    dataset: str = ""  # national layout key (for Source.NATIONAL)

    def __post_init__(self) -> None:
        if not self.code or not self.code.replace("_", "").isalnum():
            raise ValueError(f"measure code {self.code!r} must be letters, digits and _")
        if self.source is Source.NATIONAL and not self.dataset:
            raise ValueError(f"national measure {self.code} names no dataset")


def meets(value: float, target: float, polarity: Polarity) -> bool:
    """Whether `value` meets `target` the way the measure counts better."""
    if polarity is Polarity.LOWER_IS_BETTER:
        return value <= target
    return value >= target
