"""Year-of-care costing: what each person's care costs in a year, across every setting.

`person_costs` gives one row per registered person and year with the cost in each setting
and the total (people with no activity cost 0, and count in every denominator). The
summaries divide total cost by registered people, so they answer "what does a year of care
cost for this group" (the Year of Care tariff question), not "what does a contact cost".
These functions run inside the pseudonymised zone; their outputs hold people counts that
must pass disclosure control (`stpkit.kid.governed.query.protect_answer` or `stpkit.disclosure`)
before leaving it.
"""

from __future__ import annotations

import pandas as pd

from stpkit.kid.pipeline.insight_store import SETTINGS, InsightStore, alive_from


def person_costs(store: InsightStore, year: int) -> pd.DataFrame:
    """person_token, age, age_band, sex, lsoa_code, practice_code, locality, died (in `year`),
    cost_<setting>..., n_<setting>... (contacts), total, emergency_admissions (and their
    cost): everyone alive at the start of `year`."""
    pivots = ", ".join(
        f"coalesce(sum(a.cost) FILTER (WHERE a.setting = '{s}'), 0) AS cost_{s}" for s in SETTINGS
    )
    pivots += ", " + ", ".join(
        f"count(a.person_token) FILTER (WHERE a.setting = '{s}') AS n_{s}" for s in SETTINGS
    )
    frame = store.con.execute(
        f"""SELECT p.person_token, p.age, p.age_band, p.sex, p.lsoa_code, p.practice_code,
                   p.locality, coalesce(p.death_month LIKE '{int(year):04d}-%', false) AS died,
                   {pivots},
                   coalesce(sum(a.cost), 0) AS total,
                   count(a.person_token) FILTER (WHERE a.setting = 'apc' AND a.emergency)
                     AS emergency_admissions,
                   coalesce(sum(a.cost) FILTER (WHERE a.setting = 'apc' AND a.emergency), 0)
                     AS emergency_admissions_cost
            FROM person p LEFT JOIN activity a ON a.person_token = p.person_token AND a.year = ?
            WHERE {alive_from(year)}
            GROUP BY ALL""",
        [year],
    ).df()
    return frame


def cost_summary(costs: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """People, total cost and cost per person a year, per group (and per setting)."""
    keys = [by] if isinstance(by, str) else list(by)
    setting_cols = [f"cost_{s}" for s in SETTINGS if f"cost_{s}" in costs.columns]
    grouped = costs.groupby(keys, observed=True)
    out = grouped[[*setting_cols, "total"]].sum()
    out.insert(0, "people", grouped.size())
    out["cost_per_person"] = out["total"] / out["people"]
    return out.reset_index()


def cost_by_setting(store: InsightStore) -> pd.DataFrame:
    """Activity and cost by setting, year and month (the trend pages)."""
    return store.con.execute(
        """SELECT setting, year, month, count(*) AS activity, sum(cost) AS cost,
                  count(DISTINCT person_token) AS people
           FROM activity GROUP BY ALL ORDER BY year, month, setting"""
    ).df()
