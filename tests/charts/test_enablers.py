"""The enablers' chart specs carry the page's figures in the right encodings, and each
comes with a text alternative that states the figures it shows."""

from __future__ import annotations

from typing import Any

from stpkit.charts import enablers as charts


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec.get("layer", [spec]))


def _values(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The layer's own data, or the chart's shared data."""
    return list((layer.get("data") or spec["data"])["values"])


def _mark(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def test_workforce_fan_has_a_band_and_median_line_for_supply_and_demand() -> None:
    rows = [
        {
            "year": 2026 + k,
            "supply": 100 + k,
            "supply_low": 90 + k,
            "supply_high": 110 + k,
            "demand": 120 + 2 * k,
            "demand_low": 115 + 2 * k,
            "demand_high": 130 + 2 * k,
        }
        for k in range(3)
    ]
    fig = charts.workforce_fan(rows, staff_group="Midwives", chart_id="fan-1")
    assert fig.id == "fan-1"
    band, line = _layers(fig.spec)
    assert _mark(band) == "area" and _mark(line) == "line"
    assert band["encoding"]["y"]["field"] == "p10"
    assert band["encoding"]["y2"]["field"] == "p90"
    assert line["encoding"]["y"]["field"] == "p50"
    values = _values(fig.spec, band)
    demand_2028 = next(v for v in values if v["measure"] == "Demand" and v["year"] == "2028")
    assert (demand_2028["p10"], demand_2028["p50"], demand_2028["p90"]) == (119, 124, 134)
    assert len(values) == 6  # two measures by three years
    assert fig.spec["title"] == "Midwives"
    assert "In 2028 supply is 102 WTE (92 to 112) and demand 124 WTE (119 to 134)" in (
        fig.description
    )


def test_capital_bars_stack_sources_against_the_envelope_line() -> None:
    years = [
        {"year": "2026/27", "planned": 30, "envelope": 25, "src_a": 10, "src_b": 20},
        {"year": "2027/28", "planned": 5, "envelope": 40, "src_a": 5, "src_b": 0},
    ]
    fig = charts.capital_against_envelope(years, {"a": "Own", "b": "National"}, chart_id="cap")
    bars, line, label = _layers(fig.spec)
    assert _mark(bars) == "bar" and _mark(line) == "line"
    assert _mark(label) == "text" and _values(fig.spec, label) == [
        {"year": "2027/28", "envelope": 40}
    ]
    assert bars["encoding"]["color"]["field"] == "source"
    assert bars["encoding"]["y"] == {**bars["encoding"]["y"], "field": "amount", "aggregate": "sum"}
    assert {"year": "2026/27", "source": "National", "amount": 20} in _values(fig.spec, bars)
    assert _values(fig.spec, line) == [
        {"year": "2026/27", "envelope": 25},
        {"year": "2027/28", "envelope": 40},
    ]
    assert line["encoding"]["y"]["field"] == "envelope"
    assert "Over the envelope in 2026/27." in fig.description
    assert "2027/28: £5 of £40" in fig.description


def test_tradeoff_curve_plots_value_against_money_and_skips_infeasible_points() -> None:
    points: list[dict[str, Any]] = [
        {"scale": 50, "value": None, "chosen": 0},
        {"scale": 75, "value": 300.0, "chosen": 4},
        {"scale": 100, "value": 420.0, "chosen": 6},
    ]
    fig = charts.tradeoff_curve(points, chart_id="curve")
    assert _mark(fig.spec) == "line"
    assert fig.spec["encoding"]["x"]["field"] == "scale"
    assert fig.spec["encoding"]["y"]["field"] == "value"
    assert [v["value"] for v in fig.spec["data"]["values"]] == [300.0, 420.0]
    assert "from 75% to 100%" in fig.description and "300 to 420 points" in fig.description


def test_unused_space_splits_void_from_unused_occupied_space_largest_first() -> None:
    rows = [
        {"organisation": "Small trust", "unused_m2": 100, "void_m2": 40},
        {"organisation": "Big trust", "unused_m2": 900, "void_m2": 1000},
    ]
    fig = charts.unused_space(rows, chart_id="space")
    assert _mark(fig.spec) == "bar"
    assert fig.spec["encoding"]["y"]["sort"] == ["Big trust", "Small trust"]
    values = fig.spec["data"]["values"]
    assert {"organisation": "Small trust", "kind": "Void", "m2": 40} in values
    assert {"organisation": "Small trust", "kind": "Occupied but not in use", "m2": 60} in values
    # never a negative bar, even if a return's figures disagree
    assert {"organisation": "Big trust", "kind": "Occupied but not in use", "m2": 0} in values
    assert fig.description.index("Big trust") < fig.description.index("Small trust")
