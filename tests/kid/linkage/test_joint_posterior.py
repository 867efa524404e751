"""Registry linkage's two corrections: weights by whole pattern learned from known matches
(`joint.py`) and each record's posterior over its candidates (`posterior.py`)."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest

from stpkit.kid.pipeline.linkage import link_records
from stpkit.kid.pipeline.linkage.joint import JointPatterns, lowered, reweight
from stpkit.kid.pipeline.linkage.posterior import PI_MAX, largest_gain, registry_posterior
from stpkit.kid.sources.person_faults import FaultSpec, person_records, registry
from tests.kid.linkage.conftest import REGISTRY_COLUMNS, WITHOUT_NHS, load


def _candidates(con: Any, rows: list[tuple[str, str, float]]) -> None:
    table = pa.table(
        {
            "record_id": [r[0] for r in rows],
            "registry_id": [r[1] for r in rows],
            "match_weight": [r[2] for r in rows],
        }
    )
    con.register("cands_arrow", table)
    con.execute("CREATE OR REPLACE TABLE cands AS SELECT * FROM cands_arrow")
    con.unregister("cands_arrow")


def _posterior(con: Any) -> dict[tuple[str, str], float]:
    got = con.execute("SELECT record_id, registry_id, posterior FROM __registry_posterior")
    return {(r, p): v for r, p, v in got.fetchall()}


def test_the_registered_share_is_estimated_from_the_records(con: Any) -> None:
    # 900 records with one strong candidate, 100 with none: about 90% are registered
    _candidates(con, [(f"r{i}", f"p{i}", 8.0) for i in range(900)])
    pi = registry_posterior(con, "cands", prior=1e-4, registered=10_000, records=1000)
    assert 0.88 < pi < 0.9
    # with every record matched the share approaches 1 but is capped
    _candidates(con, [(f"r{i}", f"p{i}", 8.0) for i in range(1000)])
    assert registry_posterior(con, "cands", 1e-4, 10_000, 1000) == pytest.approx(PI_MAX)


def test_a_lone_candidate_gains_and_two_equal_candidates_share(con: Any) -> None:
    rows = [(f"r{i}", f"p{i}", 8.0) for i in range(900)]
    rows += [("lone", "pa", 0.0), ("torn", "pb", 6.0), ("torn", "pc", 6.0)]
    _candidates(con, rows)
    registry_posterior(con, "cands", prior=1e-4, registered=10_000, records=1000)
    post = _posterior(con)
    assert post[("lone", "pa")] > 0.8  # pairwise 0.5: its only rival is "not registered"
    assert post[("torn", "pb")] == pytest.approx(post[("torn", "pc")])
    assert post[("torn", "pb")] < 0.5  # two people equally likely: neither is certain
    # no posterior exceeds what largest_gain allows from the pairwise weight
    bound = lowered(0.5, -largest_gain(1e-4, 10_000))
    assert post[("lone", "pa")] <= bound + 1e-12


def _patterns(counts: dict[tuple[int, ...], int]) -> JointPatterns:
    m = ({1: 0.9, 0: 0.1}, {1: 0.9, 0: 0.1})
    return JointPatterns(("gamma_a", "gamma_b"), m, counts, sum(counts.values()))


def test_patterns_seen_more_often_than_independence_gain_and_less_often_lose() -> None:
    joint = _patterns({(1, 1): 800, (0, 0): 100, (1, 0): 50, (0, 1): 50})
    # both wrong together: 100 seen where independence expects 1000 * 0.1 * 0.1 = 10
    assert 7 < joint.ratio((0, 0)) < 10  # near 100 / 10, drawn a little toward 1
    assert 0.4 < joint.ratio((1, 0)) < 0.6  # 50 seen, 90 expected
    assert joint.ratio((-1, 1)) == pytest.approx(1)  # no known match lacks field a
    assert joint.largest_gain() == pytest.approx(math.log2(joint.ratio((0, 0))))
    rare = _patterns({(1, 1): 3})
    assert rare.ratio((0, 0)) == pytest.approx(1, abs=0.05)  # too few to say anything
    # where the model's levels are far too rare (m of 1e-6 each), the counts decide
    wrong_model = JointPatterns(
        ("gamma_a", "gamma_b"), ({1: 0.999999, 0: 1e-6},) * 2, {(1, 1): 1000, (0, 0): 50}, 1050
    )
    assert math.log2(wrong_model.ratio((0, 0))) > 30  # about 50 / (1050 * 1e-12)
    lone = JointPatterns(wrong_model.gammas, wrong_model.m, {(1, 1): 1000, (0, 0): 1}, 1001)
    assert lone.ratio((0, 0)) < math.e  # one odd known match lifts it by under a nat


def test_reweight_adds_the_pattern_gain_to_each_pair(con: Any) -> None:
    joint = _patterns({(1, 1): 800, (0, 0): 100, (1, 0): 50, (0, 1): 50})
    con.execute(
        "CREATE TABLE pairs AS SELECT * FROM (VALUES (1, 1, 2.0, 0.8), (0, 0, -3.0, 0.11)) "
        "v(gamma_a, gamma_b, match_weight, match_probability)"
    )
    assert reweight(con, "pairs", joint) == 2
    got = dict(con.execute("SELECT gamma_a, match_weight FROM pairs").fetchall())
    assert got[0] == pytest.approx(-3.0 + math.log2(joint.ratio((0, 0))))
    assert got[1] == pytest.approx(2.0 + math.log2(joint.ratio((1, 1))))
    p = con.execute("SELECT match_probability FROM pairs WHERE gamma_a = 0").fetchall()[0][0]
    assert p == pytest.approx(1 / (1 + 2 ** -got[0]))


SPEC = FaultSpec(people=1500, seed=5, multi_fault_rate=0.2)


def _link(con: Any, known: bool) -> tuple[int, int, int, Any]:
    records = person_records(SPEC)
    load(con, "feed", [r for r in records if not r.get("nhs_number")])
    load(con, "mpi", registry(SPEC))
    numbered = [
        {**r, "registry_id": r["person_id"], "record_id": None}
        for r in records
        if r.get("nhs_number")
    ]
    load(con, "numbered", numbered)
    result = link_records(
        con, "feed", WITHOUT_NHS, mode="link_to_registry", registry="mpi",
        registry_mapping=REGISTRY_COLUMNS, known_matches="numbered" if known else None,
    )  # fmt: skip
    out = con.execute(f"SELECT cluster_id, label FROM {result.clusters}").fetchall()
    right = sum(c == t for c, t in out)
    wrong = sum(c != t and c.startswith("P") for c, t in out)
    return len(out), right, wrong, result


def test_known_matches_find_records_with_several_fields_wrong(con: Any) -> None:
    n, right_alone, wrong_alone, _ = _link(con, known=False)
    n_known, right, wrong, result = _link(con, known=True)
    assert n_known == n  # every record accounted for
    assert any("pairs known to match" in note for note in result.notes)
    assert right > right_alone  # records with errors together now found
    assert wrong <= max(wrong_alone, 0.005 * right)  # without linking others wrongly
