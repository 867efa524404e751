"""The stroke model's equality and access impact of one option, as a pack section.

The PCBC chapter (`decision_packs`) takes plain tables and a PNG; this turns one
configuration's figures (`stroke.business_case`, `stroke.equality`) and its map of the
change in travel time by LSOA (`stroke.maps`, drawn offline from the vendored
boundaries) into that section, so the chapter states the same figures as the appraisal's
CSV files and web pages.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from stpkit.reference import Reference
from stpkit.reports.decision_packs import EqualitySection
from stpkit.stroke.business_case import BusinessCaseModel
from stpkit.stroke.maps import change_map_png
from stpkit.stroke.model import ConfigResult

# column -> heading, per table; the order is the table's
_QUINTILE = {
    "quintile": "IMD 2019 quintile",
    "lsoas": "LSOAs",
    "admissions": "Admissions a year",
    "minutes_today": "Minutes today",
    "minutes": "Minutes",
    "change_minutes": "Change (min)",
}
_AGE = {
    "age_band": "Age band",
    "population": "Residents",
    "minutes_today": "Minutes today",
    "minutes": "Minutes",
    "change_minutes": "Change (min)",
}
_LOSERS = {
    "lsoa_code": "LSOA",
    "lsoa_name": "Name",
    "imd_quintile": "IMD quintile",
    "minutes_today": "Minutes today",
    "minutes": "Minutes",
    "change_minutes": "Change (min)",
}


def _rows(df: pd.DataFrame, columns: dict[str, str]) -> tuple[list[str], list[list[object]]]:
    kept = [c for c in columns if c in df.columns]
    return [columns[c] for c in kept], [
        [v.item() if hasattr(v, "item") else v for v in row]
        for row in df[kept].itertuples(index=False)
    ]


def equality_section(
    business: BusinessCaseModel, result: ConfigResult, ref: Reference, label: str = ""
) -> EqualitySection:
    """`result`'s equality tables and change map against today's configuration."""
    impact = business.case(result).equality()
    tables: list[tuple[str, Sequence[str], Sequence[Sequence[object]]]] = []
    for title, df, columns in (
        ("By deprivation (IMD 2019 quintile, 1 = most deprived)", impact.by_quintile, _QUINTILE),
        ("By age band of residents", impact.by_age, _AGE),
        ("The LSOAs whose journeys lengthen most", impact.losers, _LOSERS),
    ):
        header, rows = _rows(df, columns)
        tables.append((title, header, rows))
    name = label or result.config.name
    return EqualitySection(
        option=name,
        note=(
            "Road time from each LSOA to the first stroke unit under this option against "
            "today's units, weighted by stroke admissions (deprivation) or residents (age). "
            f"Visitors' road hours change by {impact.visitor_hours_change:+,.0f} a year."
        ),
        tables=tables,
        map_png=change_map_png(ref, result),
        map_caption=f"{name}: change in road minutes to the first unit by LSOA against "
        "today (red longer, blue shorter; capped at 30 minutes either way).",
    )


__all__ = ["equality_section"]
