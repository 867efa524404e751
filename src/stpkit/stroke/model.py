"""Evaluate configurations of hyper acute stroke units (HASUs) on a region's geography.

A configuration is a set of candidate sites that host a HASU (patients go to the nearest
HASU or outside unit by road time), optionally some that also provide thrombectomy (MT) and
some kept as acute stroke units (ASU) only, which take no emergency admissions. Outcomes are
precomputed once per (LSOA, first unit) pair with `stroke-outcome`, so a configuration costs
one nearest-unit pass and some weighted sums: the whole long list takes well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stpkit.stroke.errors import StrokeError
from stpkit.stroke.geography import StrokeGeography
from stpkit.stroke.outcomes import outcomes_for_times
from stpkit.stroke.pathway import Cohort, Pathway
from stpkit.stroke.roles import hasu_and_asu_only, mt_without_hasu

THRESHOLDS = (30, 45, 60, 90)


@dataclass(frozen=True)
class Configuration:
    """Which candidate sites (by index) host a HASU, provide MT, or stay ASU-only."""

    name: str
    hasus: tuple[int, ...]
    mt: tuple[int, ...] = ()
    asu_only: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.hasus:
            raise StrokeError(f"Configuration {self.name!r} has no HASU")
        if mt_without_hasu(self.hasus, self.mt):
            raise StrokeError(f"Configuration {self.name!r}: an MT site must also be a HASU")
        if hasu_and_asu_only(self.hasus, self.asu_only):
            raise StrokeError(f"Configuration {self.name!r}: a site is both HASU and ASU-only")


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]) -> list[float]:
    """For each q, the smallest value v with (weight of values <= v) >= q x total weight;
    one sort for all of them (the long list asks three per configuration)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    idx = np.searchsorted(cum, np.asarray(qs) * cum[-1] - 1e-9 * cum[-1], side="left")
    return [float(v[min(int(i), len(v) - 1)]) for i in idx]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value v with (weight of values <= v) >= q x total weight."""
    return weighted_quantiles(values, weights, (q,))[0]


@dataclass
class ConfigResult:
    """Figures of one configuration; `lsoa` builds the per-LSOA table on demand."""

    def __init__(
        self,
        config: Configuration,
        metrics: dict[str, float],
        volumes: dict[str, float],
        outside_flows: dict[str, float],
        mrs: np.ndarray,
        columns: dict[str, np.ndarray],
        geo: StrokeGeography,
        is_today: bool = False,
    ) -> None:
        self.config = config
        self.metrics = metrics
        self.volumes = volumes  # candidate site name -> admissions a year (HASUs only)
        self.outside_flows = outside_flows  # outside unit -> resident admissions a year
        self.mrs = mrs  # (7,) mRS distribution of ischaemic admissions (residents)
        self.columns = columns
        self.geo = geo
        self.is_today = is_today  # today's configuration: MT where the units provide it now

    @property
    def hasu_sites(self) -> tuple[str, ...]:
        """Names of the candidate sites that host a HASU."""
        return tuple(self.geo.candidates[i].name for i in self.config.hasus)

    @property
    def thrombectomy_sites(self) -> tuple[str, ...]:
        """Names of the candidate sites that provide thrombectomy in this configuration
        (today: those that provide it now)."""
        if self.is_today:
            return tuple(u.name for u in self.geo.candidates if u.provides_mt)
        return tuple(self.geo.candidates[i].name for i in self.config.mt)

    @property
    def asu_only_sites(self) -> tuple[str, ...]:
        """Names of the candidate sites kept as an ASU only (no emergency admissions)."""
        return tuple(self.geo.candidates[i].name for i in self.config.asu_only)

    @property
    def lsoa(self) -> pd.DataFrame:
        """Per LSOA: its unit (estimated time marked), minutes, today's, change, outcome."""
        geo = self.geo
        k = geo.k
        col = self.columns["column"]
        names = [u.name for u in geo.candidates]
        unit = [
            names[c] if c < k else geo.outside_units[geo.outside_index[i]].name
            for i, c in enumerate(col)
        ]
        data: dict[str, object] = {
            "lsoa_code": geo.lsoa_codes,
            "lsoa_name": geo.lsoa_names,
            "resident": geo.resident,
            "admissions": geo.admissions,
            "unit": unit,
            "estimated_time": [bool(c < k and geo.cand_estimated[c]) for c in col],
        }
        data.update({key: v for key, v in self.columns.items() if key != "column"})
        return pd.DataFrame(data)


class StrokeModel:
    """Configurations of one region under a pathway and cohort."""

    def __init__(
        self, geo: StrokeGeography, pathway: Pathway | None = None, cohort: Cohort | None = None
    ) -> None:
        self.geo = geo
        self.pathway = pathway or Pathway()
        self.cohort = cohort or Cohort()
        n, k = geo.cand_minutes.shape
        # columns 0..k-1: candidates; column k: the nearest outside unit of each LSOA
        self.minutes = np.column_stack([geo.cand_minutes, geo.outside_minutes])
        p = self.pathway
        arrive = p.before_travel + self.minutes
        transfer = np.column_stack(
            [np.tile(geo.cand_transfer, (n, 1)), geo.outside_transfer[geo.outside_index]]
        )
        outside_is_mt = np.array([u.provides_mt for u in geo.outside_units], dtype=bool)
        cand_is_mt = np.array([u.provides_mt for u in geo.candidates], dtype=bool)
        is_mt = np.column_stack([np.tile(cand_is_mt, (n, 1)), outside_is_mt[geo.outside_index]])
        direct = arrive + p.arrival_to_puncture
        # variant 0: candidates not HASUs (today); 1: HASUs; 2: HASUs providing MT.
        # The outside column is the same in every variant (HASU standard, today's MT).
        needles, punctures = [], []
        for variant in range(3):
            hasu = np.full((n, k + 1), variant > 0)
            hasu[:, k] = True
            dtn = np.where(hasu, p.arrival_to_needle_hasu, p.arrival_to_needle_other)
            dido = np.where(hasu, p.door_in_door_out_hasu, p.door_in_door_out_other)
            mt_here = is_mt.copy()
            if variant == 2:
                mt_here[:, :k] = True
            via = arrive + dido + transfer + p.transfer_arrival_to_puncture
            needles.append(arrive + dtn)
            punctures.append(np.where(mt_here, direct, via))
        self.needle = np.stack(needles)  # (3, n, k+1)
        self.puncture = np.stack(punctures)
        out = outcomes_for_times(self.needle.ravel(), self.puncture.ravel(), self.cohort)
        self.good = out.good.reshape(3, n, k + 1)
        self.utility = out.utility.reshape(3, n, k + 1)
        self.mrs_pair = out.mrs.reshape(3, n, k + 1, 7)
        self.w = geo.admissions
        self.res = geo.resident
        self.today = self.evaluate(Configuration("Today", tuple(range(k))), _today=True)

    # ------------------------------------------------------------------------------
    def configuration(
        self,
        name: str,
        hasus: Iterable[str],
        mt: Iterable[str] = (),
        asu_only: Iterable[str] = (),
    ) -> Configuration:
        """Build a configuration from site names (unknown names list the valid ones)."""
        return Configuration(
            name,
            tuple(sorted({self.geo.site_index(s) for s in hasus})),
            tuple(sorted({self.geo.site_index(s) for s in mt})),
            tuple(sorted({self.geo.site_index(s) for s in asu_only})),
        )

    def assign(self, hasus: Sequence[int]) -> np.ndarray:
        """Per LSOA, the column (candidate index, or k for outside) of its nearest open unit."""
        k = self.geo.k
        open_cols = [*sorted(hasus), k]
        sub = self.minutes[:, open_cols]
        return np.asarray(np.array(open_cols)[np.argmin(sub, axis=1)])

    def evaluate(self, config: Configuration, _today: bool = False) -> ConfigResult:
        geo, k = self.geo, self.geo.k
        rows = np.arange(len(self.w))
        col = self.assign(config.hasus)
        minutes = self.minutes[rows, col]
        variant_of = np.full(k + 1, 0 if _today else 1)
        variant_of[k] = 1
        variant_of[list(config.mt)] = 2
        v = variant_of[col]
        good = self.good[v, rows, col]
        util = self.utility[v, rows, col]
        needle = self.needle[v, rows, col]
        puncture = self.puncture[v, rows, col]
        mrs = self.mrs_pair[v, rows, col]

        r = self.res
        w = self.w[r]
        t = minutes[r]
        wsum = w.sum()
        vol = np.bincount(col, weights=self.w, minlength=k + 1)
        volumes = {geo.candidates[i].name: float(vol[i]) for i in config.hasus}
        to_out = r & (col == k)
        outside = np.bincount(
            geo.outside_index[to_out], weights=self.w[to_out], minlength=len(geo.outside_units)
        )
        outside_flows = {
            geo.outside_units[i].name: float(x) for i, x in enumerate(outside) if x > 0
        }
        median, p90, p95 = weighted_quantiles(t, w, (0.5, 0.9, 0.95))
        metrics: dict[str, float] = {
            "hasus": float(len(config.hasus)),
            "mean_minutes": float(np.sum(w * t) / wsum),
            "median_minutes": median,
            "p90_minutes": p90,
            "p95_minutes": p95,
            "max_minutes": float(t[w > 0].max()),
        }
        for th in THRESHOLDS:
            metrics[f"share_within_{th}"] = float(np.sum(w * (t <= th)) / wsum)
        hv = [vol[i] for i in config.hasus]
        metrics.update(
            {
                "min_unit_volume": float(min(hv)),
                "max_unit_volume": float(max(hv)),
                "residents_to_outside_units": float(np.sum(self.w[to_out])),
                "inflow_admissions": float(np.sum(self.w[~r & (col < k)])),
                "mean_onset_to_needle": float(np.sum(w * needle[r]) / wsum),
                "mean_onset_to_puncture": float(np.sum(w * puncture[r]) / wsum),
                "share_mrs_0_2": float(np.sum(w * good[r]) / wsum),
                "mean_utility": float(np.sum(w * util[r]) / wsum),
            }
        )
        mrs_dist = (w[:, None] * mrs[r]).sum(axis=0) / wsum
        today_minutes = minutes if _today else self.today.columns["minutes"]
        today_good = good if _today else self.today.columns["p_mrs_0_2"]
        change = minutes - today_minutes
        isch = self.cohort.share_ischaemic
        metrics["added_good_outcomes"] = float(np.sum(w * isch * (good[r] - today_good[r])))
        metrics["mean_change_minutes"] = float(np.sum(w * change[r]) / wsum)
        metrics["max_increase_minutes"] = float(change[r].max())
        metrics["admissions_over_15_min_longer"] = float(np.sum(w[change[r] > 15]))
        columns = {
            "column": col,
            "minutes": minutes,
            "today_minutes": today_minutes,
            "change_minutes": change,
            "onset_to_needle": needle,
            "onset_to_puncture": puncture,
            "p_mrs_0_2": good,
            "utility": util,
        }
        return ConfigResult(
            config, metrics, volumes, outside_flows, mrs_dist, columns, geo, is_today=_today
        )


METRIC_DESCRIPTIONS: dict[str, str] = {
    "hasus": "number of HASUs",
    "mean_minutes": "mean travel time to the first unit, minutes (residents, by admissions)",
    "median_minutes": "median travel time, minutes",
    "p90_minutes": "90th percentile travel time, minutes",
    "p95_minutes": "95th percentile travel time, minutes",
    "max_minutes": "longest travel time of any resident LSOA, minutes",
    **{f"share_within_{t}": f"share of resident admissions within {t} minutes" for t in THRESHOLDS},
    "min_unit_volume": "admissions a year of the smallest HASU (residents and inflow)",
    "max_unit_volume": "admissions a year of the largest HASU",
    "residents_to_outside_units": "resident admissions a year whose nearest unit is outside",
    "inflow_admissions": "admissions a year from neighbouring areas to the region's HASUs",
    "mean_onset_to_needle": "mean onset-to-thrombolysis time, minutes",
    "mean_onset_to_puncture": "mean onset-to-thrombectomy time, minutes",
    "share_mrs_0_2": "share of ischaemic stroke admissions with mRS 0-2",
    "mean_utility": "mean utility of ischaemic stroke admissions",
    "added_good_outcomes": "added admissions with mRS 0-2 a year against today",
    "mean_change_minutes": "mean change in travel time against today, minutes",
    "max_increase_minutes": "largest increase in travel time of any resident LSOA, minutes",
    "admissions_over_15_min_longer": "resident admissions a year with 15+ minutes longer travel",
}
