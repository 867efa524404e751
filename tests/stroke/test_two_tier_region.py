"""Two tiers on Kent and Medway's real geography: the command's answer, and the engine's
optimum equal to enumeration of every choice of 3 HASUs and 1 thrombectomy centre."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from stpkit.cli.main import app
from stpkit.reference import get_reference
from stpkit.stroke.geography import load_geography
from stpkit.stroke.two_tier import region_two_tier, solve_two_tier
from tests.stroke.test_two_tier import enumerate_best

pytestmark = pytest.mark.slow


def test_region_two_tier_equals_enumeration() -> None:
    geo = load_geography(get_reference(), "Kent and Medway")
    prob = region_two_tier(geo, 3, 1, min_volume=500.0, max_volume=1500.0)
    sol = solve_two_tier(prob, mip_gap=0.0, time_limit=120)
    assert sol.objective == pytest.approx(enumerate_best(prob), rel=1e-6)
    assert len(sol.hasus) == 3 and len(sol.mt_centres) == 1
    assert set(sol.mt_centres) <= set(sol.hasus)
    assert all(500 - 1e-6 <= sol.volumes[h] <= 1500 + 1e-6 for h in sol.hasus)


def test_cli_two_tier() -> None:
    runner = CliRunner()
    r = runner.invoke(
        app,
        ["stroke", "two-tier", "--hasus", "3", "--mt-centres", "1", "--min-volume", "500"],
    )
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "Proven optimal" in text and "thrombectomy catchment" in text
    r = runner.invoke(app, ["stroke", "two-tier", "--hasus", "2", "--mt-centres", "3"])
    assert r.exit_code == 2 and "Infeasible: q = 3 MT centres" in " ".join(r.output.split())
