"""Beds and staff per stroke unit, from its admissions.

**Beds** (Erlang loss, M/M/c/c): admissions arrive at random (Poisson, `admissions / 365`
a day) and each stays a length of stay; the offered load is a = arrivals a day x mean stay
in days. With c beds, the probability that a patient finds every bed full is Erlang's loss
formula B(c, a) = P(N = c) / P(N <= c) for N ~ Poisson(a) (the loss system's occupancy is
a truncated Poisson, insensitive to the length-of-stay distribution). SciPy's Poisson
functions (`scipy.special.pdtr` and `gammaln`, the ufuncs behind `scipy.stats.poisson`)
compute it; the beds are the fewest with B(c, a) at or below the target (default 5%), and
the report states B for the beds chosen and the mean occupancy a (1 - B) / c.

**Staff** per unit, for the national stroke service model's seven-day consultant-led care
(NHS England, National Stroke Service Model, 2021; figures as in the HASU/ASU
specifications the English reviews used; every figure is an editable assumption):
- consultant stroke physicians: a rota of at least 6 WTE per HASU gives seven-day ward
  rounds and a 1 in 6 on-call for thrombolysis, plus 1 WTE per 500 admissions above 600
  (BASP consultant workforce guidance);
- nurses: 2.9 WTE per HASU bed (80% registered) and 1.35 WTE per ASU bed (65% registered);
- therapists (physiotherapy, occupational therapy, speech and language): 0.73, 0.68 and
  0.34 WTE per 5 HASU beds (RCP National Clinical Guideline for Stroke, 2016, HASU).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, pdtr


@dataclass(frozen=True)
class CapacityAssumptions:
    """Lengths of stay, the bed target and staffing ratios (editable)."""

    hasu_stay_days: float = 3.0  # the first 72 hours in a HASU
    asu_stay_days: float = 8.0  # acute stroke unit stay after the HASU (SSNAP median ~ 8-9)
    max_no_bed_probability: float = 0.05  # Erlang loss target per unit
    consultant_rota_wte: float = 6.0  # 1 in 6 rota: seven-day ward rounds and on-call
    consultant_wte_per_500_over_600: float = 1.0
    nurse_wte_per_hasu_bed: float = 2.9
    nurse_registered_share_hasu: float = 0.8
    nurse_wte_per_asu_bed: float = 1.35
    nurse_registered_share_asu: float = 0.65
    therapy_wte_per_5_hasu_beds: float = 0.73 + 0.68 + 0.34


def _erlang_b(beds: np.ndarray, load: float) -> np.ndarray:
    """P(N = c) / P(N <= c) for N ~ Poisson(load), for each c in `beds`."""
    c = np.asarray(beds, dtype=float)
    pmf = np.exp(c * np.log(load) - load - gammaln(c + 1.0))
    return np.asarray(pmf / pdtr(c, load))


def no_bed_probability(beds: int, load: float) -> float:
    """Erlang loss B(c, a): the chance an arrival finds all `beds` full at offered `load`."""
    if load <= 0:
        return 0.0
    if beds <= 0:
        return 1.0
    return float(_erlang_b(np.array([beds]), load)[0])


def beds_for(load: float, target: float) -> int:
    """The fewest beds whose Erlang loss is at or below `target`."""
    if load <= 0:
        return 0
    # B(c, a) falls with c; search up from the mean load
    cs = np.arange(max(1, math.floor(load)), max(2, math.ceil(load * 3 + 20)))
    b = _erlang_b(cs, load)
    ok = np.nonzero(b <= target)[0]
    return int(cs[ok[0]]) if len(ok) else int(cs[-1])


@dataclass(frozen=True)
class UnitCapacity:
    """Beds and staff of one unit."""

    unit: str
    admissions: float
    hasu_beds: int
    hasu_no_bed: float  # probability a patient finds no HASU bed
    hasu_occupancy: float
    asu_beds: int
    asu_no_bed: float
    consultants_wte: float
    nurses_wte: float
    registered_nurses_wte: float
    therapists_wte: float

    def as_row(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "admissions": round(self.admissions, 1),
            "hasu_beds": self.hasu_beds,
            "probability_no_hasu_bed": round(self.hasu_no_bed, 4),
            "hasu_occupancy": round(self.hasu_occupancy, 3),
            "asu_beds": self.asu_beds,
            "probability_no_asu_bed": round(self.asu_no_bed, 4),
            "consultants_wte": round(self.consultants_wte, 1),
            "nurses_wte": round(self.nurses_wte, 1),
            "registered_nurses_wte": round(self.registered_nurses_wte, 1),
            "therapists_wte": round(self.therapists_wte, 1),
        }


def unit_capacity(
    unit: str, admissions: float, a: CapacityAssumptions | None = None
) -> UnitCapacity:
    a = a or CapacityAssumptions()
    per_day = admissions / 365.0
    hasu_load, asu_load = per_day * a.hasu_stay_days, per_day * a.asu_stay_days
    hb = beds_for(hasu_load, a.max_no_bed_probability)
    ab = beds_for(asu_load, a.max_no_bed_probability)
    hasu_no_bed = no_bed_probability(hb, hasu_load)
    extra = max(0.0, admissions - 600.0) / 500.0 * a.consultant_wte_per_500_over_600
    hasu_nurses = hb * a.nurse_wte_per_hasu_bed
    asu_nurses = ab * a.nurse_wte_per_asu_bed
    return UnitCapacity(
        unit=unit,
        admissions=admissions,
        hasu_beds=hb,
        hasu_no_bed=hasu_no_bed,
        hasu_occupancy=hasu_load * (1 - hasu_no_bed) / hb if hb else 0.0,
        asu_beds=ab,
        asu_no_bed=no_bed_probability(ab, asu_load),
        consultants_wte=a.consultant_rota_wte + extra if admissions > 0 else 0.0,
        nurses_wte=hasu_nurses + asu_nurses,
        registered_nurses_wte=hasu_nurses * a.nurse_registered_share_hasu
        + asu_nurses * a.nurse_registered_share_asu,
        therapists_wte=hb / 5.0 * a.therapy_wte_per_5_hasu_beds,
    )


def option_capacity(
    volumes: Mapping[str, float], a: CapacityAssumptions | None = None
) -> list[UnitCapacity]:
    """Beds and staff of every unit of an option (unit -> admissions a year)."""
    return [unit_capacity(u, v, a) for u, v in volumes.items()]


def capacity_metrics(units: list[UnitCapacity]) -> dict[str, float]:
    """Totals over an option's units, as metrics a criterion or hurdle may use."""
    return {
        "hasu_beds": float(sum(u.hasu_beds for u in units)),
        "asu_beds": float(sum(u.asu_beds for u in units)),
        "max_probability_no_bed": max((u.hasu_no_bed for u in units), default=0.0),
        "consultants_wte": float(sum(u.consultants_wte for u in units)),
        "nurses_wte": float(sum(u.nurses_wte for u in units)),
        "therapists_wte": float(sum(u.therapists_wte for u in units)),
    }


__all__ = [
    "CapacityAssumptions",
    "UnitCapacity",
    "beds_for",
    "capacity_metrics",
    "no_bed_probability",
    "option_capacity",
    "unit_capacity",
]
