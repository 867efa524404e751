"""The system view's measures from the integrated dataset, published under disclosure
control: the monthly emergency admission rate per 1,000 people in the store, the
inequality gap (the rate in the most deprived fifth of neighbourhoods, IMD 2019 quintile 1,
over the rate in the least deprived fifth, quintile 5) and the bed days of long stays
(adults' admitted spells of 21 days or more, NHS England and NHS Improvement's "long stay"
or "super-stranded" threshold of the 2018 ambition to cut them by a quarter).

Why here: these figures leave the pseudonymised zone, so like every count they pass the
partnership's disclosure policy first. Each rate is worked out from the *published*
(policy-applied) counts, so a rate can never reveal more than the counts behind it would;
a month whose quintile count the policy suppresses gets no gap rather than a guessed one.
"""

from __future__ import annotations

from datetime import date

from stpkit.disclosure import DisclosurePolicy
from stpkit.kid.pipeline.insight_store import InsightStore

__all__ = [
    "EMERGENCY_RATE",
    "INEQUALITY_GAP",
    "LONG_STAY_BED_DAYS",
    "LONG_STAY_DAYS",
    "long_stay_bed_days",
    "system_measures",
]

EMERGENCY_RATE = "emergency_admission_rate"
INEQUALITY_GAP = "inequality_gap"
LONG_STAY_BED_DAYS = "long_stay_bed_days"
LONG_STAY_DAYS = 21  # a long stay: 21 days or more in hospital
ADULT_MONTHS = 18 * 12


def system_measures(store: InsightStore, policy: DisclosurePolicy) -> dict[str, dict[date, float]]:
    """{measure code: {first day of month: value}} for every month the store holds.

    Emergency admissions are emergency inpatient spells (setting 'apc'); the denominator is
    everyone in the store (the registered population), by IMD quintile for the gap.
    """
    people = {
        (None if q is None else int(q)): int(n)
        for q, n in store.con.execute(
            "SELECT imd_quintile, count(*) FROM person GROUP BY ALL"
        ).fetchall()
    }
    rows = store.con.execute(
        """SELECT a.year, a.month, p.imd_quintile, count(*) AS admissions
           FROM activity a JOIN person p ON p.person_token = a.person_token
           WHERE a.setting = 'apc' AND a.emergency
           GROUP BY ALL ORDER BY 1, 2"""
    ).fetchall()
    total_people = policy.apply(sum(people.values()))
    by_month: dict[date, dict[int | None, int]] = {}
    for year, month, quintile, admissions in rows:
        q = None if quintile is None else int(quintile)
        by_month.setdefault(date(int(year), int(month), 1), {})[q] = int(admissions)
    rate: dict[date, float] = {}
    gap: dict[date, float] = {}
    for period, counts in sorted(by_month.items()):
        published = policy.apply(sum(counts.values()))
        if published is not None and total_people:
            rate[period] = round(1000 * published / total_people, 3)
        q1 = _rate(counts.get(1, 0), people.get(1, 0), policy)
        q5 = _rate(counts.get(5, 0), people.get(5, 0), policy)
        if q1 is not None and q5:
            gap[period] = round(q1 / q5, 3)
    return {
        EMERGENCY_RATE: rate,
        INEQUALITY_GAP: gap,
        LONG_STAY_BED_DAYS: long_stay_bed_days(store, policy),
    }


def long_stay_bed_days(store: InsightStore, policy: DisclosurePolicy) -> dict[date, float]:
    """Per month, the bed days (nights in hospital) that fall in the month from adults'
    admitted spells of 21 days or more; a spell's nights are counted in the months they
    fall in, so a stay across a month end counts in both.

    Published only for the months the store holds activity in (a spell discharged after the
    extract is not in it, so later months would be short) and only when the number of
    long spells with nights in the month passes the policy; the bed days themselves are
    put through the policy too (rounded as a count is), so no single stay can be read off.
    """
    birth = (
        "CAST(substr(p.birth_ym, 1, 4) AS INTEGER) * 12 + CAST(substr(p.birth_ym, 6, 2) AS INTEGER)"
    )
    rows = store.con.execute(
        f"""WITH spells AS (
              SELECT row_number() OVER () AS spell, a.activity_date AS admitted,
                     a.length_of_stay AS nights
              FROM activity a JOIN person p ON p.person_token = a.person_token
              WHERE a.setting = 'apc' AND a.length_of_stay >= {LONG_STAY_DAYS}
                AND a.year * 12 + a.month - ({birth}) >= {ADULT_MONTHS}),
            nights AS (
              SELECT spell, admitted + CAST(unnest(range(0, nights)) AS INTEGER) AS night
              FROM spells),
            held AS (SELECT DISTINCT year, month FROM activity)
            SELECT year(n.night) AS y, month(n.night) AS m, count(*) AS bed_days,
                   count(DISTINCT n.spell) AS spells
            FROM nights n JOIN held h ON h.year = year(n.night) AND h.month = month(n.night)
            GROUP BY ALL ORDER BY 1, 2"""
    ).fetchall()
    out: dict[date, float] = {}
    for year, month, bed_days, spells in rows:
        if not policy.apply(int(spells)):
            continue
        published = policy.apply(int(bed_days))
        if published:
            out[date(int(year), int(month), 1)] = float(published)
    return out


def _rate(admissions: int, people: int, policy: DisclosurePolicy) -> float | None:
    """Admissions per 1,000 from published counts; None when either is suppressed or 0."""
    top, bottom = policy.apply(admissions), policy.apply(people)
    if not top or not bottom:
        return None
    return 1000 * top / bottom
