"""Clinical outcome from treatment times, by the `stroke-outcome` continuous model.

For each (onset-to-needle, onset-to-puncture) pair the published model gives an mRS
distribution for nLVO treated with IVT, LVO treated with IVT, with MT, or with both (it
keeps the better of the two), and for untreated patients. We call it once for all pairs
(vectorised) and mix the patient types with the `Cohort` shares, giving per pair the mRS
distribution of an ischaemic stroke admission, the share with mRS 0-2 and the mean utility.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import stroke_outcome.outcome_utilities as ou
from stroke_outcome.continuous_outcome import Continuous_outcome

from stpkit.stroke.pathway import Cohort

# (stroke type code, ivt chosen, mt chosen) of the time-dependent patient types
TREATED = ((1, 1, 0), (2, 1, 0), (2, 0, 1), (2, 1, 1))
UNTREATED = ((1, 0, 0), (2, 0, 0))


@cache
def _mrs_dists() -> pd.DataFrame:
    d = ou.import_mrs_dists_from_file()
    d.index = pd.Index([str(i) for i in d.index], dtype=object)  # the package checks for "O"
    return d


def run_stroke_outcome(
    stroke_type: np.ndarray,
    needle: np.ndarray,
    ivt: np.ndarray,
    puncture: np.ndarray,
    mt: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Call `stroke-outcome` directly: per patient, cumulative mRS (x7) and utility."""
    model = Continuous_outcome(mrs_dists=_mrs_dists())
    model.assign_patients_to_trial(
        pd.DataFrame(
            {
                "stroke_type_code": stroke_type.astype(int),
                "onset_to_needle_mins": needle.astype(float),
                "ivt_chosen_bool": ivt.astype(int),
                "onset_to_puncture_mins": puncture.astype(float),
                "mt_chosen_bool": mt.astype(int),
            }
        )
    )
    _, _, full = model.calculate_outcomes()
    return (
        np.asarray(full["each_patient_mrs_dist_post_stroke"]),
        np.asarray(full["each_patient_utility_post_stroke"]),
    )


@dataclass(frozen=True)
class Outcomes:
    """Per pair: mRS distribution (n x 7, probabilities of mRS 0..6), P(mRS 0-2), utility."""

    mrs: np.ndarray
    good: np.ndarray
    utility: np.ndarray


def cohort_weights(c: Cohort) -> tuple[np.ndarray, np.ndarray]:
    """Weights (summing to 1 over ischaemic admissions) of the TREATED and UNTREATED types."""
    lvo_none = 1.0 - c.lvo_ivt_only - c.lvo_mt_only - c.lvo_ivt_and_mt
    treated = np.array(
        [
            c.share_nlvo * c.nlvo_ivt,
            c.share_lvo * c.lvo_ivt_only,
            c.share_lvo * c.lvo_mt_only,
            c.share_lvo * c.lvo_ivt_and_mt,
        ]
    )
    untreated = np.array([c.share_nlvo * (1.0 - c.nlvo_ivt), c.share_lvo * lvo_none])
    total = c.share_ischaemic
    return treated / total, untreated / total


def outcomes_for_times(needle: np.ndarray, puncture: np.ndarray, cohort: Cohort) -> Outcomes:
    """Mixed outcome of an ischaemic admission for each (needle, puncture) time pair."""
    pairs, inverse = np.unique(np.column_stack([needle, puncture]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    out = _outcomes_unique(pairs[:, 0], pairs[:, 1], cohort)
    return Outcomes(out.mrs[inverse], out.good[inverse], out.utility[inverse])


def _outcomes_unique(needle: np.ndarray, puncture: np.ndarray, cohort: Cohort) -> Outcomes:
    n = len(needle)
    k = len(TREATED)
    codes = np.array(TREATED)
    st = np.concatenate([np.repeat(codes[:, 0], n), [u[0] for u in UNTREATED]])
    iv = np.concatenate([np.repeat(codes[:, 1], n), [0, 0]])
    mt = np.concatenate([np.repeat(codes[:, 2], n), [0, 0]])
    nd = np.concatenate([np.tile(needle, k), [0.0, 0.0]])
    pu = np.concatenate([np.tile(puncture, k), [0.0, 0.0]])
    cum, _ = run_stroke_outcome(st, nd, iv, pu, mt)
    probs = np.diff(cum, axis=1, prepend=0.0)
    w_t, w_u = cohort_weights(cohort)
    treated = probs[: n * k].reshape(k, n, 7)
    untreated = probs[n * k :]
    mix = np.einsum("k,knj->nj", w_t, treated) + (w_u @ untreated)[None, :]
    utility_weights = np.array(ou.sanity_check_utility_weights(np.array([])))
    return Outcomes(mix, mix[:, :3].sum(axis=1), mix @ utility_weights)
