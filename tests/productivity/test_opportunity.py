"""Opportunity arithmetic against cases worked by hand."""

from __future__ import annotations

import pytest

from stpkit.productivity import (
    Basis,
    BenchmarkSet,
    Direction,
    MetricValue,
    ProductivityError,
    benchmark_value,
    catalogue_targets,
    league_table,
    opportunities,
    provider_totals,
    read_metrics,
    read_peer_groups,
    untargeted_metrics,
)
from tests.productivity.helpers import CATALOGUE, METRICS, PEERS


@pytest.fixture
def data() -> BenchmarkSet:
    return read_metrics(METRICS, read_peer_groups(PEERS, "peers.csv"), CATALOGUE, "metrics.csv")


def _one(items: list, provider: str, metric: str):  # type: ignore[no-untyped-def]
    return next(o for o in items if o.provider == provider and o.metric == metric)


def test_median_opportunity_lower_is_better(data: BenchmarkSet) -> None:
    # G1 lengths of stay 4, 5, 6, 8: median (5 + 6) / 2 = 5.5.
    items = opportunities(data, CATALOGUE, Basis.MEDIAN)
    c = _one(items, "C", "los")
    assert c.benchmark == pytest.approx(5.5)
    assert c.gap == pytest.approx(0.5)
    assert c.activity == pytest.approx(0.5 * 1500)  # 750 bed days
    assert c.cash == pytest.approx(750 * 300)  # 225,000 GBP
    assert c.staff == pytest.approx(750 * 0.004)  # 3 WTE
    d = _one(items, "D", "los")
    assert d.activity == pytest.approx(2.5 * 500)
    # A provider better than the benchmark has no (negative) opportunity.
    assert _one(items, "A", "los").cash == 0


def test_upper_quartile_uses_the_better_end(data: BenchmarkSet) -> None:
    # LoS (lower better): 25th percentile of 4, 5, 6, 8 (linear) = 4 + 0.75 * 1 = 4.75.
    items = opportunities(data, CATALOGUE, Basis.UPPER_QUARTILE)
    b = _one(items, "B", "los")
    assert b.benchmark == pytest.approx(4.75)
    assert b.activity == pytest.approx(0.25 * 2000)
    # Theatre (higher better): 75th percentile of 0.6, 0.7, 0.8, 0.9 = 0.8 + 0.25 * 0.1 = 0.825.
    a = _one(items, "A", "theatre")
    assert a.benchmark == pytest.approx(0.825)
    assert a.activity == pytest.approx(0.125 * 1000)  # theatre hours
    assert a.cash == pytest.approx(125 * 1000)


def test_higher_is_better_median(data: BenchmarkSet) -> None:
    items = opportunities(data, CATALOGUE, Basis.MEDIAN)
    d = _one(items, "D", "theatre")  # median of 0.6..0.9 is 0.75; D at 0.6 on 2000 hours
    assert d.gap == pytest.approx(0.15)
    assert d.cash == pytest.approx(0.15 * 2000 * 1000)
    assert _one(items, "C", "theatre").cash == 0


def test_peer_groups_are_benchmarked_separately(data: BenchmarkSet) -> None:
    items = opportunities(data, CATALOGUE, Basis.MEDIAN)
    assert _one(items, "G", "los").benchmark == pytest.approx(4)  # median of 3, 4, 5 in G2
    assert _one(items, "G", "los").activity == pytest.approx(100)


def test_target_basis(data: BenchmarkSet) -> None:
    items = opportunities(data, CATALOGUE, Basis.TARGET, targets={"los": 4.0, "theatre": 0.85})
    assert _one(items, "D", "los").activity == pytest.approx(4 * 500)
    assert _one(items, "B", "theatre").activity == pytest.approx(0.05 * 1000)
    with pytest.raises(ProductivityError, match="no target is set for metric 'theatre'"):
        opportunities(data, CATALOGUE, Basis.TARGET, targets={"los": 4.0})


def test_target_basis_reads_the_catalogue_targets(data: BenchmarkSet) -> None:
    from dataclasses import replace

    # Only length of stay has a target (4.5 days); theatre utilisation has none.
    catalogue = {**CATALOGUE, "los": replace(CATALOGUE["los"], target=4.5)}
    assert catalogue_targets(catalogue) == {"los": 4.5}
    assert untargeted_metrics(data, catalogue_targets(catalogue)) == ["theatre"]
    with pytest.raises(ProductivityError, match="no target is set for metric 'theatre'"):
        opportunities(data, catalogue, Basis.TARGET)
    items = opportunities(data, catalogue, Basis.TARGET, skip_untargeted=True)
    assert {o.metric for o in items} == {"los"}
    # G1: A 4 (none), B 5 -> 0.5 x 2000, C 6 -> 1.5 x 1500, D 8 -> 3.5 x 500 bed days;
    # G2: E 3, F 4 (none), G 5 -> 0.5 x 100. Same target whatever the peer group.
    days = {o.provider: o.activity for o in items}
    assert days == pytest.approx({"A": 0, "B": 1000, "C": 2250, "D": 1750, "E": 0, "F": 0, "G": 50})
    totals = {t.provider: t.cash for t in provider_totals(items)}
    assert totals["C"] == pytest.approx(2250 * 300)
    with pytest.raises(ProductivityError, match="needs a target"):
        opportunities(data, CATALOGUE, Basis.TARGET)  # no metric has a target


def test_overlapping_opportunities_are_not_added() -> None:
    values = [
        MetricValue(p, m, "2015/16", v, 100)
        for p, m, v in [
            ("A", "los", 6),
            ("B", "los", 4),
            ("C", "los", 4),
            ("A", "los_elderly", 9),
            ("B", "los_elderly", 7),
            ("C", "los_elderly", 7),
        ]
    ]
    data = BenchmarkSet(values, {"A": "G", "B": "G", "C": "G"})
    items = opportunities(data, CATALOGUE, Basis.MEDIAN)
    # A: los gap 2 x 100 x 300 = 60,000; los_elderly gap 2 x 100 x 300 = 60,000 (same group).
    a = [o for o in items if o.provider == "A"]
    assert sum(o.counted for o in a) == 1
    total = provider_totals(items)[0]
    assert total.provider == "A"
    assert total.gross_cash == pytest.approx(120_000)
    assert total.cash == pytest.approx(60_000)
    assert total.overlap_excluded == pytest.approx(60_000)


def test_the_larger_overlapping_opportunity_counts() -> None:
    values = [
        MetricValue("A", "los", "p", 6, 100),
        MetricValue("B", "los", "p", 4, 100),
        MetricValue("C", "los", "p", 4, 100),
        MetricValue("A", "los_elderly", "p", 5, 100),
        MetricValue("B", "los_elderly", "p", 4, 100),
        MetricValue("C", "los_elderly", "p", 4, 100),
    ]
    items = opportunities(BenchmarkSet(values, dict.fromkeys("ABC", "G")), CATALOGUE)
    counted = [o.metric for o in items if o.provider == "A" and o.counted]
    assert counted == ["los"]  # 60,000 beats 30,000


def test_benchmark_statistics() -> None:
    assert benchmark_value([1, 2, 3, 4], Basis.MEDIAN, Direction.LOWER_IS_BETTER) == 2.5
    assert benchmark_value([1, 2, 3, 4, 5], Basis.UPPER_QUARTILE, Direction.LOWER_IS_BETTER) == 2
    assert benchmark_value([1, 2, 3, 4, 5], Basis.UPPER_QUARTILE, Direction.HIGHER_IS_BETTER) == 4


def test_league_table_ranks_best_first_with_ties(data: BenchmarkSet) -> None:
    league = league_table(data, "theatre", Direction.HIGHER_IS_BETTER, "G1")
    assert [(r.rank, r.provider) for r in league] == [(1, "C"), (2, "B"), (3, "A"), (4, "D")]
    tied = league_table(data, "theatre", Direction.HIGHER_IS_BETTER, "G2")
    assert [r.rank for r in tied] == [1, 1, 1]
