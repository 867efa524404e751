"""A tiny geography whose every figure can be worked out by hand.

Three resident LSOAs (admissions 10, 20, 30), one neighbour (6), two candidate sites A
and B, one outside unit O that provides thrombectomy:

        minutes   A    B    O(outside)
        L1       10   40   50
        L2       35   20   60
        L3       50   25   30
        N4       15   45   40     (neighbour, not a resident)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stpkit.reference import StrokeUnit
from stpkit.stroke.geography import StrokeGeography


def unit(code: str, mt: bool = False) -> StrokeUnit:
    return StrokeUnit(
        postcode=f"{code}1 1AA",
        name=f"Site {code}",
        short_code=code,
        provides_ivt=True,
        provides_mt=mt,
        icb_code="X",
        icb_name="Test ICB",
        latitude=51.0,
        longitude=0.0,
        easting=500000.0,
        northing=150000.0,
        in_travel_matrix=True,
    )


def tiny() -> StrokeGeography:
    return StrokeGeography(
        region="Test",
        lsoa_codes=["L1", "L2", "L3", "N4"],
        lsoa_names=["One", "Two", "Three", "Neighbour"],
        admissions=np.array([10.0, 20.0, 30.0, 6.0]),
        resident=np.array([True, True, True, False]),
        candidates=[unit("A"), unit("B")],
        cand_minutes=np.array([[10.0, 40.0], [35.0, 20.0], [50.0, 25.0], [15.0, 45.0]]),
        cand_estimated=np.array([False, True]),
        outside_units=[unit("O", mt=True)],
        outside_index=np.array([0, 0, 0, 0]),
        outside_minutes=np.array([50.0, 60.0, 30.0, 40.0]),
        mt_centres=[unit("O", mt=True)],
        cand_transfer=np.array([30.0, 45.0]),
        cand_transfer_to=["Site O", "Site O"],
        outside_transfer=np.array([0.0]),
        model_errors=pd.DataFrame(),
    )
