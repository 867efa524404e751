"""The financial bridge: a system challenge and the contributions that close it.

Steps run left to right. A `change` moves the running total (challenges are negative,
contributions positive); a `subtotal` states the running total at that point and the
running total continues from the stated figure (as the published chart does); the `end`
states where the bridge lands. A change without an amount is "to be confirmed" and adds
nothing. Published figures are rounded to whole millions, so a stated total may differ
from the sum of its rounded parts by up to half a unit per part (`rounding`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from stpkit.productivity.errors import BridgeError, InputError, InputIssue
from stpkit.productivity.tables import parse_number, read_table, require_columns


class StepKind(StrEnum):
    CHANGE = "change"
    SUBTOTAL = "subtotal"
    END = "end"


@dataclass(frozen=True)
class BridgeStep:
    label: str
    kind: StepKind
    amount: float | None  # None: to be confirmed (changes) or not stated (totals)
    note: str = ""


@dataclass(frozen=True)
class WaterfallBar:
    order: int
    label: str
    kind: StepKind
    amount: float | None  # the step's own figure (change, or stated total)
    start: float  # bar runs from start to end on the value axis
    end: float
    computed: float  # running total after this step, from the parts
    difference: float  # stated - computed for totals, else 0
    note: str

    @property
    def display(self) -> str:
        return "TBC" if self.amount is None else f"{self.amount:,.0f}"


@dataclass(frozen=True)
class Waterfall:
    bars: list[WaterfallBar]
    opening: float
    contributions: float  # sum of every quantified change after the last subtotal
    closing: float
    unquantified: list[str]  # labels of steps "to be confirmed"

    @property
    def reconciles(self) -> bool:
        return abs(self.opening + self.contributions - self.closing) < 1e-9


def waterfall(steps: list[BridgeStep], rounding: float = 0.5) -> Waterfall:
    """Bars with their start and end, checking every stated total against its parts.

    Raises BridgeError when a stated total is further from its parts than rounding allows.
    """
    if not steps:
        raise BridgeError("a bridge needs at least one step")
    bars: list[WaterfallBar] = []
    running = 0.0
    parts_since_total = 0
    opening = 0.0
    contributions = 0.0
    unquantified = []
    problems: list[tuple[int, str]] = []
    for order, step in enumerate(steps, start=1):
        if step.kind is StepKind.CHANGE:
            amount = step.amount or 0.0
            if step.amount is None:
                unquantified.append(step.label)
            else:
                parts_since_total += 1
            bars.append(
                WaterfallBar(
                    order,
                    step.label,
                    step.kind,
                    step.amount,
                    running,
                    running + amount,
                    running + amount,
                    0.0,
                    step.note,
                )
            )
            running += amount
            contributions += amount
            continue
        computed = running
        stated = computed if step.amount is None else step.amount
        difference = stated - computed
        allowed = rounding * (parts_since_total + 1)
        if abs(difference) > allowed + 1e-9:
            problems.append(
                (
                    order,
                    f"'{step.label}' is stated as {stated:,.1f} but its parts add to "
                    f"{computed:,.1f} (difference {difference:,.1f}, more than rounding "
                    f"allows: {allowed:,.1f})",
                )
            )
        bars.append(
            WaterfallBar(
                order,
                step.label,
                step.kind,
                step.amount,
                0.0,
                stated,
                computed,
                difference,
                step.note,
            )
        )
        running = stated
        if step.kind is StepKind.SUBTOTAL:
            opening = stated
            contributions = 0.0
            parts_since_total = 0
    if problems:
        raise BridgeError(
            "The bridge does not reconcile: " + "; ".join(p for _, p in problems), problems
        )
    if bars[-1].kind is not StepKind.END:
        message = f"the last step ('{bars[-1].label}') must be the end of the bridge"
        raise BridgeError(message, [(len(bars), message)])
    return Waterfall(bars, opening, contributions, running, unquantified)


BRIDGE_COLUMNS = ["label", "kind", "amount"]  # and an optional "note"


def read_bridge(data: bytes | Path, name: str | None = None) -> list[BridgeStep]:
    """Bridge steps from CSV/Excel (label, kind, amount, note), in file order.

    kind is change, subtotal or end; amount is a number, or blank/TBC (a change to be
    confirmed, or a total not stated). The steps must reconcile (`waterfall`): a file with
    any problem is refused whole, each problem naming its row.
    """
    table = read_table(data, name)
    require_columns(table, BRIDGE_COLUMNS, optional=["note"])
    issues: list[InputIssue] = []
    steps: list[BridgeStep] = []
    numbers: list[int] = []
    kinds = ", ".join(k.value for k in StepKind)
    for number, row in table.rows:
        bad = len(issues)
        label, kind_text = row.get("label", ""), row.get("kind", "").lower()
        if not label:
            issues.append(InputIssue(table.name, number, "label", "is empty"))
        if kind_text not in {k.value for k in StepKind}:
            issues.append(
                InputIssue(table.name, number, "kind", f"'{kind_text}' is not one of {kinds}")
            )
        amount_text = row.get("amount", "")
        amount = None if amount_text.upper() in ("", "TBC") else parse_number(amount_text)
        if amount is None and amount_text.upper() not in ("", "TBC"):
            issues.append(
                InputIssue(table.name, number, "amount", f"'{amount_text}' is not a number or TBC")
            )
        if len(issues) == bad:
            steps.append(BridgeStep(label, StepKind(kind_text), amount, row.get("note", "")))
            numbers.append(number)
    if issues:
        raise InputError(issues)
    if not steps:
        raise InputError([InputIssue(table.name, 0, "-", "the file has no bridge steps")])
    try:
        waterfall(steps)
    except BridgeError as exc:
        raise InputError(
            [
                InputIssue(
                    table.name,
                    numbers[order - 1],
                    "kind" if "must be the end" in why else "amount",
                    why,
                )
                for order, why in exc.problems
            ]
        ) from exc
    return steps
