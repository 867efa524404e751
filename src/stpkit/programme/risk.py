"""Risk scoring on the 5x5 likelihood x consequence matrix, with locally set bands.

Score = likelihood (1 Rare .. 5 Almost certain) x consequence (1 Negligible .. 5
Catastrophic), so 1-25. Partnerships set their own bands, so the bands are data
(`RiskBands`), not constants; the default is the common 1-3 low, 4-6 moderate, 8-12 high,
15-25 extreme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from stpkit.programme.errors import InvalidScoreError

LIKELIHOOD_LABELS: dict[int, str] = {
    1: "Rare",
    2: "Unlikely",
    3: "Possible",
    4: "Likely",
    5: "Almost certain",
}
CONSEQUENCE_LABELS: dict[int, str] = {
    1: "Negligible",
    2: "Minor",
    3: "Moderate",
    4: "Major",
    5: "Catastrophic",
}


def check_level(value: object, field: str) -> int:
    """`value` as an integer 1-5, or InvalidScoreError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            as_float = float(str(value).strip())
        except ValueError:
            raise InvalidScoreError(
                f"{field} must be a whole number from 1 to 5, not {value!r}"
            ) from None
        if not as_float.is_integer():
            raise InvalidScoreError(f"{field} must be a whole number from 1 to 5, not {value!r}")
        value = int(as_float)
    if not 1 <= value <= 5:
        raise InvalidScoreError(f"{field} must be from 1 to 5, not {value}")
    return value


def score(likelihood: int, consequence: int) -> int:
    """Likelihood x consequence, each checked to be 1-5."""
    return check_level(likelihood, "Likelihood") * check_level(consequence, "Consequence")


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class RiskBands:
    """Upper bounds of the low, moderate and high bands; extreme is everything above.

    Scores are products of two 1-5 numbers, so only some values occur (no 7, 11, 13, 14 ...);
    bands are defined by upper bounds so every score falls in exactly one band.
    """

    low_max: int = 3
    moderate_max: int = 6
    high_max: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.low_max < self.moderate_max < self.high_max < 25:
            raise InvalidScoreError(
                "Risk bands must rise: 1 <= low upper bound < moderate upper bound < "
                f"high upper bound < 25 (got {self.low_max}, {self.moderate_max}, "
                f"{self.high_max})"
            )

    @property
    def bands(self) -> list[Band]:
        return [
            Band("low", "Low", 1, self.low_max),
            Band("moderate", "Moderate", self.low_max + 1, self.moderate_max),
            Band("high", "High", self.moderate_max + 1, self.high_max),
            Band("extreme", "Extreme", self.high_max + 1, 25),
        ]

    def band_for(self, value: int) -> Band:
        if not 1 <= value <= 25:
            raise InvalidScoreError(f"A risk score must be from 1 to 25, not {value}")
        for band in self.bands:
            if value <= band.high:
                return band
        raise AssertionError("unreachable: the extreme band ends at 25")


DEFAULT_BANDS = RiskBands()


ESCALATION_STATUS = "open"


def should_escalate(value: int, threshold: int) -> bool:
    """Risks scoring at or above the threshold go to the Programme Board."""
    return value >= threshold


def is_escalated(status: str, value: int, threshold: int) -> bool:
    """The escalation rule, written once: a risk is escalated to the Programme Board while
    it is open and its score is at or above the threshold. (The web app's database form is
    `stpkit.web.programme.queries.escalated_q`, tested against this.)"""
    return status == ESCALATION_STATUS and should_escalate(value, threshold)


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    consequence: int
    score: int
    band: Band
    count: int


def heat_map(
    pairs: Iterable[tuple[int, int]], bands: RiskBands = DEFAULT_BANDS
) -> list[list[HeatCell]]:
    """Rows from likelihood 5 (top) down to 1, columns consequence 1..5, with counts."""
    counts = Counter(
        (check_level(lk, "Likelihood"), check_level(cq, "Consequence")) for lk, cq in pairs
    )
    return [
        [
            HeatCell(lk, cq, lk * cq, bands.band_for(lk * cq), counts.get((lk, cq), 0))
            for cq in range(1, 6)
        ]
        for lk in range(5, 0, -1)
    ]


def review_overdue(review_date: date | None, status: str, today: date) -> bool:
    """A risk's review is overdue when its review date has passed and it is not closed.

    A review due today is not yet overdue; a risk with no review date never is.
    """
    return review_date is not None and status != "closed" and review_date < today


def score_on(history: Iterable[tuple[date, int]], day: date) -> int | None:
    """The score in force on `day`: the last one recorded on or before it (None if the
    risk had no score yet). `history` is (date recorded, score) in any order; of two
    scores recorded on the same day the later in the iterable wins."""
    best: tuple[date, int] | None = None
    for recorded, value in history:
        if recorded <= day and (best is None or recorded >= best[0]):
            best = (recorded, value)
    return best[1] if best else None


def escalated_on(
    histories: Mapping[int, Iterable[tuple[date, int]]], day: date, threshold: int
) -> dict[int, int]:
    """Of each risk's score history (by risk id), those whose score on `day` was at or
    above the escalation threshold, with that score."""
    found: dict[int, int] = {}
    for risk_id, history in histories.items():
        value = score_on(history, day)
        if value is not None and should_escalate(value, threshold):
            found[risk_id] = value
    return found


def status_on(current: str, changes: Iterable[tuple[date, str]], day: date) -> str:
    """A risk's status on `day`, from its current status and its recorded status changes
    as (date of the change, status before it): the status before the first change made
    after `day`, or the current status when nothing has changed since."""
    later = [(changed, before) for changed, before in changes if changed > day]
    return min(later, key=lambda c: c[0])[1] if later else current
