"""Safe arithmetic/comparison expressions over an option's metrics, for custom hurdle rules.

`"min_unit_volume >= 500 and p95_minutes <= 60"` is parsed with `ast` and only numbers,
metric names, arithmetic, comparisons, `and`/`or`/`not` and `min`/`max`/`abs` are allowed,
so a criteria file can never run code. A failed comparison also reports how far it missed
(its shortfall), which is what a rejection record needs.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from stpkit.appraisal.errors import AppraisalError

_BINOPS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_CMPOPS: dict[type[ast.cmpop], Callable[[float, float], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCS: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs}


@dataclass(frozen=True)
class Outcome:
    """Whether an expression held and, if not, by how much it missed (0 when it held)."""

    passed: bool
    shortfall: float


class Expression:
    """A parsed, checked expression; `names` are the metrics it reads."""

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self.tree = ast.parse(text, mode="eval").body
        except SyntaxError as exc:
            raise AppraisalError(f"Expression {text!r} is not valid: {exc.msg}") from None
        self.names: set[str] = set()
        self._check(self.tree)

    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            self.names.add(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float) or isinstance(node.value, bool):
                raise AppraisalError(f"Expression {self.text!r}: only numbers are allowed")
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
            self._check(node.operand)
        elif isinstance(node, ast.Compare) and all(type(o) in _CMPOPS for o in node.ops):
            for child in [node.left, *node.comparators]:
                self._check(child)
        elif isinstance(node, ast.BoolOp):
            for child in node.values:
                self._check(child)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
            and not node.keywords
        ):
            for child in node.args:
                self._check(child)
        else:
            raise AppraisalError(
                f"Expression {self.text!r}: {type(node).__name__} is not allowed "
                "(use numbers, metric names, + - * / **, comparisons, and/or/not, min/max/abs)"
            )

    def value(self, metrics: Mapping[str, float]) -> float:
        return self._value(self.tree, metrics)

    def _value(self, node: ast.AST, m: Mapping[str, float]) -> float:
        if isinstance(node, ast.Name):
            if node.id not in m:
                raise AppraisalError(
                    f"Expression {self.text!r} names unknown metric {node.id!r}; known: "
                    f"{', '.join(sorted(m))}"
                )
            return float(m[node.id])
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)
            return float(node.value)
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](self._value(node.left, m), self._value(node.right, m))
        if isinstance(node, ast.UnaryOp):
            v = self._value(node.operand, m)
            return -v if isinstance(node.op, ast.USub) else float(not v)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return float(_FUNCS[node.func.id](*(self._value(a, m) for a in node.args)))
        return 1.0 if self.evaluate(m, node).passed else 0.0

    def evaluate(self, metrics: Mapping[str, float], node: ast.AST | None = None) -> Outcome:
        """Truth of the expression and its shortfall (distance to holding)."""
        node = self.tree if node is None else node
        if isinstance(node, ast.Compare):
            worst = 0.0
            left = self._value(node.left, metrics)
            for op, comp in zip(node.ops, node.comparators, strict=True):
                right = self._value(comp, metrics)
                if not _CMPOPS[type(op)](left, right):
                    worst = max(worst, abs(left - right))
                    if worst == 0.0:  # e.g. a strict inequality missed exactly at the bound
                        worst = float("nan")
                left = right
            return Outcome(worst == 0.0, worst)
        if isinstance(node, ast.BoolOp):
            parts = [self.evaluate(metrics, v) for v in node.values]
            if isinstance(node.op, ast.And):
                failed = [p.shortfall for p in parts if not p.passed]
                return Outcome(not failed, sum(failed) if failed else 0.0)
            if any(p.passed for p in parts):
                return Outcome(True, 0.0)
            return Outcome(False, min(p.shortfall for p in parts))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.evaluate(metrics, node.operand)
            return Outcome(not inner.passed, 0.0 if not inner.passed else float("nan"))
        v = self._value(node, metrics)
        return Outcome(bool(v), 0.0 if v else float("nan"))
