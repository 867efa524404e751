"""Risk scoring: 5x5 likelihood x consequence, configurable bands, heat map."""

from __future__ import annotations

from datetime import date

import pytest

from stpkit.programme.errors import InvalidScoreError, ProgrammeError
from stpkit.programme.risk import (
    DEFAULT_BANDS,
    RiskBands,
    check_level,
    escalated_on,
    heat_map,
    is_escalated,
    review_overdue,
    score,
    score_on,
    should_escalate,
    status_on,
)


def test_score_is_likelihood_times_consequence() -> None:
    assert score(1, 1) == 1
    assert score(4, 5) == 20
    assert score(5, 5) == 25
    assert score(3, 2) == 6


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "high", "", None, True])
def test_levels_outside_1_to_5_are_refused_with_the_field_named(bad: object) -> None:
    with pytest.raises(InvalidScoreError, match="Likelihood"):
        score(bad, 3)  # type: ignore[arg-type]


def test_levels_from_spreadsheets_as_text_or_float_are_accepted() -> None:
    assert check_level("4", "Likelihood") == 4
    assert check_level(3.0, "Consequence") == 3


def test_errors_belong_to_the_programme_family() -> None:
    with pytest.raises(ProgrammeError):
        score(1, 9)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (1, "low"),
        (3, "low"),
        (4, "moderate"),
        (6, "moderate"),
        (8, "high"),
        (12, "high"),
        (15, "extreme"),
        (25, "extreme"),
    ],
)
def test_default_bands_follow_the_common_nhs_matrix(value: int, band: str) -> None:
    assert DEFAULT_BANDS.band_for(value).key == band


def test_bands_are_configurable() -> None:
    strict = RiskBands(low_max=2, moderate_max=4, high_max=9)
    assert strict.band_for(3).key == "moderate"
    assert strict.band_for(10).key == "extreme"
    assert DEFAULT_BANDS.band_for(10).key == "high"


def test_every_possible_score_falls_in_exactly_one_band() -> None:
    bands = RiskBands(4, 9, 16)
    for lk in range(1, 6):
        for cq in range(1, 6):
            s = lk * cq
            matching = [b for b in bands.bands if b.low <= s <= b.high]
            assert len(matching) == 1


@pytest.mark.parametrize("bounds", [(6, 3, 12), (3, 6, 6), (0, 6, 12), (3, 6, 25)])
def test_bands_that_do_not_rise_are_refused(bounds: tuple[int, int, int]) -> None:
    with pytest.raises(InvalidScoreError, match="must rise"):
        RiskBands(*bounds)


def test_scores_outside_1_to_25_have_no_band() -> None:
    with pytest.raises(InvalidScoreError):
        DEFAULT_BANDS.band_for(26)


def test_escalation_at_or_above_threshold() -> None:
    assert should_escalate(15, 15)
    assert not should_escalate(12, 15)


def test_only_open_risks_at_or_above_the_threshold_are_escalated() -> None:
    assert is_escalated("open", 15, 15)
    assert not is_escalated("open", 12, 15)
    assert not is_escalated("closed", 25, 15)


def test_heat_map_counts_by_cell_with_likelihood_5_on_top() -> None:
    grid = heat_map([(4, 5), (4, 5), (1, 1), (5, 2)])
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)
    assert [row[0].likelihood for row in grid] == [5, 4, 3, 2, 1]
    cell = grid[1][4]  # likelihood 4, consequence 5
    assert (cell.likelihood, cell.consequence, cell.count, cell.score) == (4, 5, 2, 20)
    assert cell.band.key == "extreme"
    assert grid[4][0].count == 1 and grid[0][1].count == 1
    assert sum(c.count for row in grid for c in row) == 4


def test_heat_map_refuses_a_bad_level() -> None:
    with pytest.raises(InvalidScoreError):
        heat_map([(6, 1)])


TODAY = date(2018, 3, 5)


def test_a_review_is_overdue_once_its_date_has_passed() -> None:
    assert review_overdue(date(2018, 3, 4), "open", TODAY)
    assert not review_overdue(date(2018, 3, 5), "open", TODAY)  # due today: not yet late
    assert not review_overdue(date(2018, 3, 6), "open", TODAY)


def test_a_closed_risk_or_one_with_no_review_date_is_never_overdue() -> None:
    assert not review_overdue(date(2017, 1, 1), "closed", TODAY)
    assert not review_overdue(None, "open", TODAY)


def test_score_on_a_day_is_the_last_recorded_on_or_before_it() -> None:
    history = [(date(2017, 11, 24), 16), (date(2017, 4, 24), 12), (date(2018, 3, 5), 20)]
    assert score_on(history, date(2017, 4, 23)) is None  # not yet on the register
    assert score_on(history, date(2017, 4, 24)) == 12
    assert score_on(history, date(2018, 3, 4)) == 16
    assert score_on(history, date(2018, 3, 5)) == 20
    assert score_on([(date(2018, 1, 1), 9), (date(2018, 1, 1), 15)], date(2018, 1, 1)) == 15


def test_escalated_on_a_day_uses_the_score_in_force_then() -> None:
    histories = {
        1: [(date(2017, 4, 24), 12), (date(2017, 11, 24), 16)],  # escalated from November
        2: [(date(2017, 4, 24), 20), (date(2017, 10, 31), 8)],  # de-escalated in October
        3: [(date(2018, 6, 1), 25)],  # not yet raised
    }
    assert escalated_on(histories, date(2017, 5, 1), 15) == {2: 20}
    assert escalated_on(histories, date(2018, 3, 5), 15) == {1: 16}
    assert escalated_on(histories, date(2018, 3, 5), 16) == {1: 16}
    assert escalated_on(histories, date(2018, 3, 5), 17) == {}


def test_status_on_a_day_undoes_the_changes_made_after_it() -> None:
    # Reopened on 1 February 2018 (it was closed), closed again on 1 April (it was open).
    changes = [(date(2018, 4, 1), "open"), (date(2018, 2, 1), "closed")]
    assert status_on("closed", changes, date(2018, 4, 1)) == "closed"
    assert status_on("closed", changes, date(2018, 3, 5)) == "open"
    assert status_on("closed", changes, date(2018, 1, 31)) == "closed"
    assert status_on("open", [], date(2017, 1, 1)) == "open"
