"""The SPC chart spec: every layer has its data, colours follow polarity, the template is
reused without leaking one chart's data into the next."""

from __future__ import annotations

from datetime import date

from stpkit.charts.system import spc_chart
from stpkit.system import Polarity, xmr

STABLE = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 52, 49, 51]
PERIODS = [date(2016 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 16)]


def _layers(spec: dict) -> list[dict]:  # type: ignore[type-arg]
    return list(spec["layer"])


def test_every_layer_carries_values_and_special_points_are_coloured() -> None:
    result = xmr([*STABLE, 70], polarity=Polarity.LOWER_IS_BETTER, baseline=len(STABLE))
    spec = spc_chart(
        PERIODS, result, polarity=Polarity.LOWER_IS_BETTER, target=55, plan=[(PERIODS[0], 51.0)]
    )
    layers = _layers(spec)
    assert len(layers) == 7  # line, mean, two limits, points, target, plan
    assert all("values" in layer["data"] for layer in layers)
    points = layers[0]["data"]["values"]
    assert points[-1]["kind"] == "Concern" and points[0]["kind"] == "Common cause"
    assert points[0]["upper"] == result.upper_limit
    assert layers[5]["data"]["values"] == [{"target": 55}]


def test_template_reuse_does_not_share_data() -> None:
    a = spc_chart(PERIODS[:14], xmr(STABLE), polarity=Polarity.NEITHER)
    b = spc_chart(PERIODS[:3], xmr([1, 2, 3]), polarity=Polarity.NEITHER)
    assert len(_layers(a)) == 5 and len(_layers(b)) == 5
    # with one data source Altair puts the data at the top of the spec
    assert len(a["data"]["values"]) == 14
    assert len(b["data"]["values"]) == 3
    assert "name" not in a["data"]
