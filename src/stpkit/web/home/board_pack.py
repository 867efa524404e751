"""The board pack's sections from the system view (the three gaps, the deprivation gap from
the integrated dataset's governed layer, the national standards
with their SPC icons in words, the partnership's rating) and from the enabling workstreams
(estates and capital, workforce). They live here, above the board, system and enablers
apps, and are registered with the board's pack when Django starts (`HomeConfig.ready`),
so the board never imports the areas above it.
"""

from __future__ import annotations

from stpkit.reports.blocks import TableBlock
from stpkit.reports.board_pack import PackSection
from stpkit.reports.board_update import parse_body
from stpkit.system import MeasureSummary, Source
from stpkit.system.trajectory import Rag as MeasureRag
from stpkit.web.board.pack import register_sections

MEASURE_RAG_COLOURS = {
    MeasureRag.GREEN: "#007f3b",
    MeasureRag.AMBER: "#ffb81c",
    MeasureRag.RED: "#d5281b",
    MeasureRag.GREY: "#e8edee",
}


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "GBP m":
        return f"£{value:,.1f}m"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f} {unit}"


def spc_text(summary: MeasureSummary) -> tuple[str, str]:
    """The Making Data Count variation and assurance icons, in words."""
    if summary.spc is None:
        return "Too few points", "–"
    if not summary.spc.enough_points:
        return f"{summary.spc.variation.label} (few points)", summary.spc.assurance.label
    return summary.spc.variation.label, summary.spc.assurance.label


def gaps_section() -> PackSection:
    """The three gaps"""
    from stpkit.web.system import services

    views = services.gaps_view()
    rows = tuple(
        (
            v.gap.label,
            v.rag.label,
            f"{len(v.measures)}",
            f"{v.improving}",
            f"{v.worsening}",
        )
        for v in views
    )
    fills = {(i, 1): MEASURE_RAG_COLOURS[v.rag] for i, v in enumerate(views)}
    intro = [
        "The Five Year Forward View's three gaps, each rated by its worst measure against "
        "plan or standard; improving and worsening count the measures whose recent average "
        "moved the right or the wrong way."
    ]
    history = services.rating_history(limit=1)
    if history:
        when, rating = history[-1]
        if rating.category is not None:
            line = (
                f"NHS England's 2017 progress dashboard method rates the partnership "
                f"“{rating.category.value}” for {when:%B %Y}"
            )
            if rating.mover is not None:
                line += (
                    f"; {rating.mover.indicator.name} is the indicator that would move it to "
                    f"“{rating.mover.category.value}”"
                )
            intro.append(line + ".")
    return PackSection(
        "The three gaps",
        intro=tuple(intro),
        tables=(
            TableBlock(
                "The three gaps",
                ("Gap", "Rating", "Measures", "Improving", "Worsening"),
                rows,
                fills,
                widths=(3, 1.2, 1, 1, 1),
                empty="No measures yet.",
            ),
        ),
    )


def standards_section() -> PackSection:
    """National standards"""
    from stpkit.web.system import services

    national = [
        s for s in services.summaries() if s.definition.source is Source.NATIONAL and s.latest
    ]
    rows = []
    fills = {}
    for i, s in enumerate(national):
        assert s.latest is not None
        variation, assurance = spc_text(s)
        rows.append(
            (
                s.definition.name,
                s.definition.standard or value_text(s.definition.target, s.definition.unit),
                f"{s.latest.period:%b %Y}",
                value_text(s.latest.actual, s.definition.unit),
                s.rag.label,
                variation,
                assurance,
            )
        )
        fills[(i, 4)] = MEASURE_RAG_COLOURS[s.rag]
    return PackSection(
        "National standards",
        intro=(
            "The constitutional standards from NHS England's published statistics for the "
            "partnership's providers. Variation and assurance are the Making Data Count "
            "icons in words: whether the latest month is a special cause, and whether the "
            "process will meet the standard.",
        ),
        tables=(
            TableBlock(
                "National standards, latest month",
                ("Standard", "Target", "Month", "Actual", "Rating", "Variation", "Assurance"),
                tuple(rows),
                fills,
                widths=(3, 2, 1.1, 1.1, 1, 2.2, 2.2),
                empty="No national statistics have been loaded yet.",
            ),
        ),
    )


def enablers_sections() -> list[PackSection]:
    """Estates, capital and workforce"""
    from stpkit.web.enablers.board import board_sections_text

    return [
        PackSection(
            s.heading,
            intro=tuple(s.paragraphs()),
            bullets=tuple(s.bullets()),
        )
        for s in parse_body(board_sections_text())
    ]


def system_sections() -> list[PackSection]:
    """The system view"""
    return [gaps_section(), standards_section()]


def population_sections() -> list[PackSection]:
    """Health inequalities"""
    from stpkit.web.data.board import deprivation_section

    return [deprivation_section()]


def register() -> None:
    register_sections(system_sections)
    register_sections(population_sections)
    register_sections(enablers_sections)
