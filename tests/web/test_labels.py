"""The shared labels: internal codes and ISO timestamps become words people read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from stpkit.web.core import labels


def test_dates_and_times_read_as_words_in_the_app_time_zone() -> None:
    assert labels.human_date(date(2018, 3, 5)) == "5 March 2018"
    assert labels.human_date("2018-03-05") == "5 March 2018"
    assert labels.human_datetime(datetime(2018, 7, 5, 9, 30, tzinfo=UTC)) == "5 July 2018, 10:30"
    assert labels.human_datetime("2018-03-05T10:00:00+00:00") == "5 March 2018, 10:00"
    assert labels.human_date(None) == "–"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("amber_red", "Amber/red"),
        ("amber", "Amber"),
        ("2018-03-05T10:00:00+00:00", "5 March 2018, 10:00"),
        ("2018-04-30", "30 April 2018"),
        ("in_progress", "In progress"),
        ("Keep the unit", "Keep the unit"),
        (None, "–"),
    ],
)
def test_change_history_values_read_as_words(raw: str | None, shown: str) -> None:
    assert labels.history_value(raw) == shown


def test_codes_settings_counts_and_whole_numbers() -> None:
    assert labels.code_label("q4_comments") == "Q4 comments"
    assert labels.setting_label("apc") == "Admitted patient care"
    assert labels.setting_label("ae") == "A&E attendances"
    assert labels.whole(1101.3) == "1,101"
    assert labels.counted(1, "pass") == "1 pass"
    assert labels.counted(3, "pass") == "3 passes"
    assert labels.counted(2, "hurdle") == "2 hurdles"
