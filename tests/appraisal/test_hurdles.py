"""Hurdle rules: every rejection carries each rule it failed and by how much."""

from __future__ import annotations

import pytest

from stpkit.appraisal import (
    AllOptionsRejectedError,
    AppraisalError,
    ExpressionRule,
    MetricBound,
    MustExclude,
    MustInclude,
    Option,
    apply_hurdles,
)

A = Option("A", {"min_vol": 600, "max_vol": 1400, "p95": 55}, ("x", "y"))
B = Option("B", {"min_vol": 300, "max_vol": 1700, "p95": 40}, ("x",))
C = Option("C", {"min_vol": 450, "max_vol": 1000, "p95": 70}, ("y", "z"))


def test_metric_bounds_record_shortfalls() -> None:
    rules = [MetricBound("min_vol", minimum=500), MetricBound("max_vol", maximum=1500)]
    funnel = apply_hurdles([A, B, C], rules)
    assert [o.name for o in funnel.passed] == ["A"]
    rejected = {r.option.name: r for r in funnel.rejected}
    assert [f.shortfall for f in rejected["B"].failures] == [200, 200]
    assert [f.rule for f in rejected["B"].failures] == ["min_vol >= 500", "max_vol <= 1,500"]
    assert rejected["C"].failures[0].shortfall == 50
    assert "50 below the minimum 500" in rejected["C"].reasons
    assert funnel.stages == (("long list", 3), ("min_vol >= 500", 1), ("max_vol <= 1,500", 1))
    assert funnel.failures_by_rule == {"min_vol >= 500": 2, "max_vol <= 1,500": 1}


def test_membership_rules() -> None:
    funnel = apply_hurdles([A, B, C], [MustInclude(("y",)), MustExclude(("z",))])
    assert [o.name for o in funnel.passed] == ["A"]
    reasons = {r.option.name: r.reasons for r in funnel.rejected}
    assert "does not include y" in reasons["B"]
    assert "includes z" in reasons["C"]


def test_expression_rule_shortfall() -> None:
    rule = ExpressionRule("p95 <= 60 and min_vol >= 500", name="access and size")
    funnel = apply_hurdles([A, B, C], [rule])
    by = {r.option.name: r.failures[0] for r in funnel.rejected}
    assert set(by) == {"B", "C"}
    assert by["B"].shortfall == 200  # only the volume part fails
    assert by["C"].shortfall == 10 + 50  # both parts fail: shortfalls add


def test_expression_rejects_code() -> None:
    with pytest.raises(AppraisalError, match="not allowed"):
        ExpressionRule("__import__('os').system('true')")
    with pytest.raises(AppraisalError, match="not valid"):
        ExpressionRule("p95 <=")


def test_all_rejected_names_the_rules() -> None:
    with pytest.raises(AllOptionsRejectedError) as info:
        apply_hurdles(
            [A, B, C], [MetricBound("p95", maximum=30), MetricBound("min_vol", minimum=0)]
        )
    msg = str(info.value)
    assert "'p95 <= 30' rejected 3 of 3" in msg
    assert "alone reject every option: p95 <= 30" in msg


def test_bad_bounds() -> None:
    with pytest.raises(AppraisalError, match="above maximum"):
        MetricBound("x", minimum=5, maximum=1)
    with pytest.raises(AppraisalError, match="has no metric 'nope'"):
        apply_hurdles([A], [MetricBound("nope", minimum=1)])
