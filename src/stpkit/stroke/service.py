"""The configuration model for any acute service whose demand comes by LSOA.

Stroke is one service; A&E and acute medicine, emergency surgery and elective orthopaedics
are others reconfigured the same way (East Kent's options move emergency care between
William Harvey, Kent and Canterbury and QEQM). They share the region's geography: the
same road times from every LSOA to every candidate site (estimated where the matrix has
no column) and to the nearest hospital outside the region, which stays open. What differs
is the demand (by LSOA, from the integrated dataset through `kid.governed` or a user's
file: the caller passes a table) and the service's figures (length of stay, the access
thresholds that matter).

`evaluate_service` gives, for the sites that provide the service: access (mean minutes,
share within each threshold, change against every candidate providing it), each site's
demand a year and beds (Erlang loss, as for stroke units), and the equality figures by
IMD quintile.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stpkit.stroke.capacity import beds_for, no_bed_probability
from stpkit.stroke.equality import EqualityBase, equality_impact
from stpkit.stroke.errors import StrokeError
from stpkit.stroke.geography import StrokeGeography


@dataclass(frozen=True)
class AcuteService:
    """A service's figures (illustrative defaults, each editable): mean length of stay of
    an admission, the share of demand admitted, and the bed target."""

    key: str
    name: str
    admitted_share: float  # of the demand counted (e.g. A&E attendances admitted)
    stay_days: float
    max_no_bed_probability: float = 0.05
    thresholds: tuple[int, ...] = (30, 45, 60)


SERVICES: dict[str, AcuteService] = {
    s.key: s
    for s in (
        AcuteService("ae", "A&E and acute medicine", admitted_share=0.27, stay_days=4.5),
        AcuteService(
            "emergency_medicine", "Emergency medical admissions", admitted_share=1.0, stay_days=6.0
        ),
        AcuteService("emergency_surgery", "Emergency surgery", admitted_share=1.0, stay_days=5.0),
        AcuteService(
            "elective_orthopaedics",
            "Elective orthopaedics",
            admitted_share=1.0,
            stay_days=3.5,
            thresholds=(45, 60, 90),
        ),
    )
}


def demand_from_table(
    geo: StrokeGeography, table: pd.DataFrame, where: str = "demand"
) -> np.ndarray:
    """Demand a year per LSOA of the geography from a table with `lsoa_code` and `demand`
    (e.g. counts from `kid.governed`); LSOAs the table leaves out have none. Unknown LSOAs,
    duplicates and bad numbers are refused, naming the row."""
    index = {c: i for i, c in enumerate(geo.lsoa_codes)}
    out = np.zeros(len(geo.lsoa_codes))
    seen: set[str] = set()
    for n, (code, value) in enumerate(
        zip(table["lsoa_code"], table["demand"], strict=True), start=2
    ):
        code = str(code).strip()
        if code in seen:
            raise StrokeError(f"{where}, row {n}, lsoa_code: {code} is listed twice")
        seen.add(code)
        if code not in index:
            raise StrokeError(
                f"{where}, row {n}, lsoa_code: {code} is not an LSOA of {geo.region} or of "
                "its neighbours whose patients may come in"
            )
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise StrokeError(f"{where}, row {n}, demand: {value!r} is not a number") from None
        if not np.isfinite(v) or v < 0:
            raise StrokeError(f"{where}, row {n}, demand: {value!r} must be zero or more")
        out[index[code]] = v
    return out


def demand_within(
    geo: StrokeGeography, table: pd.DataFrame, where: str = "demand"
) -> tuple[np.ndarray, float]:
    """Like `demand_from_table` for counts of a whole dataset (e.g. an integrated dataset's
    residents, some living far away): rows for LSOAs outside the geography are left out,
    and their demand is returned beside the array so the caller can say how much."""
    known = table["lsoa_code"].astype(str).str.strip().isin(set(geo.lsoa_codes))
    outside = pd.to_numeric(table.loc[~known, "demand"], errors="coerce").fillna(0).sum()
    return demand_from_table(geo, table[known].reset_index(drop=True), where), float(outside)


def read_demand(geo: StrokeGeography, path: Path | str) -> np.ndarray:
    """A user's CSV with columns `lsoa_code` and `demand` (a year)."""
    p = Path(path)
    try:
        rows = list(csv.DictReader(p.read_text(encoding="utf-8-sig").splitlines()))
    except OSError as exc:
        raise StrokeError(f"{p}: cannot be read ({exc.strerror})") from None
    if not rows or not {"lsoa_code", "demand"} <= set(rows[0]):
        raise StrokeError(f"{p}: needs the columns lsoa_code and demand")
    return demand_from_table(geo, pd.DataFrame(rows), str(p))


# Illustrative A&E attendances per resident a year by age band (0-15, 16-59, 60+): a
# stand-in where no counts are at hand, to be replaced by the integrated dataset's counts.
ILLUSTRATIVE_AE_RATES = (0.30, 0.25, 0.35)


def population_demand(
    geo: StrokeGeography, rates: tuple[float, float, float] = ILLUSTRATIVE_AE_RATES
) -> np.ndarray:
    """Demand per LSOA as population by age band (IoD 2019 denominators) x a rate per head:
    a stand-in labelled as such, for a demo or a first look before real counts."""
    from stpkit.reference import public

    imd = public.imd(list(geo.lsoa_codes)).set_index("lsoa_code").reindex(geo.lsoa_codes)
    cols = ("population_0_15", "population_16_59", "population_60_plus")
    pop = np.column_stack([imd[c].fillna(0).to_numpy(dtype=float) for c in cols])
    return np.asarray(pop @ np.asarray(rates, dtype=float))


@dataclass(frozen=True)
class ServiceResult:
    service: AcuteService
    sites: tuple[str, ...]
    metrics: dict[str, float]
    site_demand: dict[str, float]  # site -> demand a year (residents and neighbours)
    site_beds: dict[str, tuple[int, float]]  # site -> (beds, chance of finding none)
    minutes: np.ndarray
    baseline_minutes: np.ndarray

    def sites_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "site": s,
                    "demand": round(self.site_demand[s], 1),
                    "beds": self.site_beds[s][0],
                    "probability_no_bed": round(self.site_beds[s][1], 4),
                }
                for s in self.sites
            ]
        )


def evaluate_service(
    geo: StrokeGeography,
    demand: np.ndarray,
    sites: Iterable[str],
    service: AcuteService,
    baseline: Iterable[str] | None = None,
    base: EqualityBase | None = None,
    stay_open: Iterable[str] = (),
) -> ServiceResult:
    """The service at `sites` (names, codes or postcodes); patients go to the nearest open
    site, a `stay_open` site (the region's sites outside this decision, e.g. west Kent's
    for an East Kent choice) or the nearest hospital outside the region. `baseline`
    (default: every candidate) is what the change is measured against."""
    idx = sorted({geo.site_index(s) for s in sites})
    if not idx:
        raise StrokeError(f"{service.name}: a configuration needs at least one site")
    others = sorted({geo.site_index(s) for s in stay_open} - set(idx))
    base_idx = sorted({geo.site_index(s) for s in baseline}) if baseline else list(range(geo.k))
    base_idx = sorted(set(base_idx) | set(others))
    k = geo.k
    minutes_all = np.column_stack([geo.cand_minutes, geo.outside_minutes])

    def nearest(open_sites: list[int]) -> tuple[np.ndarray, np.ndarray]:
        cols = [*open_sites, k]
        sub = minutes_all[:, cols]
        j = np.argmin(sub, axis=1)
        return np.array(cols)[j], sub[np.arange(len(sub)), j]

    col, t = nearest(sorted({*idx, *others}))
    _, t0 = nearest(base_idx)
    r = geo.resident
    w = demand[r]
    total = float(w.sum())
    if total <= 0:
        raise StrokeError(f"{service.name}: no demand from the region's residents")
    metrics: dict[str, float] = {
        "sites": float(len(idx)),
        "mean_minutes": float(w @ t[r] / total),
        "mean_change_minutes": float(w @ (t[r] - t0[r]) / total),
        "max_minutes": float(t[r][w > 0].max()),
        "demand_to_outside": float(demand[(col == k) & r].sum()),
        "demand_to_other_sites": float(demand[np.isin(col, others) & r].sum()),
    }
    for th in service.thresholds:
        metrics[f"share_within_{th}"] = float(w @ (t[r] <= th) / total)
    vol = np.bincount(col, weights=demand, minlength=k + 1)
    site_demand = {geo.candidates[i].name: float(vol[i]) for i in idx}
    site_beds: dict[str, tuple[int, float]] = {}
    for name, d in site_demand.items():
        load = d * service.admitted_share / 365.0 * service.stay_days
        beds = beds_for(load, service.max_no_bed_probability)
        site_beds[name] = (beds, no_bed_probability(beds, load))
    metrics["beds"] = float(sum(b for b, _ in site_beds.values()))
    metrics["max_probability_no_bed"] = max(p for _, p in site_beds.values())
    if base is not None:
        eq = equality_impact(base, geo, t, t0)
        figures = eq.metrics()
        for key in ("most_deprived_change_minutes", "most_deprived_within_45"):
            metrics[key] = figures[key]
    return ServiceResult(service, tuple(site_demand), metrics, site_demand, site_beds, t, t0)


def configurations(
    geo: StrokeGeography,
    demand: np.ndarray,
    options: Mapping[str, Iterable[str]],
    service: AcuteService,
    baseline: Iterable[str] | None = None,
    stay_open: Iterable[str] = (),
) -> dict[str, ServiceResult]:
    """Every named option (name -> its sites) evaluated on the same geography and demand."""
    base = EqualityBase.for_geography(geo)
    base_sites = list(baseline) if baseline is not None else None
    others = list(stay_open)
    return {
        name: evaluate_service(geo, demand, sites, service, base_sites, base, others)
        for name, sites in options.items()
    }


__all__ = [
    "ILLUSTRATIVE_AE_RATES",
    "SERVICES",
    "AcuteService",
    "ServiceResult",
    "configurations",
    "demand_from_table",
    "demand_within",
    "evaluate_service",
    "population_demand",
    "read_demand",
]
