"""The access standard (95% within 45 minutes) stated plainly per option."""

from __future__ import annotations

from stpkit.appraisal import Option
from stpkit.cli.stroke import access_summary
from stpkit.stroke import access_statement, meets_access_standard


def test_statement_says_yes_or_no_with_the_share() -> None:
    assert access_statement({"share_within_45": 0.973}) == "Yes: 97.3% within 45 min"
    assert access_statement({"share_within_45": 0.892}) == "No: 89.2% within 45 min"
    assert meets_access_standard({"share_within_45": 0.95})
    assert not meets_access_standard({"share_within_45": 0.9499})


def test_summary_names_the_options_that_miss_it() -> None:
    options = [
        Option("DA+MD+WH", {"share_within_45": 0.895}),
        Option("KT+MD+WH", {"share_within_45": 1.0}),
    ]
    assert access_summary(options) == (
        "95% of patients reach a unit within 45 minutes: met by KT+MD+WH; "
        "not met by DA+MD+WH (89.5%)."
    )
    assert access_summary(options[1:]).endswith("met by KT+MD+WH; met by every option.")
