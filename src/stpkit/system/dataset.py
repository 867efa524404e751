"""Measures from the integrated dataset: monthly emergency admission rate per 1,000
registered, and the inequality gap (the rate of the most deprived fifth of neighbourhoods
over the least deprived fifth).

Runs SQL on an insight store's DuckDB connection (views `person` with `person_token`,
`lsoa_code`, and `activity` with `person_token`, `setting`, `emergency`, `year`, `month`).
`quintiles` maps LSOA code to IMD quintile (1 = most deprived), e.g. from
`stpkit.reference.public`. Emergency admissions are emergency inpatient spells ('apc').
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd


def monthly_measures(con: Any, quintiles: pd.DataFrame) -> dict[str, dict[date, float]]:
    """{'emergency_admission_rate': {month: per 1,000}, 'inequality_gap': {month: ratio}}."""
    imd = quintiles[["lsoa_code", "quintile"]].copy()  # noqa: F841 (read by the SQL below)
    counts = con.execute(
        """WITH reg AS (
             SELECT q.quintile, count(*) AS people
             FROM person p LEFT JOIN imd q ON q.lsoa_code = p.lsoa_code GROUP BY ALL),
           adm AS (
             SELECT a.year, a.month, q.quintile, count(*) AS admissions
             FROM activity a JOIN person p ON p.person_token = a.person_token
             LEFT JOIN imd q ON q.lsoa_code = p.lsoa_code
             WHERE a.setting = 'apc' AND a.emergency GROUP BY ALL)
           SELECT adm.year, adm.month, adm.quintile, adm.admissions, reg.people
           FROM adm JOIN reg ON reg.quintile IS NOT DISTINCT FROM adm.quintile"""
    ).df()
    rate: dict[date, float] = {}
    gap: dict[date, float] = {}
    registered = float(con.execute("SELECT count(*) FROM person").fetchone()[0])
    for (year, month), group in counts.groupby(["year", "month"]):
        period = date(int(year), int(month), 1)
        rate[period] = round(1000 * float(group.admissions.sum()) / registered, 3)
        by_q = {
            int(q): 1000 * a / p
            for q, a, p in zip(group.quintile, group.admissions, group.people, strict=True)
            if pd.notna(q) and p
        }
        if by_q.get(5):
            gap[period] = round(by_q.get(1, 0.0) / by_q[5], 3)
    return {"emergency_admission_rate": rate, "inequality_gap": gap}
