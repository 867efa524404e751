"""The travel-time model for units with no matrix column, and its held-out error."""

from __future__ import annotations

import numpy as np

from stpkit.stroke.travel_model import TravelTimeModel, held_out_errors


def test_recovers_a_distance_law_exactly() -> None:
    rng = np.random.default_rng(0)
    lsoa = rng.uniform(0, 100, size=(300, 2))
    units = rng.uniform(0, 100, size=(8, 2))
    d = np.hypot(lsoa[:, None, 0] - units[None, :, 0], lsoa[:, None, 1] - units[None, :, 1])
    minutes = 5 + 1.2 * d + 2 * np.sqrt(d)
    model = TravelTimeModel.fit(lsoa, units[1:], minutes[:, 1:])
    assert np.allclose(model.predict(units[0]), minutes[:, 0], atol=1e-6)
    errors = held_out_errors(lsoa, units, minutes, [f"u{i}" for i in range(8)], [0, 3])
    assert list(errors.held_out_unit) == ["u0", "u3"]
    assert errors.mae_minutes.max() < 1e-6


def test_borrows_slow_roads_from_neighbouring_units() -> None:
    """LSOAs whose roads to the known units are 10 minutes slow are slow to the new one."""
    rng = np.random.default_rng(1)
    lsoa = rng.uniform(0, 100, size=(400, 2))
    units = np.array([[50.0, 50.0], [45.0, 55.0], [55.0, 45.0], [10.0, 90.0], [90.0, 10.0]])
    d = np.hypot(lsoa[:, None, 0] - units[None, :, 0], lsoa[:, None, 1] - units[None, :, 1])
    slow = lsoa[:, 0] < 30  # a district with poor roads
    minutes = 1.5 * d + np.where(slow, 10.0, 0.0)[:, None]
    model = TravelTimeModel.fit(lsoa, units[1:], minutes[:, 1:])
    err = model.predict(units[0]) - minutes[:, 0]
    plain = (
        TravelTimeModel.fit(lsoa, units[1:], minutes[:, 1:]).regression.predict(
            np.stack([d[:, 0], np.sqrt(d[:, 0])], axis=-1)
        )
        - minutes[:, 0]
    )
    assert np.mean(np.abs(err)) < 0.5 * np.mean(np.abs(plain))
