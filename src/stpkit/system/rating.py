"""The partnership rated as NHS England's STP progress dashboard (July 2017) rated it.

What the public sources say (docs/system.md): 17 indicators in nine priority areas, the
areas in three themes (i-iii hospital performance, iv-vi patient-focused change, vii-ix
transformation); an overall rating in four categories (Outstanding, Advanced, Making
progress, Needs most improvement); "the methodology is similar to that used for the CCG
IAF" (NHS England board paper PB.21.07.2017/11). The IAF rates each indicator against the
national distribution. Our reproduction, with each assumption named in docs/system.md:

- each indicator is scored 1-4 by the national quartile its value falls in (4 = best
  quartile, by the indicator's polarity); an indicator with a standard and no national
  distribution scores 4 if it meets the standard, 1 if it does not;
- an area's score is the mean of its indicators' scores; the overall score the mean of the
  areas' scores (each area counts the same, as each was one of nine domains);
- the category by overall score: 3.25 or more Outstanding, 2.75 or more Advanced, 2.0 or
  more Making progress, below 2.0 Needs most improvement.

The indicator that would move the rating: for each indicator not already in the best
quartile, the overall score if it rose one quartile; the first (fewest quartiles, nearest
value) that lifts the category is reported with the value it needs to reach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stpkit.system.spc import Polarity


class Theme(StrEnum):
    HOSPITAL = "Hospital performance"
    PATIENT = "Patient-focused change"
    TRANSFORMATION = "Transformation"


class Category(StrEnum):
    OUTSTANDING = "Outstanding"
    ADVANCED = "Advanced"
    MAKING_PROGRESS = "Making progress"
    NEEDS_MOST_IMPROVEMENT = "Needs most improvement"


THRESHOLDS: tuple[tuple[float, Category], ...] = (
    (3.25, Category.OUTSTANDING),
    (2.75, Category.ADVANCED),
    (2.0, Category.MAKING_PROGRESS),
)
CATEGORY_ORDER = [
    Category.NEEDS_MOST_IMPROVEMENT,
    Category.MAKING_PROGRESS,
    Category.ADVANCED,
    Category.OUTSTANDING,
]


@dataclass(frozen=True)
class Indicator:
    code: str  # the measure code in our catalogue
    name: str
    area: str
    theme: Theme
    polarity: Polarity
    standard: float | None = None


# Areas i-ix; indicators mapped onto the measures we hold (docs/system.md lists the
# dashboard's own indicators and where ours differ).
INDICATORS: tuple[Indicator, ...] = (
    Indicator("ae_4hr", "A&E four-hour performance", "Emergency care", Theme.HOSPITAL,
              Polarity.HIGHER_IS_BETTER, 95.0),
    Indicator("delayed_days", "Delayed transfers of care", "Emergency care", Theme.HOSPITAL,
              Polarity.LOWER_IS_BETTER),
    Indicator("rtt_18wk", "Referral to treatment within 18 weeks", "Elective care", Theme.HOSPITAL,
              Polarity.HIGHER_IS_BETTER, 92.0),
    Indicator("dm01_6wk", "Diagnostic waits of six weeks or more", "Elective care", Theme.HOSPITAL,
              Polarity.LOWER_IS_BETTER, 1.0),
    Indicator("agency_spend", "Agency spend (GBP 000)", "Finance", Theme.HOSPITAL,
              Polarity.LOWER_IS_BETTER, 5000.0),
    Indicator("cancer_62d", "Cancer 62-day standard", "Cancer", Theme.PATIENT,
              Polarity.HIGHER_IS_BETTER, 85.0),
    Indicator("dementia_dx", "Dementia diagnosis rate", "Mental health and dementia", Theme.PATIENT,
              Polarity.HIGHER_IS_BETTER, 66.7),
    Indicator("rtt_52wk", "Waits over 52 weeks", "Primary and planned access", Theme.PATIENT,
              Polarity.LOWER_IS_BETTER, 0.0),
    Indicator("emergency_admission_rate", "Emergency admissions per 1,000", "Prevention",
              Theme.TRANSFORMATION, Polarity.LOWER_IS_BETTER, 8.0),
    Indicator("long_stay_bed_days", "Bed days of long stays", "Prevention", Theme.TRANSFORMATION,
              Polarity.LOWER_IS_BETTER),
    Indicator("inequality_gap", "Inequality gap", "Prevention", Theme.TRANSFORMATION,
              Polarity.LOWER_IS_BETTER, 1.8),
    Indicator("milestones_on_time", "Milestones on time (leadership)", "Leadership",
              Theme.TRANSFORMATION, Polarity.HIGHER_IS_BETTER, 80.0),
    Indicator("savings_delivered", "Savings delivered", "Sustainable finance",
              Theme.TRANSFORMATION, Polarity.HIGHER_IS_BETTER),
)  # fmt: skip


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    value: float | None
    score: int | None  # 1-4; None when there is no value
    basis: str  # "national quartile" or "standard"
    next_value: float | None  # the value that would reach the next score


@dataclass(frozen=True)
class Mover:
    indicator: Indicator
    value: float | None
    needed: float | None
    category: Category


@dataclass(frozen=True)
class Rating:
    indicators: tuple[IndicatorScore, ...]
    areas: dict[str, float]
    themes: dict[Theme, float]
    score: float | None
    category: Category | None
    mover: Mover | None


def category_for(score: float) -> Category:
    for threshold, category in THRESHOLDS:
        if score >= threshold:
            return category
    return Category.NEEDS_MOST_IMPROVEMENT


def quartile_cuts(values: Sequence[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    n = len(ordered)

    def q(p: float) -> float:
        pos = p * (n - 1)
        lo = int(pos)
        hi = min(lo + 1, n - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)

    return q(0.25), q(0.5), q(0.75)


def score_indicator(
    indicator: Indicator, value: float | None, national: Sequence[float] | None
) -> IndicatorScore:
    if value is None:
        return IndicatorScore(indicator, None, None, "no value", None)
    higher = indicator.polarity is not Polarity.LOWER_IS_BETTER
    if national and len(national) >= 4:
        cuts = quartile_cuts(national)
        rank = sum(value >= c for c in cuts) if higher else sum(value <= c for c in reversed(cuts))
        score = rank + 1
        ordered = cuts if higher else tuple(reversed(cuts))
        nxt = ordered[score - 1] if score < 4 else None
        return IndicatorScore(indicator, value, score, "national quartile", nxt)
    if indicator.standard is not None:
        met = value >= indicator.standard if higher else value <= indicator.standard
        return IndicatorScore(
            indicator, value, 4 if met else 1, "standard", None if met else indicator.standard
        )
    return IndicatorScore(indicator, value, None, "no comparator", None)


def rate(
    values: Mapping[str, float | None],
    national: Mapping[str, Sequence[float]] | None = None,
    indicators: Sequence[Indicator] = INDICATORS,
) -> Rating:
    """Rate one period: `values` by measure code, `national` the same measure for every
    partnership (or provider) in England, for the quartiles."""
    national = national or {}
    scores = tuple(score_indicator(i, values.get(i.code), national.get(i.code)) for i in indicators)
    overall, areas, themes = _aggregate(scores)
    category = category_for(overall) if overall is not None else None
    return Rating(scores, areas, themes, overall, category, _mover(scores, category))


def _aggregate(
    scores: Sequence[IndicatorScore],
) -> tuple[float | None, dict[str, float], dict[Theme, float]]:
    by_area: dict[str, list[int]] = {}
    theme_of: dict[str, Theme] = {}
    for s in scores:
        theme_of[s.indicator.area] = s.indicator.theme
        if s.score is not None:
            by_area.setdefault(s.indicator.area, []).append(s.score)
    areas = {a: sum(v) / len(v) for a, v in by_area.items()}
    themes: dict[Theme, list[float]] = {}
    for a, v in areas.items():
        themes.setdefault(theme_of[a], []).append(v)
    overall = sum(areas.values()) / len(areas) if areas else None
    return overall, areas, {t: sum(v) / len(v) for t, v in themes.items()}


def _mover(scores: Sequence[IndicatorScore], category: Category | None) -> Mover | None:
    if category is None or category is Category.OUTSTANDING:
        return None
    target = CATEGORY_ORDER[CATEGORY_ORDER.index(category) + 1]
    candidates = []
    for i, s in enumerate(scores):
        if s.score is None or s.score >= 4:
            continue
        for steps in range(1, 4 - s.score + 1):
            trial = list(scores)
            trial[i] = IndicatorScore(s.indicator, s.value, s.score + steps, s.basis, None)
            overall, _, _ = _aggregate(trial)
            if overall is not None and category_for(overall) is target:
                gap = abs((s.next_value or 0.0) - (s.value or 0.0))
                candidates.append((steps, gap, i))
                break
    if not candidates:
        return None
    _, _, i = min(candidates)
    s = scores[i]
    return Mover(s.indicator, s.value, s.next_value, target)
