"""The workforce plan: staff in post (one row per person, as in the workforce minimum data
set), vacancies, turnover, the age profile, bank and agency use, and agency spend against
its cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# The NHS Digital staff groups (ESR main staff groups, grouped) plus social care.
STAFF_GROUPS = {
    "medical": "Medical and dental",
    "nursing": "Nurses and health visitors",
    "midwives": "Midwives",
    "ahp": "Allied health professionals",
    "stt": "Scientific, therapeutic and technical",
    "ambulance": "Ambulance staff",
    "support": "Support to clinical staff",
    "infrastructure": "NHS infrastructure support",
    "social_care": "Social care staff",
    "domiciliary": "Domiciliary care staff",
}
BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "medical", "other")
RETIREMENT_AGE = 60  # within five years of retirement: 55 and over


@dataclass(frozen=True)
class StaffRecord:
    """One person in post (workforce minimum data set shape)."""

    record_id: str
    organisation: str
    staff_group: str
    band: str
    wte: float
    age: int


@dataclass(frozen=True)
class GroupMeasures:
    """Vacancies, leavers and temporary staffing for one organisation and staff group."""

    organisation: str
    staff_group: str
    vacancies_wte: float = 0.0
    leavers_wte: float = 0.0  # in the last twelve months
    bank_wte: float = 0.0
    agency_wte: float = 0.0
    agency_spend: float = 0.0  # GBP a year
    bank_spend: float = 0.0


@dataclass(frozen=True)
class GroupSummary:
    organisation: str
    staff_group: str
    headcount: int
    wte: float
    near_retirement_share: float  # share of WTE within five years of retirement
    vacancies_wte: float
    vacancy_rate: float
    turnover_rate: float
    bank_wte: float
    agency_wte: float
    agency_spend: float
    agency_rate: float  # GBP per agency WTE a year


@dataclass(frozen=True)
class InPost:
    """Staff in post for one organisation and staff group, counted from the records."""

    organisation: str
    staff_group: str
    headcount: int
    wte: float
    near_retirement_wte: float  # WTE within five years of retirement


def count_in_post(
    records: Iterable[StaffRecord], retirement_age: int = RETIREMENT_AGE
) -> list[InPost]:
    """Headcount, WTE and WTE aged within five years of retirement by organisation and
    staff group (a database can do the same sums; `summarise` takes either)."""
    wte: dict[tuple[str, str], float] = defaultdict(float)
    heads: dict[tuple[str, str], int] = defaultdict(int)
    older: dict[tuple[str, str], float] = defaultdict(float)
    near = retirement_age - 5
    for r in records:
        key = (r.organisation, r.staff_group)
        wte[key] += r.wte
        heads[key] += 1
        if r.age >= near:
            older[key] += r.wte
    return [InPost(k[0], k[1], heads[k], wte[k], older[k]) for k in sorted(wte)]


def summarise(
    records: Iterable[StaffRecord] | Iterable[InPost],
    measures: Iterable[GroupMeasures] = (),
    retirement_age: int = RETIREMENT_AGE,
) -> list[GroupSummary]:
    """One row per organisation and staff group, then one per staff group for all
    organisations (`organisation="*"`)."""
    items = list(records)
    in_post = (
        [i for i in items if isinstance(i, InPost)]
        if items and isinstance(items[0], InPost)
        else count_in_post([i for i in items if isinstance(i, StaffRecord)], retirement_age)
    )
    wte: dict[tuple[str, str], float] = defaultdict(float)
    heads: dict[tuple[str, str], int] = defaultdict(int)
    older: dict[tuple[str, str], float] = defaultdict(float)
    for p in in_post:
        for key in ((p.organisation, p.staff_group), ("*", p.staff_group)):
            wte[key] += p.wte
            heads[key] += p.headcount
            older[key] += p.near_retirement_wte
    meas: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * 6)
    for m in measures:
        for key in ((m.organisation, m.staff_group), ("*", m.staff_group)):
            acc = meas[key]
            for i, v in enumerate(
                (
                    m.vacancies_wte,
                    m.leavers_wte,
                    m.bank_wte,
                    m.agency_wte,
                    m.agency_spend,
                    m.bank_spend,
                )
            ):
                acc[i] += v
    out = []
    for key in sorted(set(wte) | set(meas), key=lambda k: (k[0] == "*", k)):
        w = wte.get(key, 0.0)
        vac, leavers, bank, agency, spend, _ = meas[key]
        out.append(
            GroupSummary(
                organisation=key[0],
                staff_group=key[1],
                headcount=heads.get(key, 0),
                wte=w,
                near_retirement_share=older.get(key, 0.0) / w if w else 0.0,
                vacancies_wte=vac,
                vacancy_rate=vac / (w + vac) if w + vac else 0.0,
                turnover_rate=leavers / w if w else 0.0,
                bank_wte=bank,
                agency_wte=agency,
                agency_spend=spend,
                agency_rate=spend / agency if agency else 0.0,
            )
        )
    return out


@dataclass(frozen=True)
class AgencyAgainstCap:
    organisation: str
    spend: float
    cap: float

    @property
    def over(self) -> float:
        return max(self.spend - self.cap, 0.0)

    @property
    def share_of_cap(self) -> float:
        return self.spend / self.cap if self.cap else float("inf") if self.spend else 0.0


def agency_against_cap(
    measures: Iterable[GroupMeasures], caps: dict[str, float]
) -> list[AgencyAgainstCap]:
    """Each organisation's agency spend against its agency ceiling, furthest over first.
    An organisation with spend but no cap is shown with a cap of 0."""
    spend: dict[str, float] = defaultdict(float)
    for m in measures:
        spend[m.organisation] += m.agency_spend
    orgs = set(spend) | set(caps)
    rows = [AgencyAgainstCap(o, spend.get(o, 0.0), caps.get(o, 0.0)) for o in orgs]
    return sorted(rows, key=lambda r: (-r.over, -r.spend, r.organisation))
