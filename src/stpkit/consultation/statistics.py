"""Closed questions: counts, percentages and Wilson confidence intervals, by group.

Groups are respondent type, a demographic field or area. Small groups are protected with
a `stpkit.disclosure` policy: counts and bases are published as the policy says, and the
percentage and interval are computed from the published figures only, so no suppressed or
rounded-away count can be recovered from them. `policy=None` gives the raw figures, for
checking by hand and for work that never leaves the analysts.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from stpkit.consultation.survey import Question, QuestionKind, Response
from stpkit.disclosure import DisclosurePolicy

Z_95 = 1.959963984540054
ALL = "All respondents"
AGREE_NET = "Agree (net)"
DISAGREE_NET = "Disagree (net)"
GROUPINGS = ("all", "respondent_type", "area")  # plus any demographic field name


def wilson_interval(count: int, base: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion count/base (as fractions 0..1)."""
    if base <= 0:
        raise ValueError("A proportion needs a base of at least one respondent")
    if not 0 <= count <= base:
        raise ValueError(f"count {count} must lie between 0 and the base {base}")
    p = count / base
    denom = 1 + z * z / base
    centre = (p + z * z / (2 * base)) / denom
    half = z * math.sqrt(p * (1 - p) / base + z * z / (4 * base * base)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class OptionStat:
    group: str
    option: str
    count: int | None  # None: suppressed
    base: int | None
    percent: float | None
    ci_low: float | None  # percent
    ci_high: float | None

    @property
    def suppressed(self) -> bool:
        return self.percent is None

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def group_of(response: Response, by: str) -> str:
    if by == "all":
        return ALL
    if by == "respondent_type":
        return response.respondent_type
    if by == "area":
        return response.area
    if by in response.demographics:
        return response.demographics[by]
    raise KeyError(f"Cannot group by {by!r}: use all, respondent_type, area or a demographic")


def _chosen(response: Response, question: Question) -> list[str]:
    value = response.answers.get(question.code, "")
    if isinstance(value, list):
        return value
    return [value] if value else []


def question_table(
    responses: Iterable[Response],
    question: Question,
    by: str = "all",
    policy: DisclosurePolicy | None = None,
) -> list[OptionStat]:
    """One row per group and option (and net agree/disagree rows for a Likert question).

    The base of a group is the respondents in it who answered the question; for a
    multiple-choice question percentages can add to more than 100.
    """
    if question.kind is QuestionKind.OPEN:
        raise ValueError(f"{question.code} is an open question: it has themes, not counts")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    bases: Counter[str] = Counter()
    for r in responses:
        chosen = _chosen(r, question)
        if not chosen:
            continue
        group = group_of(r, by)
        bases[group] += 1
        counts[group].update(chosen)
    options: list[str] = list(question.options)
    if question.kind is QuestionKind.LIKERT:
        for c in counts.values():
            c[AGREE_NET] = sum(c[o] for o in question.agree_options)
            c[DISAGREE_NET] = sum(c[o] for o in question.disagree_options)
        options += [AGREE_NET, DISAGREE_NET]
    rows: list[OptionStat] = []
    for group in sorted(bases, key=lambda g: (g == ALL, -bases[g], g)):
        base = publish(bases[group], policy)
        for option in options:
            count = publish(counts[group][option], policy)
            rows.append(_stat(group, option, count, base))
    return rows


def publish(value: int, policy: DisclosurePolicy | None) -> int | None:
    """The published count; None when the policy hides it (a redacted count is hidden too,
    so a redacted 3 is never shown as a true 0%)."""
    if policy is None:
        return value
    published = policy.apply(value)
    return None if published == 0 and value > 0 else published


def _stat(group: str, option: str, count: int | None, base: int | None) -> OptionStat:
    if count is None or not base or count > base:
        return OptionStat(group, option, count, base, None, None, None)
    low, high = wilson_interval(count, base)
    return OptionStat(group, option, count, base, 100 * count / base, 100 * low, 100 * high)


def agreement_by(
    responses: Sequence[Response],
    question: Question,
    by: str,
    policy: DisclosurePolicy | None = None,
) -> list[OptionStat]:
    """The net-agree row of a Likert question for each group (for charts and maps)."""
    return [s for s in question_table(responses, question, by, policy) if s.option == AGREE_NET]
