"""Every metric of the configuration model on the tiny geography, by hand."""

from __future__ import annotations

import numpy as np
import pytest
from stroke_outcome.continuous_outcome import Continuous_outcome

from stpkit.stroke.errors import StrokeError, UnknownSiteError
from stpkit.stroke.model import (
    Configuration,
    StrokeModel,
    weighted_quantile,
    weighted_quantiles,
)
from stpkit.stroke.outcomes import _mrs_dists
from stpkit.stroke.pathway import Cohort, Pathway
from tests.stroke.synthetic import tiny


@pytest.fixture(scope="module")
def model() -> StrokeModel:
    return StrokeModel(tiny())


def test_assignment_to_nearest_open_unit(model: StrokeModel) -> None:
    # only A open: L3 is nearer the outside unit O (30) than A (50)
    assert model.assign([0]).tolist() == [0, 0, 2, 0]
    assert model.assign([0, 1]).tolist() == [0, 1, 1, 0]
    assert model.assign([1]).tolist() == [1, 1, 1, 2]


def test_access_metrics_by_hand(model: StrokeModel) -> None:
    m = model.evaluate(Configuration("A", (0,))).metrics
    # residents: L1 10 min (w10), L2 35 (w20), L3 30 at O (w30)
    assert m["mean_minutes"] == pytest.approx((10 * 10 + 20 * 35 + 30 * 30) / 60)
    assert m["median_minutes"] == 30  # cumulative weights 10, 40, 60: half (30) reached at 30
    assert m["p90_minutes"] == 35
    assert m["p95_minutes"] == 35
    assert m["max_minutes"] == 35
    assert m["share_within_30"] == pytest.approx(40 / 60)
    assert m["share_within_45"] == 1.0
    assert m["share_within_60"] == 1.0 and m["share_within_90"] == 1.0


def test_volumes_count_inflow(model: StrokeModel) -> None:
    r = model.evaluate(Configuration("A", (0,)))
    assert r.volumes == {"Site A": 10 + 20 + 6}  # the neighbour N4 comes in to A
    assert r.outside_flows == {"Site O": 30}
    assert r.metrics["inflow_admissions"] == 6
    assert r.metrics["residents_to_outside_units"] == 30
    both = model.evaluate(Configuration("AB", (0, 1)))
    assert both.volumes == {"Site A": 16, "Site B": 50}
    assert both.metrics["min_unit_volume"] == 16 and both.metrics["max_unit_volume"] == 50


def test_change_against_today_per_lsoa(model: StrokeModel) -> None:
    # today every candidate admits: 10, 20, 25, 15
    assert model.today.columns["minutes"].tolist() == [10, 20, 25, 15]
    r = model.evaluate(Configuration("A", (0,)))
    assert r.lsoa["change_minutes"].tolist() == [0, 15, 5, 0]
    assert r.metrics["mean_change_minutes"] == pytest.approx((0 + 20 * 15 + 30 * 5) / 60)
    assert r.metrics["max_increase_minutes"] == 15
    assert r.metrics["admissions_over_15_min_longer"] == 0  # 15 is not more than 15
    assert r.lsoa["estimated_time"].tolist() == [False, False, False, False]
    # only B (estimated times) open: L1-L3 go to B (40 < 50), N4 to O (40 < 45)
    assert model.evaluate(Configuration("B", (1,))).lsoa["estimated_time"].tolist() == [
        True,
        True,
        True,
        False,
    ]


def test_treatment_times_from_named_pathway() -> None:
    p = Pathway(
        onset_to_call=60,
        call_to_ambulance_arrival=20,
        ambulance_on_scene=20,
        arrival_to_needle_hasu=30,
        door_in_door_out_hasu=60,
        transfer_arrival_to_puncture=40,
        arrival_to_puncture=90,
    )
    model = StrokeModel(tiny(), pathway=p)
    r = model.evaluate(Configuration("A", (0,)))
    lsoa = r.lsoa
    # L1 at A (HASU): 100 before travel + 10 + 30 = 140; puncture via transfer to O (30):
    # 100 + 10 + 60 + 30 + 40 = 240. L3 at O (provides MT): needle 100+30+30, puncture 100+30+90
    assert lsoa.onset_to_needle.tolist()[:3] == [140, 165, 160]
    assert lsoa.onset_to_puncture.tolist()[:3] == [240, 265, 220]
    # residents' means, by admissions 10, 20, 30
    assert r.metrics["mean_onset_to_needle"] == pytest.approx((1400 + 3300 + 4800) / 60)
    assert r.metrics["mean_onset_to_puncture"] == pytest.approx((2400 + 5300 + 6600) / 60)
    # today no candidate is a HASU: door-to-needle 50, door in door out 90 at A and B
    today = model.today.lsoa
    assert today.onset_to_needle.tolist() == [100 + 10 + 50, 100 + 20 + 50, 100 + 25 + 50, 165]
    assert today.onset_to_puncture.tolist()[0] == 100 + 10 + 90 + 30 + 40
    with_mt = model.evaluate(Configuration("A with MT", (0,), mt=(0,))).lsoa
    assert with_mt.onset_to_puncture.tolist()[0] == 100 + 10 + 90


def test_outcomes_equal_stroke_outcome_called_directly(model: StrokeModel) -> None:
    r = model.evaluate(Configuration("AB", (0, 1)))
    needle = r.lsoa.onset_to_needle.to_numpy()
    puncture = r.lsoa.onset_to_puncture.to_numpy()
    c = Cohort()
    import pandas as pd

    direct = Continuous_outcome(mrs_dists=_mrs_dists())
    kinds = [(1, 1, 0), (2, 1, 0), (2, 0, 1), (2, 1, 1), (1, 0, 0), (2, 0, 0)]
    rows = [(k, i) for k in kinds for i in range(4)]
    direct.assign_patients_to_trial(
        pd.DataFrame(
            {
                "stroke_type_code": [k[0] for k, _ in rows],
                "onset_to_needle_mins": [float(needle[i]) for _, i in rows],
                "ivt_chosen_bool": [k[1] for k, _ in rows],
                "onset_to_puncture_mins": [float(puncture[i]) for _, i in rows],
                "mt_chosen_bool": [k[2] for k, _ in rows],
            }
        )
    )
    _, _, full = direct.calculate_outcomes()
    good = full["each_patient_mrs_dist_post_stroke"][:, 2].reshape(6, 4)  # P(mRS <= 2)
    util = full["each_patient_utility_post_stroke"].reshape(6, 4)
    lvo_none = 1 - c.lvo_ivt_only - c.lvo_mt_only - c.lvo_ivt_and_mt
    w = (
        np.array(
            [
                c.share_nlvo * c.nlvo_ivt,
                c.share_lvo * c.lvo_ivt_only,
                c.share_lvo * c.lvo_mt_only,
                c.share_lvo * c.lvo_ivt_and_mt,
                c.share_nlvo * (1 - c.nlvo_ivt),
                c.share_lvo * lvo_none,
            ]
        )
        / c.share_ischaemic
    )
    expected_good = w @ good
    assert r.lsoa.p_mrs_0_2.to_numpy() == pytest.approx(expected_good, abs=1e-12)
    assert r.lsoa.utility.to_numpy() == pytest.approx(w @ util, abs=1e-12)
    adm = np.array([10, 20, 30])
    assert r.metrics["share_mrs_0_2"] == pytest.approx(adm @ expected_good[:3] / 60)
    assert r.metrics["mean_utility"] == pytest.approx(adm @ (w @ util)[:3] / 60)
    assert r.metrics["hasus"] == 2
    assert r.mrs.sum() == pytest.approx(1.0)
    assert r.mrs[:3].sum() == pytest.approx(r.metrics["share_mrs_0_2"])
    today = model.today.lsoa.p_mrs_0_2.to_numpy()[:3]
    assert r.metrics["added_good_outcomes"] == pytest.approx(
        c.share_ischaemic * adm @ (expected_good[:3] - today)
    )
    assert r.metrics["added_good_outcomes"] > 0  # HASUs treat faster than today's units


def test_every_metric_is_described_and_checked_here() -> None:
    """The hand-computed tests above cover every metric the model reports."""
    from pathlib import Path

    from stpkit.stroke.model import METRIC_DESCRIPTIONS

    metrics = StrokeModel(tiny()).evaluate(Configuration("A", (0,))).metrics
    assert set(metrics) == set(METRIC_DESCRIPTIONS)
    source = Path(__file__).read_text()
    unchecked = [m for m in metrics if f'"{m}"]' not in source]
    assert unchecked == []


def test_weighted_quantile_by_hand() -> None:
    v, w = np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0])
    assert weighted_quantile(v, w, 0.25) == 1.0
    assert weighted_quantile(v, w, 0.5) == 2.0
    assert weighted_quantile(v, w, 0.76) == 3.0


def test_bad_configurations(model: StrokeModel) -> None:
    with pytest.raises(UnknownSiteError, match="Valid sites: Site A, Site B"):
        model.configuration("x", ["Site Q"])
    with pytest.raises(StrokeError, match="no HASU"):
        Configuration("none", ())
    with pytest.raises(StrokeError, match="MT site must also be a HASU"):
        Configuration("x", (0,), mt=(1,))
    with pytest.raises(StrokeError, match="onset_to_call"):
        Pathway(onset_to_call=-1)
    with pytest.raises(StrokeError, match="must not add up"):
        Cohort(lvo_ivt_only=0.5, lvo_mt_only=0.5, lvo_ivt_and_mt=0.5)


def test_thrombectomy_at_the_hasu_removes_the_transfer() -> None:
    """Only B open: L1-L3 all go to B (40, 20, 25 minutes), whose transfer to the MT centre O
    takes 45 minutes. With door in door out + arrival to puncture after a transfer equal to
    arrival to puncture on site (30 + 60 = 90), making B an MT centre removes exactly the
    transfer: every resident's onset to puncture, and so the mean, falls by 45 minutes."""
    p = Pathway(door_in_door_out_hasu=30, transfer_arrival_to_puncture=60, arrival_to_puncture=90)
    model = StrokeModel(tiny(), pathway=p)
    before = 60 + 18 + 29  # onset to call, call to ambulance, on scene
    plain = model.evaluate(model.configuration("B", ["B"]))
    mt = model.evaluate(model.configuration("B with MT", ["B"], mt=["B"]))
    assert plain.lsoa.unit.tolist()[:3] == ["Site B"] * 3
    assert plain.lsoa.onset_to_puncture.tolist()[:3] == [
        before + t + 30 + 45 + 60 for t in (40, 20, 25)
    ]
    assert mt.lsoa.onset_to_puncture.tolist()[:3] == [before + t + 90 for t in (40, 20, 25)]
    assert plain.metrics["mean_onset_to_puncture"] == pytest.approx(
        (10 * (before + 175) + 20 * (before + 155) + 30 * (before + 160)) / 60
    )
    assert plain.metrics["mean_onset_to_puncture"] - mt.metrics[
        "mean_onset_to_puncture"
    ] == pytest.approx(45.0)
    # thrombolysis and travel are untouched; outcome improves with faster thrombectomy
    assert mt.metrics["mean_onset_to_needle"] == plain.metrics["mean_onset_to_needle"]
    assert mt.metrics["mean_minutes"] == plain.metrics["mean_minutes"]
    assert mt.metrics["added_good_outcomes"] > plain.metrics["added_good_outcomes"]
    # default pathway: the saving is door in door out 60 + transfer 45 + 60 - 90 = 75
    default = StrokeModel(tiny())
    saving = (
        default.evaluate(default.configuration("B", ["B"])).metrics["mean_onset_to_puncture"]
        - default.evaluate(default.configuration("B", ["B"], mt=["B"])).metrics[
            "mean_onset_to_puncture"
        ]
    )
    assert saving == pytest.approx(75.0)


def test_site_roles_in_the_long_list(model: StrokeModel) -> None:
    from stpkit.stroke import SiteRoles, long_list

    roles = SiteRoles(mt=("Site A",), asu_only=("Site B",))
    results = {r.config.name: r.config for r in long_list(model, range(1, 3), roles=roles)}
    # MT where the site hosts a HASU; ASU-only where it does not
    assert (results["A"].mt, results["A"].asu_only) == ((0,), (1,))
    assert (results["B"].mt, results["B"].asu_only) == ((), ())
    assert (results["A+B"].mt, results["A+B"].asu_only) == ((0,), ())
    # an ASU-only site takes no emergency admissions: figures as if it were closed
    plain = model.evaluate(Configuration("A", (0,))).metrics
    asu = model.evaluate(Configuration("A", (0,), asu_only=(1,))).metrics
    assert asu == plain


def test_weighted_quantiles_at_once_agree_with_one_at_a_time() -> None:
    rng = np.random.default_rng(3)
    v = rng.integers(0, 40, 500).astype(float)  # many ties
    w = rng.random(500)
    qs = (0.1, 0.5, 0.9, 0.95, 1.0)
    assert weighted_quantiles(v, w, qs) == [weighted_quantile(v, w, q) for q in qs]
    # by hand: the half-way point of equal weights over 1..4 is 2
    assert weighted_quantiles(np.array([4.0, 1.0, 3.0, 2.0]), np.ones(4), (0.5, 1.0)) == [2.0, 4.0]
