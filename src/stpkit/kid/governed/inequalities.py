"""Inequalities by deprivation, published: measures by IMD quintile, the gap and the SII.

Computed inside the pseudonymised zone from the base year's per-person table
(`dashboards.segments_table`) joined to each person's LSOA deprivation (the store's
`lsoa_imd`), then published: people and event counts per quintile pass the disclosure
policy, costs are rounded to the pound, and every rate, share, gap and slope index is
computed from the published figures, so nothing finer than a published cell can be
recovered. A quintile whose people count is suppressed hides all its measures, and the
slope index is then not given (it needs every group). Results are cached per store
version, year, population and policy (a store version never changes).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stpkit.disclosure import DisclosurePolicy
from stpkit.kid.analyses.inequalities import (
    COUNT_NUMERATORS,
    MEASURES,
    QUINTILE_NAMES,
    slope_index,
)
from stpkit.kid.analyses.segment import BRIDGES_SEGMENTS
from stpkit.kid.governed.dashboards import published, segments_table
from stpkit.kid.pipeline.insight_store import InsightStore

# Populations a page can ask about: name -> (label, SQL condition on the per-person table).
POPULATIONS: dict[str, tuple[str, str]] = {
    "all": ("Everyone registered", "true"),
    "65+": ("People 65 and over", "age >= 65"),
    "under-65": ("People under 65", "age < 65"),
}
_cache: dict[tuple[str, int, str, str], Inequalities] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Inequalities:
    """Published measures by IMD quintile, the gap and SII per measure, segments by quintile."""

    year: int
    population: str
    rows: list[dict[str, Any]]  # quintile, people, one value per measure
    gaps: list[dict[str, Any]]  # measure, most, least, gap, sii, rii
    segments: list[dict[str, Any]]  # quintile, then the share (%) of people in each segment

    def gap(self, measure: str) -> dict[str, Any] | None:
        return next((g for g in self.gaps if g["measure"] == measure), None)


def _raw(store: InsightStore, table: Path, where: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sums = ", ".join(
        f"sum(CAST({num} AS DOUBLE)) AS {num}"
        for num in sorted({n for _, n, _, _ in MEASURES.values()} - {"multimorbid"})
    )
    base = f"FROM read_parquet($t) t JOIN lsoa_imd d ON d.lsoa_code = t.lsoa_code WHERE {where}"
    raw = store.con.execute(
        f"SELECT CAST(d.imd_quintile AS INTEGER) AS imd_quintile, count(*) AS people, {sums}, "
        f"count(*) FILTER (WHERE t.ltc_count >= 2) AS multimorbid {base} GROUP BY 1",
        {"t": str(table)},
    ).df()
    seg = store.con.execute(
        "SELECT CAST(d.imd_quintile AS INTEGER) AS imd_quintile, bridges_segment AS segment, "
        f"count(*) AS people {base} GROUP BY ALL",
        {"t": str(table)},
    ).df()
    raw = raw.set_index("imd_quintile").reindex(list(QUINTILE_NAMES), fill_value=0)
    return raw.reset_index(), seg


def _value(v: Any) -> Any:
    """A published cell for JSON and templates: None for a hidden (None or NaN) value."""
    if v is None or (isinstance(v, float) and v != v):
        return None
    return int(v) if isinstance(v, np.integer) else float(v) if isinstance(v, np.floating) else v


def _publish(raw: pd.DataFrame, policy: DisclosurePolicy) -> pd.DataFrame:
    out = pd.DataFrame({"imd_quintile": raw.imd_quintile})
    out["people"] = published(raw.people, policy)
    for name, (_, num, per, _unit) in MEASURES.items():
        if num in COUNT_NUMERATORS:
            top = published(raw[num].round(), policy)
        else:
            top = raw[num].round(0).astype(object)
        out[name] = [
            None if p is None or t is None or not p else round(per * float(t) / p, 1)
            for p, t in zip(out.people, top, strict=True)
        ]
    return out


def inequalities(
    store: InsightStore,
    year: int,
    cache_dir: Path,
    policy: DisclosurePolicy,
    population: str = "all",
) -> Inequalities:
    """Every measure by IMD quintile for `population` in `year`, with gaps and SIIs."""
    if population not in POPULATIONS:
        raise ValueError(f"unknown population {population!r}; one of {', '.join(POPULATIONS)}")
    key = (store.version, year, population, policy.name)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    table = segments_table(store, year, cache_dir)
    raw, seg = _raw(store, table, POPULATIONS[population][1])
    pub = _publish(raw, policy)
    rows = [
        {
            "quintile": QUINTILE_NAMES[int(r["imd_quintile"])],
            **{c: _value(r[c]) for c in pub.columns[1:]},
        }
        for r in pub.to_dict("records")
    ]
    gaps = []
    complete = pub.people.notna().all() and (pub.people.fillna(0) > 0).all()
    for name, (label, _, _, unit) in MEASURES.items():
        values = pub[name].astype(object).where(pub[name].notna(), None)
        most, least = _value(values.iloc[0]), _value(values.iloc[-1])
        gap: dict[str, Any] = {
            "measure": name,
            "label": label,
            "unit": unit,
            "most": most,
            "least": least,
            "gap": None if most is None or least is None else round(most - least, 1) + 0.0,
            "sii": None,
            "rii": None,
        }
        if complete and all(v is not None for v in values):
            s = slope_index(values.astype(float).to_numpy(), pub.people.astype(float).to_numpy())
            gap["sii"] = round(s.sii, 1) + 0.0  # never "-0.0"
            gap["rii"] = None if s.rii is None else round(s.rii, 2)
        gaps.append(gap)
    seg["people"] = published(seg.people, policy)
    wide = seg.pivot_table(
        index="imd_quintile", columns="segment", values="people", aggfunc="first"
    ).reindex(index=list(QUINTILE_NAMES), columns=list(BRIDGES_SEGMENTS))
    segments = []
    for q, people in zip(pub.imd_quintile, pub.people, strict=True):
        row: dict[str, Any] = {"quintile": QUINTILE_NAMES[int(q)]}
        for s_name in BRIDGES_SEGMENTS:
            v = wide.loc[q, s_name]
            row[s_name] = (
                None if not _value(people) or pd.isna(v) else round(100 * float(v) / people, 1)
            )
        segments.append(row)
    result = Inequalities(year, population, rows, gaps, segments)
    with _lock:
        _cache[key] = result
    return result
