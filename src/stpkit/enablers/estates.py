"""The estates workbook: sites and buildings of every partner, in the shape of the estates
return (ERIC: one row per site, here one per building), and what the plan asks of them:
void and under-used space, candidate disposals with their receipts, shared use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

TENURES = {
    "freehold": "Freehold",
    "leasehold": "Leasehold",
    "nhsps": "NHS Property Services",
    "chp": "Community Health Partnerships",
    "pfi": "PFI",
    "council": "Council owned",
}
# Six-facet survey physical condition (A as new ... D unacceptable), as in ERIC.
CONDITIONS = {"A": "As new", "B": "Acceptable", "C": "Operational, needs work", "D": "Unacceptable"}
BACKLOG_RISKS = ("high", "significant", "moderate", "low")
USES = {
    "acute": "Acute inpatient",
    "outpatient": "Outpatient and diagnostics",
    "community": "Community and primary care",
    "mental_health": "Mental health",
    "office": "Office and administration",
    "support": "Support and estates services",
    "social_care": "Social care",
    "other": "Other",
}
UNDERUSED_BELOW = 0.6  # utilisation below which a building counts as under-used


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    organisation: str
    postcode: str = ""


@dataclass(frozen=True)
class Building:
    site: str  # site code
    code: str
    name: str
    use: str
    tenure: str
    owner: str
    floor_area_m2: float
    condition: str
    backlog: dict[str, float] = field(default_factory=dict)  # risk -> GBP
    running_cost_per_m2: float = 0.0
    utilisation: float = 1.0  # share of the floor area in use, 0..1
    void_m2: float = 0.0  # empty, not in use at all
    listed: bool = False
    disposal_receipt: float = 0.0  # estimated receipt if sold (GBP), 0: not for sale
    shared_with: tuple[str, ...] = ()  # other organisations using the building

    @property
    def backlog_total(self) -> float:
        return sum(self.backlog.values())

    @property
    def running_cost(self) -> float:
        return self.floor_area_m2 * self.running_cost_per_m2

    @property
    def unused_m2(self) -> float:
        """Void space plus the unused share of what is occupied."""
        occupied = max(self.floor_area_m2 - self.void_m2, 0.0)
        return self.void_m2 + occupied * (1.0 - self.utilisation)


@dataclass(frozen=True)
class EstateTotals:
    organisation: str
    buildings: int
    floor_area_m2: float
    unused_m2: float
    void_m2: float
    running_cost: float
    backlog: dict[str, float]
    listed: int
    shared: int

    @property
    def backlog_total(self) -> float:
        return sum(self.backlog.values())

    @property
    def unused_share(self) -> float:
        return self.unused_m2 / self.floor_area_m2 if self.floor_area_m2 else 0.0


def estate_totals(sites: Iterable[Site], buildings: Iterable[Building]) -> list[EstateTotals]:
    """Totals by organisation (the owner of the site), largest estate first."""
    org_of = {s.code: s.organisation for s in sites}
    acc: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for b in buildings:
        a = acc[org_of.get(b.site, "unknown")]
        a["buildings"] += 1
        a["area"] += b.floor_area_m2
        a["unused"] += b.unused_m2
        a["void"] += b.void_m2
        a["running"] += b.running_cost
        a["listed"] += b.listed
        a["shared"] += bool(b.shared_with)
        for risk in BACKLOG_RISKS:
            a[risk] += b.backlog.get(risk, 0.0)
    out = [
        EstateTotals(
            organisation=org,
            buildings=int(a["buildings"]),
            floor_area_m2=a["area"],
            unused_m2=a["unused"],
            void_m2=a["void"],
            running_cost=a["running"],
            backlog={r: a[r] for r in BACKLOG_RISKS},
            listed=int(a["listed"]),
            shared=int(a["shared"]),
        )
        for org, a in acc.items()
    ]
    return sorted(out, key=lambda t: (-t.floor_area_m2, t.organisation))


def underused(buildings: Iterable[Building], below: float = UNDERUSED_BELOW) -> list[Building]:
    """Buildings with void space or utilisation below `below`, most unused space first."""
    rows = [b for b in buildings if b.void_m2 > 0 or b.utilisation < below]
    return sorted(rows, key=lambda b: (-b.unused_m2, b.code))


@dataclass(frozen=True)
class DisposalCandidate:
    building: Building
    receipt: float
    running_cost_saved: float  # a year
    backlog_avoided: float
    reason: str

    @property
    def benefit(self) -> float:
        """Receipt plus backlog avoided plus five years of running cost."""
        return self.receipt + self.backlog_avoided + 5 * self.running_cost_saved


def disposal_candidates(
    buildings: Iterable[Building], below: float = UNDERUSED_BELOW
) -> list[DisposalCandidate]:
    """Buildings the plan could dispose of: a receipt is estimated, or the building is
    under-used and not shared; listed and PFI buildings are left out (they cannot simply
    be sold). Largest benefit first."""
    out = []
    for b in buildings:
        if b.listed or b.tenure == "pfi":
            continue
        if b.disposal_receipt > 0:
            reason = "receipt estimated in the return"
        elif b.utilisation < below and not b.shared_with:
            reason = f"utilisation {b.utilisation:.0%}, not shared"
        else:
            continue
        out.append(
            DisposalCandidate(
                building=b,
                receipt=b.disposal_receipt if b.tenure == "freehold" else 0.0,
                running_cost_saved=b.running_cost,
                backlog_avoided=b.backlog_total,
                reason=reason,
            )
        )
    return sorted(out, key=lambda c: (-c.benefit, c.building.code))


def shared_use(buildings: Iterable[Building]) -> list[Building]:
    """Buildings used by more than one organisation."""
    return sorted((b for b in buildings if b.shared_with), key=lambda b: b.code)
