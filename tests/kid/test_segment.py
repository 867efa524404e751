"""Segmentation rules over plain person-condition tables, checked against hand-worked cases."""

from __future__ import annotations

import pandas as pd
import pytest

from stpkit.kid.analyses import (
    BRIDGES_SEGMENTS,
    YEAR_OF_CARE_CONDITIONS,
    cambridge_score,
    condition_matrix,
    segment_people,
    year_of_care_band,
)


def people_with(
    counts: dict[str, list[str]], ages: dict[str, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    person = pd.DataFrame({"person_token": list(ages), "age": list(ages.values())})
    rows = [(p, c) for p, conds in counts.items() for c in conds]
    return person, pd.DataFrame(rows, columns=["person_token", "condition"])


def test_there_are_eighteen_year_of_care_conditions() -> None:
    assert len(YEAR_OF_CARE_CONDITIONS) == 18 == len(set(YEAR_OF_CARE_CONDITIONS))


@pytest.mark.parametrize(
    ("n", "band"),
    [(0, "A"), (1, "A"), (2, "B"), (3, "C"), (5, "C"), (6, "D"), (8, "D"), (9, "E"), (18, "E")],
)
def test_year_of_care_bands(n: int, band: str) -> None:
    assert year_of_care_band(pd.Series([n])).iloc[0] == band


def test_duplicate_diagnoses_count_once_and_unknown_people_have_none() -> None:
    person, cond = people_with({"a": ["diabetes", "diabetes", "asthma"]}, {"a": 50, "b": 30})
    seg = segment_people(person, cond, pd.Series(dtype=int)).set_index("person_token")
    assert seg.loc["a", "ltc_count"] == 2 and seg.loc["a", "yoc_band"] == "B"
    assert seg.loc["b", "ltc_count"] == 0 and seg.loc["b", "bridges_segment"] == "Good health"


def test_bridges_to_health_priority_order() -> None:
    conds = {
        "organ": ["heart_failure", "copd"],
        "frail": ["dementia"],
        "disab": ["learning_disability"],
        "chronic": ["hypertension"],
        "one_organ_many_admissions": ["copd"],
    }
    ages = {
        "organ": 80,
        "frail": 85,
        "disab": 30,
        "chronic": 50,
        "one_organ_many_admissions": 70,
        "baby": 0,
        "acute": 30,
        "well": 40,
    }
    person, cond = people_with(conds, ages)
    emergency = pd.Series({"acute": 1, "one_organ_many_admissions": 2, "organ": 3})
    seg = segment_people(person, cond, emergency).set_index("person_token").bridges_segment
    assert seg["organ"] == "Advanced organ failure"
    assert seg["one_organ_many_admissions"] == "Advanced organ failure"
    assert seg["frail"] == "Long-term frailty"
    assert seg["disab"] == "Serious stable disability"
    assert seg["chronic"] == "Stable chronic conditions"
    assert seg["baby"] == "Maternal and infant"
    assert seg["acute"] == "Acute illness, mostly recoverable"
    assert seg["well"] == "Good health"
    assert set(seg) <= set(BRIDGES_SEGMENTS)


def test_frailty_is_assessed_from_65_with_efi_cut_offs() -> None:
    many = [
        "heart_failure",
        "copd",
        "diabetes",
        "hypertension",
        "atrial_fibrillation",
    ]  # 5/12 = 0.42
    person, cond = people_with(
        {"old": many, "young": many, "mild": ["diabetes", "copd"]},
        {"old": 80, "young": 40, "mild": 70, "fit": 66},
    )
    frail = segment_people(person, cond, pd.Series(dtype=int)).set_index("person_token").frailty
    assert frail["old"] == "severe" and frail["young"] == "not assessed"
    assert frail["mild"] == "mild" and frail["fit"] == "fit"


def test_cambridge_score_uses_given_weights_and_maps_shared_conditions() -> None:
    person, cond = people_with({"a": ["depression", "diabetes", "asthma"]}, {"a": 60})
    m = condition_matrix(person.person_token, cond)
    assert cambridge_score(m).iloc[0] == 2  # asthma is not a Cambridge condition
    assert cambridge_score(m, {"anxiety_depression": 0.5, "diabetes": 0.75}).iloc[0] == 1.25
    with pytest.raises(ValueError, match="Not Cambridge"):
        cambridge_score(m, {"asthma": 1.0})
