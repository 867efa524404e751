"""Critical path and slippage on seed 004's two scenarios, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from stpkit.decisions.errors import TimelineError
from stpkit.decisions.seed_timeline import ONE_IC, STROKE_TIMELINE, TWO_IC
from stpkit.decisions.timeline import Task, schedule


def test_baseline_ends_on_the_seed_launch_dates() -> None:
    one = schedule(STROKE_TIMELINE, ONE_IC)
    two = schedule(STROKE_TIMELINE, TWO_IC)
    assert one.forecast_end == date(2018, 2, 1) and one.end_slip_days == 0
    assert two.forecast_end == date(2018, 3, 8) and two.end_slip_days == 0
    assert one.get("ic_1").task.start == date(2018, 1, 17)
    assert two.get("ic_2").task.start == date(2018, 2, 28)
    with pytest.raises(TimelineError):
        one.get("ic_2")


def test_critical_path_runs_through_the_clinical_senate_and_investment_committee() -> None:
    one = schedule(STROKE_TIMELINE, ONE_IC)
    assert one.critical_path == (
        "ccg_review",
        "sro_signoff",
        "jc_workshop_cs",
        "cs_panel",
        "cs_draft",
        "cs_final",
        "jc_workshop_pcbc",
        "ogscr",
        "ic_1",
        "jc_formal_1",
        "launch_1",
    )
    # Float by hand: IC 17/01 + 14 = 31/01 = the JC date -> 0; OGSCR 09/01 + 7 = 16/01 -> 1.
    assert one.get("ic_1").float_days == 0
    assert one.get("ogscr").float_days == 1
    # CS panel 16/11: panel+14 -> draft 30/11, +22 -> final 22/12, -> workshop 22/12,
    # +14 -> 05/01 vs OGSCR 09/01: 4 days, plus OGSCR's 1 = 5.
    assert one.get("cs_panel").float_days == 5
    assert one.get("jhosc_dec").float_days is None  # does not lead to the launch
    two = schedule(STROKE_TIMELINE, TWO_IC)
    assert two.critical_path[-4:] == ("ic_1", "ic_2", "jc_formal_2", "launch_2")
    assert two.get("ic_1").float_days == 14  # 17/01 + 28 = 14/02, second IC on 28/02


def test_a_two_week_slip_of_the_clinical_senate_panel() -> None:
    slip = {"cs_panel": date(2017, 11, 30)}
    one = schedule(STROKE_TIMELINE, ONE_IC, slip)
    assert one.get("cs_panel").slip_days == 14
    assert one.get("jc_workshop_pcbc").finish == date(2018, 1, 5)
    # 05/01 + 14 = 19/01 (OGSCR +10), +7 = 26/01 (IC +9), +14 = 09/02, +1 = 10/02
    assert one.get("ogscr").slip_days == 10
    assert one.forecast_end == date(2018, 2, 10) and one.end_slip_days == 9
    two = schedule(STROKE_TIMELINE, TWO_IC, slip)
    assert two.get("ic_1").slip_days == 9
    assert two.forecast_end == date(2018, 3, 8) and two.end_slip_days == 0  # float absorbs it


def test_bad_timelines_are_refused_by_name() -> None:
    a = Task("a", "A", date(2018, 1, 1), date(2018, 1, 1), depends_on=("b",))
    b = Task("b", "B", date(2018, 1, 2), date(2018, 1, 2), depends_on=("a",))
    with pytest.raises(TimelineError, match="cycle"):
        schedule([a, b], "x")
    with pytest.raises(TimelineError, match="depends on 'zz'"):
        schedule([Task("a", "A", date(2018, 1, 1), date(2018, 1, 1), depends_on=("zz",))], "x")
    with pytest.raises(TimelineError, match="before it starts"):
        Task("a", "A", date(2018, 1, 2), date(2018, 1, 1))
    with pytest.raises(TimelineError, match="not 'key' or 'key\\+days'"):
        schedule(
            [
                Task("a", "A", date(2018, 1, 1), date(2018, 1, 1), depends_on=("b+x",)),
                Task("b", "B", date(2018, 1, 1), date(2018, 1, 1)),
            ],
            "x",
        )
    with pytest.raises(TimelineError, match="not in scenario"):
        schedule(STROKE_TIMELINE, ONE_IC, {"ic_2": date(2018, 3, 1)})
