"""The escalation rule is written once (`stpkit.programme.risk.is_escalated`); the
database form the lists and dashboards filter with must agree with it on every risk."""

from __future__ import annotations

import pytest

from stpkit.programme.risk import is_escalated
from stpkit.web.programme.models import Risk, RiskPolicy
from stpkit.web.programme.queries import escalated_q, escalated_risks
from stpkit.web.programme.tables import risk_rows


@pytest.mark.django_db
def test_database_form_and_engine_rule_agree_on_every_status_and_score() -> None:
    for status in ("open", "closed"):
        for likelihood in range(1, 6):
            for consequence in range(1, 6):
                Risk.objects.create(
                    title=f"{status} {likelihood}x{consequence}",
                    status=status,
                    likelihood=likelihood,
                    consequence=consequence,
                )
    policy = RiskPolicy.current()
    for threshold in (1, 12, 15, 25):
        by_query = set(Risk.objects.filter(escalated_q(threshold)).values_list("pk", flat=True))
        by_rule = {r.pk for r in Risk.objects.all() if is_escalated(r.status, r.score, threshold)}
        assert by_query == by_rule
        assert by_query  # the threshold range above always escalates some open risk
    escalated = set(escalated_risks(policy).values_list("pk", flat=True))
    rows = {row["id"] for row in risk_rows(Risk.objects.all(), policy) if row["escalated"] == "Yes"}
    assert rows == escalated
