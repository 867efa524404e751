"""Import provider metrics and peer groups, refusing anything a benchmark cannot use.

Metrics file columns: provider, metric, period, value, denominator (or "activity").
Peer-group file columns: provider, peer_group; every provider belongs to exactly one peer
group (the "similar trusts" it is compared with). A file is loaded whole or not at all:
`InputError.issues` names the file, row, field and reason of every problem.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from stpkit.productivity.catalogue import MetricDefinition
from stpkit.productivity.errors import InputError, InputIssue
from stpkit.productivity.tables import parse_number, read_table, require_columns

MIN_PEER_GROUP = 3


@dataclass(frozen=True)
class MetricValue:
    provider: str
    metric: str
    period: str
    value: float
    denominator: float  # the activity the metric is a rate of (spells, tests, WAUs, ...)
    row: int = 0


@dataclass(frozen=True)
class BenchmarkSet:
    """Validated metrics with the peer group of every provider."""

    values: list[MetricValue]
    peer_group_of: dict[str, str]

    @property
    def metrics(self) -> list[str]:
        return sorted({v.metric for v in self.values})

    @property
    def providers(self) -> list[str]:
        return sorted({v.provider for v in self.values})

    def period_of(self, metric: str) -> str:
        return next(v.period for v in self.values if v.metric == metric)

    def members(self, peer_group: str) -> list[str]:
        return sorted(p for p, g in self.peer_group_of.items() if g == peer_group)


def read_peer_groups(data: bytes | Path, name: str | None = None) -> dict[str, str]:
    """provider -> peer group; refuses blanks, a provider in two groups and tiny groups."""
    table = read_table(data, name)
    require_columns(table, ["provider", "peer_group"], {"peer group": "peer_group"})
    issues: list[InputIssue] = []
    group_of: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for number, row in table.rows:
        provider, group = row.get("provider", ""), row.get("peer_group", "")
        if not provider:
            issues.append(InputIssue(table.name, number, "provider", "is empty"))
            continue
        if not group:
            issues.append(InputIssue(table.name, number, "peer_group", f"is empty for {provider}"))
            continue
        if provider in group_of and group_of[provider] != group:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "peer_group",
                    f"{provider} is already in peer group '{group_of[provider]}' (row "
                    f"{first_row[provider]}); a provider is compared with one peer group",
                )
            )
            continue
        group_of[provider] = group
        first_row.setdefault(provider, number)
    sizes = Counter(group_of.values())
    for group, size in sorted(sizes.items()):
        if size < MIN_PEER_GROUP:
            issues.append(
                InputIssue(
                    table.name,
                    0,
                    "peer_group",
                    f"peer group '{group}' has {size} provider(s); medians and quartiles "
                    f"need at least {MIN_PEER_GROUP}",
                )
            )
    if issues:
        raise InputError(issues)
    return group_of


def read_metrics(
    data: bytes | Path,
    peer_group_of: dict[str, str],
    catalogue: dict[str, MetricDefinition] | None = None,
    name: str | None = None,
) -> BenchmarkSet:
    """Validated provider metrics; raises InputError listing every bad row."""
    table = read_table(data, name)
    require_columns(
        table, ["provider", "metric", "period", "value", "denominator"], {"activity": "denominator"}
    )
    issues: list[InputIssue] = []
    values: list[MetricValue] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in table.rows:
        bad = len(issues)
        provider, metric, period = (
            row.get("provider", ""),
            row.get("metric", ""),
            row.get("period", ""),
        )
        for column, text in (("provider", provider), ("metric", metric), ("period", period)):
            if not text:
                issues.append(InputIssue(table.name, number, column, "is empty"))
        if catalogue is not None and metric and metric not in catalogue:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "metric",
                    f"'{metric}' is not a defined metric (known: {', '.join(sorted(catalogue))})",
                )
            )
        value = parse_number(row.get("value", ""))
        if value is None:
            issues.append(
                InputIssue(table.name, number, "value", f"'{row.get('value', '')}' is not a number")
            )
        raw_denominator = row.get("denominator", "")
        denominator = parse_number(raw_denominator)
        if not raw_denominator:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "denominator",
                    f"is missing for {provider or 'this provider'} {metric}: an opportunity is a "
                    "gap times the activity it applies to, so every metric needs its denominator",
                )
            )
        elif denominator is None or denominator <= 0:
            issues.append(
                InputIssue(
                    table.name, number, "denominator", f"'{raw_denominator}' is not a number > 0"
                )
            )
        if provider and provider not in peer_group_of:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "provider",
                    f"{provider} is in no peer group: add it to the peer-group file "
                    "or remove its rows",
                )
            )
        key = (provider, metric)
        if provider and metric and key in seen:
            issues.append(
                InputIssue(
                    table.name,
                    number,
                    "metric",
                    f"{provider} {metric} already given in row {seen[key]}",
                )
            )
        seen.setdefault(key, number)
        if len(issues) == bad:
            assert value is not None and denominator is not None
            values.append(MetricValue(provider, metric, period, value, denominator, number))
    issues.extend(_mixed_period_issues(table.name, values))
    if issues:
        raise InputError(issues)
    if not values:
        raise InputError([InputIssue(table.name, 0, "-", "the file has no metric rows")])
    return BenchmarkSet(values, {p: peer_group_of[p] for p in {v.provider for v in values}})


def _mixed_period_issues(file: str, values: list[MetricValue]) -> list[InputIssue]:
    """One period per metric: a benchmark compares providers over the same months."""
    by_metric: dict[str, list[MetricValue]] = defaultdict(list)
    for v in values:
        by_metric[v.metric].append(v)
    issues = []
    for metric, rows in sorted(by_metric.items()):
        periods = Counter(v.period for v in rows)
        if len(periods) < 2:
            continue
        usual = periods.most_common(1)[0][0]
        for v in rows:
            if v.period != usual:
                issues.append(
                    InputIssue(
                        file,
                        v.row,
                        "period",
                        f"{v.metric} for {v.provider} is for {v.period} but the other rows of "
                        f"{metric} are for {usual}: mixed periods cannot be benchmarked together",
                    )
                )
    return issues
