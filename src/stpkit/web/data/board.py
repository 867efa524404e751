"""The board paper's section from the integrated dataset: the deprivation gap.

The board reads the gap between the most and least deprived fifths of neighbourhoods
(IMD 2019 quintiles 1 and 5) and the slope index of inequality for the measures the case
for change names. The figures come from `stpkit.kid.governed.inequalities` under the
standing dashboards purpose, so they are exactly what the Inequalities page publishes:
counts passed the purpose's disclosure policy and every rate worked out from published
counts. Reading them is logged in the audit log like a page view. When the purpose is not
active, or no store is built, the section says so rather than printing figures.
"""

from __future__ import annotations

from stpkit.kid.governed import inequalities
from stpkit.reports.blocks import TableBlock
from stpkit.reports.board_pack import PackSection
from stpkit.web.data import services

HEADING = "Health inequalities: the deprivation gap"
# The measures the board sees, in this order (keys of the inequalities page's measures).
BOARD_MEASURES: tuple[str, ...] = (
    "emergency_admissions",
    "ae",
    "multimorbidity",
    "cost",
    "deaths",
)
COLUMNS = (
    "Measure",
    "Most deprived fifth",
    "Least deprived fifth",
    "Gap",
    "Slope index of inequality",
)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"  # hidden by disclosure control (or not computable from published cells)
    if unit == "GBP":
        return f"£{value:,.0f}"
    return f"{value:,.1f}{'%' if unit == '%' else ''}"


def deprivation_section() -> PackSection:
    """Health inequalities"""
    access = services.dashboard_access()
    if not access.ok or access.store is None or access.policy is None:
        return PackSection(HEADING, intro=(f"No figures: {access.problem}",))
    year = access.store.years()[-1]
    result = inequalities(access.store, year, services.cache_dir(), access.policy)
    rows = []
    for key in BOARD_MEASURES:
        gap = result.gap(key)
        if gap is None:
            continue
        unit = gap["unit"]
        rows.append(
            (
                gap["label"],
                _number(gap["most"], unit),
                _number(gap["least"], unit),
                _number(gap["gap"], unit),
                _number(gap["sii"], unit),
            )
        )
    services.governance().log(
        "board-paper",
        "",
        services.DASHBOARD_PURPOSE,
        "query",
        "board paper deprivation gap",
        len(rows),
    )
    return PackSection(
        HEADING,
        intro=(
            f"Everyone registered in {year}, by the deprivation (IMD 2019 quintile) of the "
            "neighbourhood they live in. The gap is the most deprived fifth's figure minus "
            "the least deprived fifth's; the slope index of inequality is the gap between "
            "the two ends of a line fitted across all five fifths, weighted by their people. "
            "Rates are crude (not age standardised). Counts passed the "
            f"“{access.policy.name}” disclosure policy; a dash is a figure it hides.",
        ),
        tables=(
            TableBlock(
                f"The deprivation gap, {year}",
                COLUMNS,
                tuple(rows),
                widths=(3.2, 1.4, 1.4, 1.1, 1.5),
                empty="No measures could be published.",
            ),
        ),
    )
