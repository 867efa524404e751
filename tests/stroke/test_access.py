"""Nearest stroke unit by road for each LSOA, and the catchments that makes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from stpkit.reference import StrokeUnit, TravelMatrix
from stpkit.stroke.access import NO_UNIT, catchments, nearest, nearest_units


def _unit(postcode: str, name: str) -> StrokeUnit:
    return StrokeUnit(
        postcode=postcode,
        name=name,
        short_code=name[:3].upper(),
        provides_ivt=True,
        provides_mt=False,
        icb_code=None,
        icb_name=None,
        latitude=51.0,
        longitude=0.5,
        easting=0.0,
        northing=0.0,
        in_travel_matrix=True,
    )


def test_nearest_ignores_missing_minutes_and_marks_unreachable_rows() -> None:
    minutes = np.array(
        [
            [30.0, 12.0, np.nan],
            [np.nan, np.nan, 5.0],
            [np.nan, np.nan, np.nan],
            [7.0, 7.0, 9.0],  # a tie goes to the first unit
        ]
    )
    index, best = nearest(minutes)
    assert list(index) == [1, 2, NO_UNIT, 0]
    assert best[:2].tolist() == [12.0, 5.0] and math.isnan(best[2]) and best[3] == 7.0


def test_nearest_refuses_a_vector() -> None:
    with pytest.raises(ValueError, match="matrix"):
        nearest(np.array([1.0, 2.0]))


def test_catchments_sum_admissions_and_average_minutes_per_nearest_unit() -> None:
    units = [_unit("ME1 1AA", "Medway"), _unit("TN1 1AA", "Tunbridge Wells")]
    lsoas = pd.DataFrame(
        {"lsoa_code": ["E1", "E2", "E3", "E4"], "admissions": [2.4, 3.3, 10.0, 1.0]}
    )
    matrix = TravelMatrix(
        lsoa_codes=["E1", "E2", "E3", "E4"],
        unit_postcodes=["ME1 1AA", "TN1 1AA"],
        minutes=np.array([[10.0, 40.0], [20.0, 35.0], [50.0, 15.0], [np.nan, np.nan]]),
    )
    by_lsoa = nearest_units(lsoas, units, matrix)
    assert by_lsoa.unit.tolist()[:3] == ["Medway", "Medway", "Tunbridge Wells"]
    assert pd.isna(by_lsoa.unit.iloc[3]) and math.isnan(by_lsoa.minutes.iloc[3])
    sites = catchments(by_lsoa)
    assert sites.to_dict("records") == [
        {"unit": "Tunbridge Wells", "admissions": 10.0, "lsoas": 1, "mean_minutes": 15.0},
        {"unit": "Medway", "admissions": 6.0, "lsoas": 2, "mean_minutes": 15.0},
    ]


def test_nearest_units_refuses_a_matrix_for_other_lsoas() -> None:
    units = [_unit("ME1 1AA", "Medway")]
    lsoas = pd.DataFrame({"lsoa_code": ["E1", "E2"], "admissions": [1.0, 1.0]})
    matrix = TravelMatrix(["E2", "E1"], ["ME1 1AA"], np.array([[1.0], [2.0]]))
    with pytest.raises(ValueError, match="rows"):
        nearest_units(lsoas, units, matrix)
