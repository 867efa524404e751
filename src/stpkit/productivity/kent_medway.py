"""Kent and Medway productivity programme from seed 004 (HOSC paper, 24 November 2017).

Working groups, 2020/21 targets and focus areas are read off the "Eight working groups"
page; the financial bridge off the "provider productivity opportunity" chart (see
docs/productivity.md for how the figures were matched to labels). Provider metrics are
synthetic: the four Kent and Medway acute trusts and ten synthetic peers each, generated
deterministically so the demo and the tests see the same numbers.

Longer than the ~400-line guide on purpose: about two thirds of it is the seed's own text
and figures (working groups, catalogue, schemes), kept together so they read as one record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from stpkit.productivity.bridge import BridgeStep, StepKind
from stpkit.productivity.catalogue import Direction, MetricDefinition
from stpkit.productivity.savings import Confidence, Scheme, plan_year_months

# The seed's working-group targets are savings opportunities by 2020/21, the end of the
# STP's five years. The demo is seen as at 5 March 2018 (`stpkit.demo.clock`): its schemes
# run in the plan year that date falls in, with actuals to the last month reported by then,
# and in the next plan year as plans only; each year's target is the seed's 2020/21 figure
# phased by `TARGET_PHASING` (a synthetic trajectory: the seed gives no yearly split).
PLAN_YEAR = "2017/18"
NEXT_PLAN_YEAR = "2018/19"
SEED_TARGET_YEAR = "2020/21"
TARGET_PHASING: dict[str, float] = {PLAN_YEAR: 0.4, NEXT_PLAN_YEAR: 0.7, SEED_TARGET_YEAR: 1.0}
PROGRAMME_OPPORTUNITY = 190_000_000  # GBP, validated by Model Hospital benchmarking (15/16)
METRIC_PERIOD = "2015/16"


@dataclass(frozen=True)
class WorkingGroupSeed:
    slug: str
    name: str
    kind: str  # "non-clinical" or "clinical"
    target: float | None  # 2020/21 target savings opportunity, GBP; None = TBC
    scope: str
    focus_areas: tuple[str, ...]
    status: str = "active"


# Names in the page's column order; the target row "TBC £48m £50m £35m £6m £7m £12m £9m"
# follows the same order. Focus bullets of the three clinical groups follow their columns:
# orthopaedic products and theatres belong to T&O, pyjama paralysis to care of the elderly.
WORKING_GROUPS: tuple[WorkingGroupSeed, ...] = (
    WorkingGroupSeed(
        "temporary-staffing",
        "Temporary staffing",
        "non-clinical",
        None,
        "Reduce temporary staffing spend and usage across the four acute trusts.",
        (
            "Reduce temp staffing spend and usage",
            "Harmonise agency and bank rates",
            "Set up collaborative regional bank",
            "Introduce single STP break glass policy",
        ),
    ),
    WorkingGroupSeed(
        "pathology",
        "Pathology",
        "non-clinical",
        48_000_000,
        "Networked pathology for Kent and Medway.",
        (
            "Deliver efficiencies and economies of scale through networked pathology",
            "Repatriate tests across the region",
        ),
    ),
    WorkingGroupSeed(
        "medicines",
        "Medicines",
        "non-clinical",
        50_000_000,
        "Drug spend and medicines management.",
        (
            "Reduce drug spend, e.g. through biosimilars",
            "Deliver efficiencies in wider pharmacy and medicines management",
        ),
    ),
    WorkingGroupSeed(
        "supplies-services",
        "Supplies and services",
        "non-clinical",
        35_000_000,
        "Procurement and supply chain.",
        (
            "Capitalise on collective buying power",
            "Deliver category level savings, driving down unit cost",
            "Use national benchmarking tool",
        ),
    ),
    WorkingGroupSeed(
        "corporate-back-office",
        "Corporate and back office",
        "non-clinical",
        6_000_000,
        "Shared back office.",
        ("Consolidate back office functions, e.g. finance, HR, payroll",),
    ),
    WorkingGroupSeed(
        "accident-emergency",
        "Accident and emergency",
        "clinical",
        7_000_000,
        "Quick wins and reduced unwarranted variation: pathway, people, process, "
        "procurement, performance.",
        ("Delayed transfers of care", "Reduce clinical duplication", "Workforce variation"),
        status="starting shortly",
    ),
    WorkingGroupSeed(
        "care-of-the-elderly",
        "Care of the elderly",
        "clinical",
        12_000_000,
        "Quick wins and reduced unwarranted variation: pathway, people, process, "
        "procurement, performance.",
        (
            "Length of stay / occupied bed days",
            "Workforce variation",
            "Mobility (pyjama paralysis)",
        ),
        status="starting shortly",
    ),
    WorkingGroupSeed(
        "trauma-orthopaedics",
        "Trauma and orthopaedics",
        "clinical",
        9_000_000,
        "Quick wins and reduced unwarranted variation: pathway, people, process, "
        "procurement, performance.",
        (
            "Length of stay / occupied bed days",
            "Theatre utilisation",
            "Orthopaedic products",
            "Workforce variation",
        ),
    ),
)

# The bridge, GBP millions, Kent and Medway health system, 2020/21 (October 2016 STP
# financial template). Social care's challenge carries no figure on the chart.
BRIDGE: tuple[BridgeStep, ...] = (
    BridgeStep("Provider challenge", StepKind.CHANGE, -294),
    BridgeStep("CCG challenge", StepKind.CHANGE, -139),
    BridgeStep("Social care challenge", StepKind.CHANGE, None, "no figure on the published chart"),
    BridgeStep(
        "Total system challenge",
        StepKind.SUBTOTAL,
        -434,
        "stated; the rounded parts add to -433",
    ),
    BridgeStep(
        "Productivity incl. CIP",
        StepKind.CHANGE,
        190,
        "acute only, validated by Model Hospital benchmarking",
    ),
    BridgeStep("QIPP", StepKind.CHANGE, 102),
    BridgeStep("Spec Comm QIPP", StepKind.CHANGE, 50),
    BridgeStep("Care Transformation", StepKind.CHANGE, 51),
    BridgeStep("System Leadership", StepKind.CHANGE, None, "TBC on the published chart"),
    BridgeStep("Enablers", StepKind.CHANGE, 12),
    BridgeStep("STF funding", StepKind.CHANGE, 122),
    BridgeStep("STF investment", StepKind.CHANGE, -122),
    BridgeStep("Challenge 2020/21 after intervention", StepKind.END, -29),
)


def bridge_rows() -> list[dict[str, object]]:
    """The seed's bridge as a file would carry it (label, kind, amount, note)."""
    return [
        {
            "label": step.label,
            "kind": step.kind.value,
            "amount": "TBC" if step.amount is None else step.amount,
            "note": step.note,
        }
        for step in BRIDGE
    ]


KM_TRUSTS: tuple[tuple[str, float], ...] = (
    # name, size relative to the average trust (drives every denominator)
    ("Dartford and Gravesham NHS Trust", 0.75),
    ("Maidstone and Tunbridge Wells NHS Trust", 1.15),
    ("Medway NHS Foundation Trust", 0.9),
    ("East Kent Hospitals University NHS Foundation Trust", 1.7),
)
PEERS_PER_TRUST = 10


def catalogue() -> dict[str, MetricDefinition]:
    """Nine Model Hospital-style metrics with the rates that turn gaps into cash and staff.

    Three carry an illustrative target (agency and bank 6% of pay, length of stay 8.5 days,
    theatre utilisation 85%) for the "target" basis; like the metrics, they are synthetic.
    """
    low, high = Direction.LOWER_IS_BETTER, Direction.HIGHER_IS_BETTER
    defs = [
        MetricDefinition(
            "agency_share",
            "Agency and bank spend as a share of pay",
            "share of pay bill",
            low,
            "GBP of pay",
            0.35,
            0.35 / 48_000,
            "workforce cost",
            "temporary-staffing",
            target=0.06,
        ),
        MetricDefinition(
            "pay_cost_per_wau",
            "Pay cost per weighted activity unit",
            "GBP per WAU",
            low,
            "GBP",
            1.0,
            1 / 48_000,
            "workforce cost",
            "temporary-staffing",
        ),
        MetricDefinition(
            "pathology_cost_per_test",
            "Pathology cost per test",
            "GBP per test",
            low,
            "GBP",
            1.0,
            1 / 40_000,
            "",
            "pathology",
        ),
        MetricDefinition(
            "medicines_cost_per_wau",
            "Medicines cost per weighted activity unit",
            "GBP per WAU",
            low,
            "GBP",
            1.0,
            0.0,
            "",
            "medicines",
        ),
        MetricDefinition(
            "supplies_cost_per_wau",
            "Supplies and services cost per weighted activity unit",
            "GBP per WAU",
            low,
            "GBP",
            1.0,
            0.0,
            "supplies",
            "supplies-services",
        ),
        MetricDefinition(
            "implant_cost_per_primary",
            "Implant cost per primary hip or knee",
            "GBP per procedure",
            low,
            "GBP",
            1.0,
            0.0,
            "supplies",
            "trauma-orthopaedics",
        ),
        MetricDefinition(
            "corporate_cost_per_income",
            "Corporate services cost per GBP 1m income",
            "GBP per GBP 1m income",
            low,
            "GBP",
            1.0,
            1 / 38_000,
            "",
            "corporate-back-office",
        ),
        MetricDefinition(
            "los_emergency_75plus",
            "Length of stay, emergency admissions aged 75+",
            "days per spell",
            low,
            "bed days",
            300.0,
            1 / 330,
            "",
            "care-of-the-elderly",
            target=8.5,
        ),
        MetricDefinition(
            "theatre_utilisation",
            "Theatre utilisation (share of planned session time used)",
            "share of session hours",
            high,
            "theatre hours",
            1_150.0,
            1 / 1_500,
            "",
            "trauma-orthopaedics",
            target=0.85,
        ),
    ]
    return {d.code: d for d in defs}


# metric: (peer median, spread as a share of the median, denominator for an average trust)
_METRIC_SHAPE: dict[str, tuple[float, float, float]] = {
    "agency_share": (0.075, 0.30, 260_000_000),
    "pay_cost_per_wau": (2_050.0, 0.06, 130_000),
    "pathology_cost_per_test": (2.1, 0.22, 5_200_000),
    "medicines_cost_per_wau": (330.0, 0.14, 130_000),
    "supplies_cost_per_wau": (420.0, 0.09, 130_000),
    "implant_cost_per_primary": (1_650.0, 0.16, 1_400),
    "corporate_cost_per_income": (41_000.0, 0.12, 400),
    "los_emergency_75plus": (9.6, 0.14, 21_000),
    "theatre_utilisation": (0.78, 0.07, 24_000),
}
# Kent and Medway trusts sit a little worse than their peers (the opportunity is real).
_KM_OFFSET = 0.07


def providers_and_peers() -> dict[str, str]:
    """provider -> peer group: each Kent and Medway trust with its ten synthetic peers."""
    group_of = {}
    for name, _ in KM_TRUSTS:
        short = name.split(" NHS")[0]
        group = f"{short} peers"
        group_of[name] = group
        for i in range(1, PEERS_PER_TRUST + 1):
            group_of[f"{short} synthetic peer {i:02d}"] = group
    return group_of


def synthetic_metrics(seed: int = 20171124) -> list[dict[str, object]]:
    """Rows (provider, metric, period, value, denominator) for every provider, deterministic."""
    rng = np.random.default_rng(seed)
    sizes = dict(KM_TRUSTS)
    definitions = catalogue()
    rows = []
    for provider in providers_and_peers():
        km = provider in sizes
        size = sizes.get(provider, float(rng.uniform(0.6, 1.6)))
        for metric, (median, spread, denominator) in _METRIC_SHAPE.items():
            worse = 1 if definitions[metric].direction is Direction.LOWER_IS_BETTER else -1
            shift = worse * (
                _KM_OFFSET + abs(float(rng.normal(0, spread / 2)))
                if km
                else float(rng.normal(0, spread))
            )
            value = median * (1 + shift)
            if metric in ("agency_share", "theatre_utilisation"):
                value = min(0.99, max(0.01, value))
                value = round(value, 4)
            else:
                value = round(value, 2)
            rows.append(
                {
                    "provider": provider,
                    "metric": metric,
                    "period": METRIC_PERIOD,
                    "value": value,
                    "denominator": round(denominator * size * float(rng.uniform(0.9, 1.1))),
                }
            )
    return rows


def to_csv(rows: Sequence[Mapping[str, object]]) -> bytes:
    """Rows as CSV bytes (the same format the import page and CLI read)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def peer_group_rows() -> list[dict[str, object]]:
    return [{"provider": p, "peer_group": g} for p, g in providers_and_peers().items()]


def catalogue_rows() -> list[dict[str, object]]:
    return [
        {
            "code": d.code,
            "name": d.name,
            "unit": d.unit,
            "direction": d.direction.value,
            "activity_unit": d.activity_unit,
            "cash_per_activity": d.cash_per_activity,
            "staff_per_activity": d.staff_per_activity,
            "overlap_group": d.overlap_group,
            "working_group": d.working_group,
            "target": "" if d.target is None else d.target,
        }
        for d in catalogue().values()
    ]


# Schemes per working group: (name, share of the target planned, confidence). Temporary
# staffing has no target (TBC), so its schemes carry planned amounts of their own.
_SCHEMES: dict[str, tuple[tuple[str, float, Confidence], ...]] = {
    "temporary-staffing": (
        ("Harmonised agency and bank rates", 6_000_000, Confidence.AMBER),
        ("Collaborative regional bank", 4_000_000, Confidence.RED),
        ("Single STP break glass policy", 1_500_000, Confidence.GREEN),
    ),
    "pathology": (
        ("Networked pathology hub and spoke", 0.6, Confidence.AMBER),
        ("Repatriation of send-away tests", 0.25, Confidence.GREEN),
    ),
    "medicines": (
        ("Biosimilars switch and benefit sharing", 0.55, Confidence.GREEN),
        ("Medicines optimisation in pharmacy", 0.35, Confidence.AMBER),
    ),
    "supplies-services": (
        ("Category-level procurement savings", 0.6, Confidence.GREEN),
        ("Clinical product trials and standardisation", 0.3, Confidence.AMBER),
    ),
    "corporate-back-office": (("Shared finance, HR and payroll", 0.9, Confidence.AMBER),),
    "accident-emergency": (("Reduced clinical duplication in ED", 0.7, Confidence.RED),),
    "care-of-the-elderly": (
        ("Length of stay and pyjama paralysis campaign", 0.6, Confidence.AMBER),
        ("Delayed transfers of care reduction", 0.3, Confidence.RED),
    ),
    "trauma-orthopaedics": (
        ("Theatre utilisation quick wins", 0.45, Confidence.GREEN),
        ("Orthopaedic implant standardisation", 0.35, Confidence.GREEN),
        ("Enhanced recovery, length of stay", 0.2, Confidence.AMBER),
    ),
}
# The demo's months with actuals: April 2017 to January 2018, the last month reported by
# the March 2018 Programme Board (5 March 2018).
ACTUALS_TO = date(2018, 1, 1)


def target_for(seed: WorkingGroupSeed, plan_year: str) -> float | None:
    """The group's target for `plan_year` (the seed's 2020/21 figure phased); None = TBC."""
    if seed.target is None:
        return None
    return round(seed.target * TARGET_PHASING[plan_year], -3)


def demo_schemes(seed: int = 8, plan_year: str = PLAN_YEAR) -> list[Scheme]:
    """Schemes phased over `plan_year` (ramping up), with actuals to `ACTUALS_TO`."""
    rng = np.random.default_rng(seed)
    phasing = TARGET_PHASING[plan_year]
    targets = {w.slug: target_for(w, plan_year) for w in WORKING_GROUPS}
    months = plan_year_months(plan_year)
    ramp = np.linspace(0.5, 1.5, len(months))
    ramp = ramp / ramp.sum()
    delivery = {Confidence.GREEN: 0.95, Confidence.AMBER: 0.75, Confidence.RED: 0.4}
    schemes = []
    for slug, entries in _SCHEMES.items():
        for name, share, confidence in entries:
            target = targets[slug]
            total = share * phasing if target is None else share * target
            scheme = Scheme(slug, name, confidence)
            for month, weight in zip(months, ramp, strict=True):
                planned = round(total * float(weight), -3)
                scheme.planned[month] = planned
                if month <= ACTUALS_TO:
                    noise = float(rng.normal(1.0, 0.08))
                    scheme.actual[month] = round(planned * delivery[confidence] * noise, -3)
            schemes.append(scheme)
    return schemes


def savings_rows(schemes: list[Scheme]) -> list[dict[str, object]]:
    """Schemes in the savings-file format (one row per scheme and month)."""
    rows = []
    for s in schemes:
        for month, planned in sorted(s.planned.items()):
            rows.append(
                {
                    "working_group": s.working_group,
                    "scheme": s.name,
                    "month": f"{month:%Y-%m}",
                    "planned": planned,
                    "actual": s.actual.get(month, ""),
                    "confidence": s.confidence.value,
                }
            )
    return rows
