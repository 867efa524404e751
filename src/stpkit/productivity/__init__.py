"""Productivity: benchmark-based opportunity, working-group targets, savings delivery.

This module is the engine's public API: code outside `stpkit.productivity` imports from here
(`from stpkit.productivity import opportunities, read_metrics`), never from its modules.
`kent_medway` is the Kent and Medway seed (trusts, working groups, synthetic files); import
it as a module: `from stpkit.productivity import kent_medway as km`.

The engine reads files and computes; it keeps nothing. Charts of its results are in
`stpkit.charts.productivity`, the board summary document in `stpkit.reports.productivity`.
"""

from stpkit.productivity import kent_medway
from stpkit.productivity.benchmarks import (
    MIN_PEER_GROUP,
    BenchmarkSet,
    MetricValue,
    read_metrics,
    read_peer_groups,
)
from stpkit.productivity.bridge import (
    BRIDGE_COLUMNS,
    BridgeStep,
    StepKind,
    Waterfall,
    WaterfallBar,
    read_bridge,
    waterfall,
)
from stpkit.productivity.catalogue import (
    CATALOGUE_COLUMNS,
    Direction,
    MetricDefinition,
    read_catalogue,
)
from stpkit.productivity.errors import BridgeError, InputError, InputIssue, ProductivityError
from stpkit.productivity.opportunity import (
    Basis,
    LeagueRow,
    Opportunity,
    ProviderTotal,
    benchmark_value,
    catalogue_targets,
    league_table,
    metric_totals,
    opportunities,
    provider_totals,
    untargeted_metrics,
)
from stpkit.productivity.savings import (
    RISK_FACTORS,
    SAVINGS_COLUMNS,
    Confidence,
    DeliverySummary,
    Scheme,
    by_working_group,
    monthly_profile,
    plan_year_months,
    read_savings,
    summarise,
)

__all__ = [
    "BRIDGE_COLUMNS",
    "CATALOGUE_COLUMNS",
    "MIN_PEER_GROUP",
    "RISK_FACTORS",
    "SAVINGS_COLUMNS",
    "Basis",
    "BenchmarkSet",
    "BridgeError",
    "BridgeStep",
    "Confidence",
    "DeliverySummary",
    "Direction",
    "InputError",
    "InputIssue",
    "LeagueRow",
    "MetricDefinition",
    "MetricValue",
    "Opportunity",
    "ProductivityError",
    "ProviderTotal",
    "Scheme",
    "StepKind",
    "Waterfall",
    "WaterfallBar",
    "benchmark_value",
    "by_working_group",
    "catalogue_targets",
    "kent_medway",
    "league_table",
    "metric_totals",
    "monthly_profile",
    "opportunities",
    "plan_year_months",
    "provider_totals",
    "read_bridge",
    "read_catalogue",
    "read_metrics",
    "read_peer_groups",
    "read_savings",
    "summarise",
    "untargeted_metrics",
    "waterfall",
]
