"""The consultation report: themes by group with counts and quotes, closed-question tables.

`build_report` gathers every figure once, already protected by the disclosure policy;
`report_docx` and `report_html` only lay it out, so the Word and web versions agree.
It is written to go into the decision-making business case of the programme it names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from stpkit.consultation.assignment import Assignment
from stpkit.consultation.duplicates import DuplicateGroup
from stpkit.consultation.statistics import OptionStat, publish, question_table
from stpkit.consultation.survey import Question, Response, Survey
from stpkit.consultation.themes import Theme
from stpkit.disclosure import DEFAULT_POLICY, DisclosurePolicy

STANCES = ("agree", "disagree", "unclear")


@dataclass
class ThemeSummary:
    key: str
    label: str
    count: int | None
    percent: float | None  # of those who answered the question
    by_type: dict[str, int | None]
    stance: dict[str, int | None]
    quotes: list[str]


@dataclass
class OpenQuestionSummary:
    question: Question
    answered: int | None
    themes: list[ThemeSummary]
    unthemed: int | None


@dataclass
class Report:
    title: str
    programme: str
    generated: date
    policy: str
    policy_note: str
    respondents: int | None
    by_type: dict[str, int | None]
    closed: list[tuple[Question, list[OptionStat]]] = field(default_factory=list)
    open: list[OpenQuestionSummary] = field(default_factory=list)
    campaigns: list[tuple[int | None, str, bool]] = field(default_factory=list)
    method: list[str] = field(default_factory=list)


def build_report(
    title: str,
    programme: str,
    survey: Survey,
    responses: Sequence[Response],
    themes: Mapping[str, Sequence[Theme]],  # open question code -> themes
    assignments: Mapping[str, Sequence[Assignment]],  # open question code -> assignments
    stances: Mapping[str, Mapping[str, str]],  # question code -> response id -> stance
    quotes: Mapping[str, Mapping[str, list[str]]],  # question code -> theme key -> quotes
    duplicates: Sequence[DuplicateGroup] = (),
    policy: DisclosurePolicy = DEFAULT_POLICY,
    by: str = "respondent_type",
    generated: date | None = None,
    themes_per_response: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> Report:
    """`themes_per_response` (question code -> response id -> theme keys) counts a response
    once in each of its themes; without it each assignment's one theme is counted."""

    def p(count: int) -> int | None:
        return publish(count, policy)  # a redacted count shows as suppressed, never as 0

    type_counts = Counter(r.respondent_type for r in responses)
    report = Report(
        title=title,
        programme=programme,
        generated=generated or date.today(),
        policy=policy.name,
        policy_note=policy.describe(),
        respondents=p(len(responses)),
        by_type={t: p(type_counts[t]) for t in survey.respondent_types},
    )
    for q in survey.closed_questions:
        report.closed.append((q, question_table(responses, q, by, policy)))
        report.closed.append((q, question_table(responses, q, "all", policy)))
    # one table per question: overall first, then by group
    report.closed = [
        (q, overall + grouped)
        for (q, grouped), (_, overall) in zip(report.closed[::2], report.closed[1::2], strict=True)
    ]
    rtype = {r.response_id: r.respondent_type for r in responses}
    for q in survey.open_questions:
        answered = [r for r in responses if r.texts.get(q.code, "").strip()]
        counts: Counter[str] = Counter()
        per_type: dict[str, Counter[str]] = defaultdict(Counter)
        per_stance: dict[str, Counter[str]] = defaultdict(Counter)
        several = (themes_per_response or {}).get(q.code)
        if several is None:
            several = {a.response_id: [a.theme] for a in assignments.get(q.code, ()) if a.theme}
        themed = 0
        for rid, keys in several.items():
            distinct = list(dict.fromkeys(keys))
            themed += bool(distinct)
            for key in distinct:
                counts[key] += 1
                per_type[key][rtype.get(rid, "")] += 1
                per_stance[key][stances.get(q.code, {}).get(rid, "unclear")] += 1
        unthemed = len(answered) - themed
        base = p(len(answered))
        summaries = []
        for theme in sorted(themes.get(q.code, ()), key=lambda t: -counts[t.key]):
            count = p(counts[theme.key])
            summaries.append(
                ThemeSummary(
                    key=theme.key,
                    label=theme.label,
                    count=count,
                    percent=100 * count / base if count is not None and base else None,
                    by_type={t: p(per_type[theme.key][t]) for t in survey.respondent_types},
                    stance={s: p(per_stance[theme.key][s]) for s in STANCES},
                    quotes=list(quotes.get(q.code, {}).get(theme.key, []))[:3],
                )
            )
        report.open.append(OpenQuestionSummary(q, base, summaries, p(max(0, unthemed))))
    report.campaigns = [(p(g.size), g.example, g.campaign) for g in duplicates if g.size >= 5]
    report.method = [
        "Closed questions: percentages of those who answered, with 95% Wilson intervals.",
        "Open text: the analysts' theme framework (or themes found by clustering, named and "
        "checked by analysts); a response can carry several themes and counts once in each, "
        "so theme counts can add up to more than the responses; analysts' labels are kept.",
        "Stance (agree, disagree, unclear): the response's closed answer where it has one, "
        "else general cues of agreement and disagreement (with negation) and the sides of "
        "its themes; learned from analysts' labels where given.",
        "Campaigns: groups of identical or near-identical texts are counted and flagged; "
        "each response still counts once.",
        f"Disclosure control ({policy.name}): {policy.describe()}",
    ]
    return report


def fmt_count(value: int | None) -> str:
    return "*" if value is None else f"{value:,}"


def fmt_percent(value: float | None) -> str:
    return "*" if value is None else f"{value:.1f}%"


def fmt_interval(stat: OptionStat) -> str:
    if stat.ci_low is None or stat.ci_high is None:
        return "*"
    return f"{stat.ci_low:.1f}% to {stat.ci_high:.1f}%"
