"""Population segmentation over plain person and person-condition tables.

Each rule is a documented function of pandas frames, so an analyst can check it by hand:

- **Year of Care bands** (the Long Term Conditions Year of Care programme behind KID): the
  count of long-term conditions out of `YEAR_OF_CARE_CONDITIONS` (18) banded A = 0-1,
  B = 2, C = 3-5, D = 6-8, E = 9 or more.
- **Cambridge Multimorbidity Score** (Payne et al., CMAJ 2020): a weighted count of 20
  conditions. The published general-outcome weights are not bundled here; pass them as
  `weights`. By default every listed condition weighs 1, which makes the score a count of
  the 20 Cambridge conditions (stated on every page that shows it).
- **Frailty**: an electronic-frailty-index-style proportion of deficits present, out of the
  `FRAILTY_DEFICITS` the store records, for people 65 and over, banded with the eFI cut-offs
  fit (<= 0.12), mild (<= 0.24), moderate (<= 0.36), severe (> 0.36).
- **Bridges to Health** (Lynn et al. 2007): eight segments assigned in priority order, the
  first rule that holds wins (see `bridges_to_health`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

YEAR_OF_CARE_CONDITIONS: tuple[str, ...] = (
    "asthma",
    "atrial_fibrillation",
    "cancer",
    "chronic_kidney_disease",
    "copd",
    "coronary_heart_disease",
    "dementia",
    "depression",
    "diabetes",
    "epilepsy",
    "heart_failure",
    "hypertension",
    "learning_disability",
    "osteoporosis",
    "peripheral_arterial_disease",
    "rheumatoid_arthritis",
    "serious_mental_illness",
    "stroke_tia",
)

YEAR_OF_CARE_BANDS: tuple[tuple[str, int, int | None, str], ...] = (
    ("A", 0, 1, "0 or 1 long-term condition"),
    ("B", 2, 2, "2 long-term conditions"),
    ("C", 3, 5, "3 to 5 long-term conditions"),
    ("D", 6, 8, "6 to 8 long-term conditions"),
    ("E", 9, None, "9 or more long-term conditions"),
)

CAMBRIDGE_CONDITIONS: tuple[str, ...] = (
    "alcohol_problems",
    "anxiety_depression",
    "cancer",
    "chronic_kidney_disease",
    "copd",
    "constipation",
    "coronary_heart_disease",
    "dementia",
    "diabetes",
    "epilepsy",
    "hearing_loss",
    "heart_failure",
    "hypertension",
    "irritable_bowel_syndrome",
    "pain",
    "parkinsons",
    "psychoactive_substance_misuse",
    "schizophrenia_bipolar",
    "stroke_tia",
    "atrial_fibrillation",
)
# How the 18 Year of Care conditions map onto Cambridge conditions where they coincide.
TO_CAMBRIDGE: dict[str, str] = {
    "depression": "anxiety_depression",
    "serious_mental_illness": "schizophrenia_bipolar",
}

FRAILTY_DEFICITS: tuple[str, ...] = (
    "atrial_fibrillation",
    "chronic_kidney_disease",
    "copd",
    "coronary_heart_disease",
    "dementia",
    "diabetes",
    "heart_failure",
    "hypertension",
    "osteoporosis",
    "peripheral_arterial_disease",
    "rheumatoid_arthritis",
    "stroke_tia",
)
FRAILTY_BANDS = (("fit", 0.12), ("mild", 0.24), ("moderate", 0.36), ("severe", 1.01))

BRIDGES_SEGMENTS: tuple[str, ...] = (
    "Failing health near death",
    "Advanced organ failure",
    "Long-term frailty",
    "Serious stable disability",
    "Stable chronic conditions",
    "Maternal and infant",
    "Acute illness, mostly recoverable",
    "Good health",
)
ORGAN_FAILURE = ("heart_failure", "copd", "chronic_kidney_disease")
DISABILITY = ("learning_disability", "serious_mental_illness", "epilepsy")


def condition_matrix(persons: pd.Series, conditions: pd.DataFrame) -> pd.DataFrame:
    """One row per person token, one boolean column per condition seen (0/1).

    Conditions of people not in `persons` are ignored; a condition recorded twice counts once.
    """
    index = pd.Index(persons, name="person_token")
    if conditions.empty:
        return pd.DataFrame(index=index)
    names = pd.Index(sorted(conditions.condition.astype(str).unique()))
    rows = index.get_indexer(conditions.person_token)
    cols = names.get_indexer(conditions.condition.astype(str))
    known = rows >= 0
    flags = np.zeros((len(index), len(names)), dtype=bool)
    flags[rows[known], cols[known]] = True
    return pd.DataFrame(flags, index=index, columns=names)


def ltc_count(matrix: pd.DataFrame) -> pd.Series:
    """Count of the 18 Year of Care conditions each person has."""
    cols = [c for c in YEAR_OF_CARE_CONDITIONS if c in matrix.columns]
    return matrix[cols].sum(axis=1).astype(int) if cols else pd.Series(0, index=matrix.index)


def year_of_care_band(count: pd.Series) -> pd.Series:
    """Band letters A-E from long-term condition counts."""
    bins = [-1, 1, 2, 5, 8, np.inf]
    return pd.cut(count, bins=bins, labels=["A", "B", "C", "D", "E"]).astype(str)


def cambridge_score(matrix: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Weighted count of the 20 Cambridge conditions (unit weights unless given)."""
    renamed = matrix.rename(columns=TO_CAMBRIDGE)
    renamed = renamed.T.groupby(level=0).max().T if renamed.columns.duplicated().any() else renamed
    w = {c: 1.0 for c in CAMBRIDGE_CONDITIONS} if weights is None else dict(weights)
    unknown = sorted(set(w) - set(CAMBRIDGE_CONDITIONS))
    if unknown:
        raise ValueError(f"Not Cambridge conditions: {', '.join(unknown)}")
    score = pd.Series(0.0, index=matrix.index)
    for cond, weight in w.items():
        if cond in renamed.columns:
            score = score + renamed[cond].astype(float) * weight
    return score


def frailty(matrix: pd.DataFrame, age: pd.Series) -> pd.Series:
    """'not assessed' under 65, else fit / mild / moderate / severe from the deficit share."""
    cols = [c for c in FRAILTY_DEFICITS if c in matrix.columns]
    share = (matrix[cols].sum(axis=1) / len(FRAILTY_DEFICITS)) if cols else 0 * age
    out = pd.Series("not assessed", index=matrix.index, dtype=object)
    older = age.to_numpy() >= 65
    bands = np.select(
        [share <= FRAILTY_BANDS[0][1], share <= FRAILTY_BANDS[1][1], share <= FRAILTY_BANDS[2][1]],
        ["fit", "mild", "moderate"],
        default="severe",
    )
    out[older] = bands[older]
    return out


def bridges_to_health(
    matrix: pd.DataFrame,
    age: pd.Series,
    frail: pd.Series,
    emergency_admissions: pd.Series,
    died: pd.Series | None = None,
) -> pd.Series:
    """Bridges to Health segment per person; the first rule that holds wins.

    1. Failing health near death: died in the period.
    2. Advanced organ failure: two or more of heart failure, COPD, chronic kidney disease,
       or one of them with two or more emergency admissions in the period.
    3. Long-term frailty: moderate or severe frailty, or dementia.
    4. Serious stable disability: learning disability, serious mental illness or epilepsy.
    5. Stable chronic conditions: any other Year of Care condition.
    6. Maternal and infant: under 1 year old.
    7. Acute illness, mostly recoverable: an emergency admission in the period.
    8. Good health: everyone else.
    """

    def has(cols: tuple[str, ...]) -> pd.Series:
        present = [c for c in cols if c in matrix.columns]
        if not present:
            return pd.Series(0, index=matrix.index)
        return matrix[present].sum(axis=1)

    organ = has(ORGAN_FAILURE)
    emerg = emergency_admissions.reindex(matrix.index, fill_value=0)
    dead = died.reindex(matrix.index, fill_value=False) if died is not None else None
    rules = [
        dead.to_numpy(dtype=bool) if dead is not None else np.zeros(len(matrix), bool),
        ((organ >= 2) | ((organ >= 1) & (emerg >= 2))).to_numpy(),
        (frail.isin(["moderate", "severe"]) | (has(("dementia",)) > 0)).to_numpy(),
        (has(DISABILITY) > 0).to_numpy(),
        (ltc_count(matrix) > 0).to_numpy(),
        (age < 1).to_numpy(),
        (emerg > 0).to_numpy(),
    ]
    return pd.Series(
        np.select(rules, BRIDGES_SEGMENTS[:-1], default=BRIDGES_SEGMENTS[-1]), index=matrix.index
    )


def segment_people(
    person: pd.DataFrame,
    condition: pd.DataFrame,
    emergency_admissions: pd.Series,
    cambridge_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Every segmentation for every person: person (person_token, age) -> one row each."""
    matrix = condition_matrix(person.person_token, condition)
    age = pd.Series(person.age.to_numpy(), index=matrix.index)
    count = ltc_count(matrix)
    frail = frailty(matrix, age)
    died = person.set_index("person_token").died if "died" in person.columns else None
    out = pd.DataFrame(
        {
            "ltc_count": count,
            "yoc_band": year_of_care_band(count),
            "cambridge_score": cambridge_score(matrix, cambridge_weights),
            "frailty": frail,
            "bridges_segment": bridges_to_health(matrix, age, frail, emergency_admissions, died),
        },
        index=matrix.index,
    )
    return out.reset_index()
