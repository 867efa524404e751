"""Plan against actuals, RAG, the measure summary and the three gaps."""

from __future__ import annotations

from datetime import date

import pytest

from stpkit.system import MEASURE_BY_CODE, Gap, PeriodValue, Polarity, Rag, rag, summarise
from stpkit.system.catalogue import Frequency, MeasureDefinition, Source
from stpkit.system.gaps import three_gaps
from stpkit.system.own_data import milestones_on_time, savings_by_month
from stpkit.system.synthetic import months
from stpkit.system.trajectory import improving


def test_rag_uses_polarity_and_tolerance() -> None:
    assert rag(95.0, 95.0, Polarity.HIGHER_IS_BETTER) is Rag.GREEN
    assert rag(91.0, 95.0, Polarity.HIGHER_IS_BETTER) is Rag.AMBER  # within 5% of 95
    assert rag(90.0, 95.0, Polarity.HIGHER_IS_BETTER) is Rag.RED
    assert rag(0.9, 1.0, Polarity.LOWER_IS_BETTER) is Rag.GREEN
    assert rag(1.2, 1.0, Polarity.LOWER_IS_BETTER) is Rag.RED
    assert rag(None, 1.0, Polarity.LOWER_IS_BETTER) is Rag.GREY
    assert rag(5.0, None, Polarity.LOWER_IS_BETTER) is Rag.GREY


def test_summary_rates_latest_against_plan_before_target() -> None:
    ae = MEASURE_BY_CODE["ae_4hr"]
    periods = months(date(2016, 4, 1), 12)
    values = [PeriodValue(p, 88.0, 87.5 + 0.1 * i) for i, p in enumerate(periods)]
    s = summarise(ae, values)
    assert s.latest is not None and s.latest.period == periods[-1]
    assert s.rag is Rag.GREEN  # 88.6 meets the plan 88 though it misses the 95% standard
    assert s.spc is not None and s.spc.baseline_points == 12
    assert s.trend == pytest.approx(0.3)
    assert improving(s.trend, ae.polarity) is True
    no_plan = summarise(ae, [PeriodValue(v.period, None, v.actual) for v in values])
    assert no_plan.rag is Rag.RED  # against the 95% standard


def test_summary_ignores_periods_with_only_a_plan() -> None:
    ae = MEASURE_BY_CODE["ae_4hr"]
    values = [
        PeriodValue(date(2017, 1, 1), 90.0, 91.0),
        PeriodValue(date(2017, 3, 1), 92.0, None),
        PeriodValue(date(2017, 2, 1), 90.0, 89.0),
    ]
    s = summarise(ae, values)
    assert s.latest is not None and s.latest.period == date(2017, 2, 1)
    assert [v.period.month for v in s.values] == [1, 2, 3]
    assert s.rag is Rag.AMBER


def _measure(code: str, gap: Gap) -> MeasureDefinition:
    return MeasureDefinition(
        code, code, "", "%", Source.MANUAL, Frequency.MONTHLY, Polarity.HIGHER_IS_BETTER, gap, 90
    )


def test_gap_is_worst_of_its_measures() -> None:
    p = [date(2017, m, 1) for m in (1, 2)]
    good = summarise(_measure("a", Gap.CARE_QUALITY), [PeriodValue(x, None, 95) for x in p])
    bad = summarise(_measure("b", Gap.CARE_QUALITY), [PeriodValue(x, None, 50) for x in p])
    hw = summarise(_measure("c", Gap.HEALTH_WELLBEING), [PeriodValue(x, None, 91) for x in p])
    views = {v.gap: v for v in three_gaps([good, bad, hw])}
    assert views[Gap.CARE_QUALITY].rag is Rag.RED
    assert views[Gap.HEALTH_WELLBEING].rag is Rag.GREEN
    assert views[Gap.FUNDING_EFFICIENCY].rag is Rag.GREY
    assert len(views[Gap.CARE_QUALITY].measures) == 2


def test_measure_code_and_national_dataset_are_checked() -> None:
    with pytest.raises(ValueError, match="code"):
        _measure("bad code!", Gap.CARE_QUALITY)
    with pytest.raises(ValueError, match="dataset"):
        MeasureDefinition(
            "x",
            "x",
            "",
            "%",
            Source.NATIONAL,
            Frequency.MONTHLY,
            Polarity.NEITHER,
            Gap.CARE_QUALITY,
        )


def test_milestones_on_time_and_savings_by_month() -> None:
    shares = milestones_on_time(
        [
            (date(2017, 5, 10), date(2017, 5, 9)),
            (date(2017, 5, 20), date(2017, 6, 1)),
            (date(2017, 6, 1), None),
            (date(2017, 7, 3), None),  # due in the month of as_at: not over, no share yet
        ],
        as_at=date(2017, 7, 5),
    )
    assert shares == {date(2017, 5, 1): 50.0, date(2017, 6, 1): 0.0}
    savings = savings_by_month(
        [(date(2017, 4, 1), 1_000_000, 500_000), (date(2017, 4, 1), 2_000_000, None)]
    )
    assert savings[date(2017, 4, 1)] == (3.0, 0.5)


def test_benefit_progress_level_and_cumulative() -> None:
    from stpkit.system.benefits import benefit_progress

    actuals = [(date(2017, 2, 1), 90.0), (date(2017, 1, 1), 89.0)]
    level = benefit_progress(baseline=88.0, target=95.0, actuals=actuals)
    assert level.realised == 2.0 and level.progress == pytest.approx(2 / 7)
    lower = benefit_progress(baseline=5000.0, target=4000.0, actuals=[(date(2017, 1, 1), 4500.0)])
    assert lower.progress == pytest.approx(0.5)  # halfway down to the target
    savings = benefit_progress(
        baseline=0.0, target=10.0, actuals=actuals, cumulative=True, since=date(2017, 2, 1)
    )
    assert savings.realised == 90.0 and savings.promised == 10.0
    assert benefit_progress(baseline=1, target=2, actuals=[]).progress is None
