"""The consultation report as one self-contained HTML page (no scripts, prints cleanly)."""

from __future__ import annotations

from html import escape

from stpkit.consultation.report import STANCES, Report, fmt_count, fmt_interval, fmt_percent

STYLE = """
body{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;color:#212b32;line-height:1.5}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border-bottom:1px solid #d8dde0;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}
blockquote{border-left:4px solid #005eb8;margin:.5rem 0;padding:.2rem 1rem;background:#f0f4f5}
"""


def _table(caption: str, headings: list[str], rows: list[list[str]], numeric: int = 1) -> str:
    """numeric: columns from this index on are right-aligned."""
    head = "".join(
        f'<th scope="col"{" class=n" if i >= numeric else ""}>{escape(h)}</th>'
        for i, h in enumerate(headings)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if i >= numeric else ''}>{escape(v)}</td>" for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def report_html(report: Report) -> str:
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{escape(report.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f"<p>Service change programme: {escape(report.programme or 'not linked')}</p>",
        f"<p>Prepared {report.generated:%d %B %Y}. Figures are protected: "
        f"{escape(report.policy_note)}</p>",
        "<h2>Who responded</h2>",
        _table(
            "Responses by respondent type",
            ["Respondent type", "Responses"],
            [[t.title(), fmt_count(n)] for t, n in report.by_type.items()]
            + [["All", fmt_count(report.respondents)]],
        ),
    ]
    for summary in report.open:
        types = list(summary.themes[0].by_type) if summary.themes else []
        parts += [
            f"<h2>Themes: {escape(summary.question.text)}</h2>",
            f"<p>{fmt_count(summary.answered)} respondents answered this question.</p>",
            _table(
                "Themes by respondent type and stance",
                [
                    "Theme",
                    "Responses",
                    "% of answers",
                    *[t.title() for t in types],
                    *[s.title() for s in STANCES],
                ],
                [
                    [
                        t.label,
                        fmt_count(t.count),
                        fmt_percent(t.percent),
                        *[fmt_count(t.by_type[x]) for x in types],
                        *[fmt_count(t.stance[s]) for s in STANCES],
                    ]
                    for t in summary.themes
                ],
            ),
        ]
        for t in summary.themes:
            parts.append(f"<h3>{escape(t.label)} ({fmt_count(t.count)})</h3>")
            parts += [f"<blockquote>{escape(q)}</blockquote>" for q in t.quotes]
    parts.append("<h2>Closed questions</h2>")
    for question, stats in report.closed:
        parts += [
            f"<h3>{escape(question.text)}</h3>",
            _table(
                question.text,
                ["Group", "Answer", "Count", "Base", "Percent", "95% interval"],
                [
                    [
                        s.group,
                        s.option,
                        fmt_count(s.count),
                        fmt_count(s.base),
                        fmt_percent(s.percent),
                        fmt_interval(s),
                    ]
                    for s in stats
                ],
                numeric=2,
            ),
        ]
    parts.append("<h2>Campaigns and duplicate responses</h2>")
    if report.campaigns:
        parts.append(
            _table(
                "Groups of identical or near-identical responses",
                ["Responses", "Campaign", "Text"],
                [
                    [fmt_count(n), "Yes" if c else "No", text[:300]]
                    for n, text, c in report.campaigns
                ],
                numeric=0,
            )
        )
    else:
        parts.append("<p>No groups of five or more identical or near-identical responses.</p>")
    parts.append("<h2>Method</h2><ul>")
    parts += [f"<li>{escape(line)}</li>" for line in report.method]
    parts.append("</ul></body></html>")
    return "\n".join(parts)
