"""Opportunity: how far each provider is from a benchmark, in activity, staff and cash.

For a lower-is-better metric the opportunity is max(0, value - benchmark) x denominator
(for higher-is-better, max(0, benchmark - value) x denominator), the benchmark being the
peer group's median, its best quartile (the 25th percentile when lower is better, the
75th when higher is better; numpy's linear interpolation) or a target. Peer statistics
are unweighted across providers and include the provider itself, as Model Hospital's do.

Opportunities overlap: cutting agency spend and cutting pay cost per weighted activity
unit are largely the same pounds. Metrics that share an `overlap_group` are never added:
a provider's total counts only the largest opportunity of each group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from stpkit.productivity.benchmarks import BenchmarkSet
from stpkit.productivity.catalogue import Direction, MetricDefinition
from stpkit.productivity.errors import ProductivityError


class Basis(StrEnum):
    MEDIAN = "median"
    UPPER_QUARTILE = "upper_quartile"
    TARGET = "target"

    @property
    def label(self) -> str:
        return {
            "median": "peer median",
            "upper_quartile": "peer best quartile",
            "target": "target",
        }[self.value]


@dataclass(frozen=True)
class Opportunity:
    provider: str
    metric: str
    peer_group: str
    period: str
    value: float
    denominator: float
    benchmark: float
    gap: float  # per unit of denominator, >= 0, in the metric's unit
    activity: float  # gap x denominator, in the metric's activity unit
    cash: float  # GBP
    staff: float  # WTE
    overlap_group: str
    counted: bool = True  # False when a larger opportunity of the same overlap group counts

    def as_row(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "metric": self.metric,
            "peer_group": self.peer_group,
            "period": self.period,
            "value": self.value,
            "denominator": self.denominator,
            "benchmark": self.benchmark,
            "gap": self.gap,
            "activity": self.activity,
            "cash": self.cash,
            "staff": self.staff,
            "overlap_group": self.overlap_group,
            "counted": "yes" if self.counted else "no: overlaps a larger opportunity",
        }


def benchmark_value(values: list[float], basis: Basis, direction: Direction) -> float:
    """The peer median or best-quartile boundary of `values`."""
    if not values:
        raise ProductivityError("a benchmark needs at least one peer value")
    if basis is Basis.MEDIAN:
        return float(np.median(values))
    if basis is Basis.UPPER_QUARTILE:
        q = 25 if direction is Direction.LOWER_IS_BETTER else 75
        return float(np.percentile(values, q))
    raise ProductivityError("a target benchmark is given per metric, not computed from peers")


def gap_per_unit(value: float, benchmark: float, direction: Direction) -> float:
    difference = value - benchmark if direction is Direction.LOWER_IS_BETTER else benchmark - value
    return max(0.0, difference)


def opportunities(
    data: BenchmarkSet,
    catalogue: dict[str, MetricDefinition],
    basis: Basis = Basis.MEDIAN,
    targets: dict[str, float] | None = None,
    providers: list[str] | None = None,
    skip_untargeted: bool = False,
) -> list[Opportunity]:
    """Every (provider, metric) opportunity, with overlaps marked as not counted.

    With basis "target" the targets come from `targets` or, when that is None, from the
    catalogue's `target` column. A metric without a target is an error, unless
    `skip_untargeted` says to leave such metrics out (see `untargeted_metrics`).
    """
    if basis is Basis.TARGET and targets is None:
        targets = catalogue_targets(catalogue)
    if basis is Basis.TARGET and not targets:
        raise ProductivityError("basis 'target' needs a target value for each metric")
    peers: dict[tuple[str, str], list[float]] = defaultdict(list)
    for v in data.values:
        peers[(data.peer_group_of[v.provider], v.metric)].append(v.value)
    wanted = set(providers) if providers else None
    computed: dict[tuple[str, str], float] = {}  # one statistic per peer group and metric
    result = []
    for v in sorted(data.values, key=lambda v: (v.provider, v.metric)):
        if wanted is not None and v.provider not in wanted:
            continue
        definition = catalogue.get(v.metric)
        if definition is None:
            raise ProductivityError(f"metric '{v.metric}' has no definition in the catalogue")
        group = data.peer_group_of[v.provider]
        if basis is Basis.TARGET:
            assert targets is not None
            if v.metric not in targets and skip_untargeted:
                continue
            if v.metric not in targets:
                raise ProductivityError(f"no target is set for metric '{v.metric}'")
            benchmark = targets[v.metric]
        else:
            key = (group, v.metric)
            if key not in computed:
                computed[key] = benchmark_value(peers[key], basis, definition.direction)
            benchmark = computed[key]
        gap = gap_per_unit(v.value, benchmark, definition.direction)
        activity = gap * v.denominator
        result.append(
            Opportunity(
                provider=v.provider,
                metric=v.metric,
                peer_group=group,
                period=v.period,
                value=v.value,
                denominator=v.denominator,
                benchmark=benchmark,
                gap=gap,
                activity=activity,
                cash=activity * definition.cash_per_activity,
                staff=activity * definition.staff_per_activity,
                overlap_group=definition.overlap_group,
            )
        )
    return mark_overlaps(result)


def catalogue_targets(catalogue: dict[str, MetricDefinition]) -> dict[str, float]:
    """metric -> target, for the metrics whose definition sets one."""
    return {code: d.target for code, d in catalogue.items() if d.target is not None}


def untargeted_metrics(data: BenchmarkSet, targets: dict[str, float]) -> list[str]:
    """Metrics in the benchmarks that have no target (left out of a target-basis total)."""
    return [metric for metric in data.metrics if metric not in targets]


def mark_overlaps(items: list[Opportunity]) -> list[Opportunity]:
    """Within each provider and overlap group only the largest cash opportunity counts."""
    best: dict[tuple[str, str], Opportunity] = {}
    for o in items:
        if not o.overlap_group:
            continue
        key = (o.provider, o.overlap_group)
        if key not in best or (o.cash, o.metric) > (best[key].cash, best[key].metric):
            best[key] = o
    out = []
    for o in items:
        counted = not o.overlap_group or best[(o.provider, o.overlap_group)] is o
        out.append(o if counted == o.counted else _replace(o, counted))
    return out


def _replace(o: Opportunity, counted: bool) -> Opportunity:
    from dataclasses import replace

    return replace(o, counted=counted)


@dataclass(frozen=True)
class ProviderTotal:
    provider: str
    peer_group: str
    cash: float  # counted opportunities only: what may be planned against
    staff: float
    gross_cash: float  # a naive sum of every opportunity, double counting overlaps
    overlap_excluded: float  # gross_cash - cash

    def as_row(self) -> dict[str, object]:
        return dict(self.__dict__)


def provider_totals(items: list[Opportunity]) -> list[ProviderTotal]:
    """Each provider's opportunity without double counting, largest first."""
    groups: dict[str, list[Opportunity]] = defaultdict(list)
    for o in items:
        groups[o.provider].append(o)
    totals = []
    for provider, rows in groups.items():
        cash = sum(o.cash for o in rows if o.counted)
        gross = sum(o.cash for o in rows)
        totals.append(
            ProviderTotal(
                provider=provider,
                peer_group=rows[0].peer_group,
                cash=cash,
                staff=sum(o.staff for o in rows if o.counted),
                gross_cash=gross,
                overlap_excluded=gross - cash,
            )
        )
    return sorted(totals, key=lambda t: (-t.cash, t.provider))


def metric_totals(items: list[Opportunity]) -> dict[str, float]:
    """Cash by metric across providers (providers never overlap one another)."""
    totals: dict[str, float] = defaultdict(float)
    for o in items:
        totals[o.metric] += o.cash
    return dict(totals)


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    provider: str
    value: float
    denominator: float


def league_table(
    data: BenchmarkSet, metric: str, direction: Direction, peer_group: str | None = None
) -> list[LeagueRow]:
    """Providers ranked best first on one metric (ties share the better rank)."""
    rows = [
        v
        for v in data.values
        if v.metric == metric
        and (peer_group is None or data.peer_group_of[v.provider] == peer_group)
    ]
    reverse = direction is Direction.HIGHER_IS_BETTER
    rows.sort(key=lambda v: (-v.value if reverse else v.value, v.provider))
    result: list[LeagueRow] = []
    for i, v in enumerate(rows):
        rank = result[-1].rank if result and result[-1].value == v.value else i + 1
        result.append(LeagueRow(rank, v.provider, v.value, v.denominator))
    return result
