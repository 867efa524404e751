"""Local care tiers: contiguous groups of practices within the seed's population bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stpkit.kid.analyses import TIER_BOUNDS, adjacency, connected, local_care_tiers


def grid_practices(n_side: int, pop: float, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(np.arange(n_side), np.arange(n_side))
    n = n_side * n_side
    return pd.DataFrame(
        {
            "practice_code": [f"P{i:03d}" for i in range(n)],
            "population": rng.uniform(0.5, 1.5, n) * pop,
            "x": xs.ravel() * 1000 + rng.normal(0, 50, n),
            "y": ys.ravel() * 1000 + rng.normal(0, 50, n),
        }
    )


def test_every_practice_is_in_one_contiguous_group_per_tier_within_bounds() -> None:
    practices = grid_practices(14, 9_000)  # 196 practices, about 1.76 million people
    tiers = local_care_tiers(practices)
    adj = adjacency(practices.x.to_numpy(), practices.y.to_numpy())
    index = {p: i for i, p in enumerate(practices.practice_code)}
    for tier, _title, lo, hi in TIER_BOUNDS:
        groups = tiers.groups[tier]
        members = [p for g in groups for p in g.practices]
        assert sorted(members) == sorted(practices.practice_code)
        for g in groups:
            assert connected([index[p] for p in g.practices], adj), g.name
            assert lo <= g.population <= hi, (g.name, g.population, g.problem)
            assert g.within_bounds
    assignment = tiers.assignment()
    assert len(assignment) == len(practices)
    # Nesting: all practices of one extended practice share a hub and a footprint.
    for _, part in assignment.groupby("extended_practice"):
        assert part.community_hub.nunique() == 1 and part.accountable_care.nunique() == 1


def test_what_cannot_meet_the_bounds_is_flagged_not_dropped() -> None:
    practices = pd.DataFrame(
        {
            "practice_code": ["BIG", "A", "B"],
            "population": [90_000, 5_000, 6_000],
            "x": [0, 10_000, 10_500],
            "y": [0, 0, 400],
        }
    )
    tiers = local_care_tiers(practices)
    eps = {
        g.practices[0] if len(g.practices) == 1 else "+".join(sorted(g.practices)): g
        for g in tiers.groups["extended_practice"]
    }
    assert "above 60,000" in eps["BIG"].problem
    assert sum(len(g.practices) for g in tiers.groups["extended_practice"]) == 3
    assert any("below 20,000" in g.problem for g in tiers.groups["extended_practice"])


def test_scale_takes_a_sample_up_to_the_registered_population() -> None:
    practices = grid_practices(6, 100)
    tiers = local_care_tiers(practices, scale=250)
    total = sum(g.population for g in tiers.groups["accountable_care"])
    assert total == pytest.approx(practices.population.sum() * 250)
