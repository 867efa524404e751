"""The stroke side of a criteria file: sites, pathway timings and cohort, bad input by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from stpkit.appraisal import CriteriaFileError
from stpkit.stroke.appraisal import assumptions, read_stroke_criteria
from stpkit.stroke.model import Configuration, StrokeModel
from tests.stroke.synthetic import tiny


@pytest.fixture(scope="module")
def model() -> StrokeModel:
    return StrokeModel(tiny())


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_pathway_and_cohort_from_the_file(model: StrokeModel, tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "km.yaml",
        "options:\n  - name: X\n    sites: [A]\n"
        "pathway:\n  arrival_to_needle_hasu: 20\n  onset_to_call: 30\n"
        "cohort:\n  nlvo_ivt: 0.2\n",
    )
    spec = read_stroke_criteria(p, model)
    assert spec.options[0].members == ("Site A",)
    pathway, cohort = assumptions(spec)
    assert pathway is not None and cohort is not None
    assert pathway.arrival_to_needle_hasu == 20 and pathway.onset_to_call == 30
    assert pathway.door_in_door_out_hasu == 60  # unset timings keep their defaults
    assert cohort.nlvo_ivt == 0.2
    faster = StrokeModel(tiny(), pathway, cohort).evaluate(Configuration("A", (0,)))
    # L1 at A: 30 + 18 + 29 before travel, 10 travel, 20 door to needle
    assert faster.lsoa.onset_to_needle.tolist()[0] == 30 + 18 + 29 + 10 + 20
    toml = write(tmp_path, "km.toml", "[pathway]\nonset_to_call = 45\n")
    pathway, cohort = assumptions(read_stroke_criteria(toml, model))
    assert pathway is not None and pathway.onset_to_call == 45 and cohort is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("criteria: []\nhurdle:\n  - metric: max_minutes\n", "line 2: unknown section 'hurdle'"),
        ("pathway:\n  onset_to_cal: 5\n", "line 1: pathway has unknown field(s) onset_to_cal"),
        ("\npathway:\n  onset_to_call: -5\n", "line 2: Pathway timing 'onset_to_call' must be"),
        ("cohort:\n  nlvo_ivt: 1.5\n", "line 1: Cohort share 'nlvo_ivt' must lie in 0-1"),
        ("pathway:\n  onset_to_call: soon\n", "line 1: pathway: values must be numbers"),
        ("pathway: 5\n", "line 1: 'pathway' must be a mapping of names to numbers"),
    ],
)
def test_bad_sections_name_the_line(
    model: StrokeModel, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(CriteriaFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_stroke_criteria(write(tmp_path, "bad.yaml", text), model)


def test_options_name_thrombectomy_and_asu_only_sites(model: StrokeModel, tmp_path: Path) -> None:
    from stpkit.stroke import SiteRoles, appraise

    p = write(
        tmp_path,
        "roles.yaml",
        "hurdles:\n  - metric: hasus\n    min: 1\n"
        "options:\n"
        "  - name: B with MT\n    sites: [B]\n    mt: [B]\n    asu: [A]\n"
        "  - name: B plain\n    sites: [B]\n",
    )
    spec = read_stroke_criteria(p, model)
    assert spec.options[0].roles == {"mt": ("Site B",), "asu": ("Site A",)}
    a = appraise(model, range(1, 2), spec, draws=50)
    with_mt, plain = a.result("B with MT"), a.result("B plain")
    assert (with_mt.config.mt, with_mt.config.asu_only) == ((1,), (0,))
    assert plain.config.mt == ()
    # default pathway: door in door out 60 + transfer 45 + 60 - arrival to puncture 90
    assert plain.metrics["mean_onset_to_puncture"] - with_mt.metrics[
        "mean_onset_to_puncture"
    ] == pytest.approx(75.0)
    # sites named for every option apply where an option gives none of its own
    b = appraise(model, range(1, 2), spec, draws=50, roles=SiteRoles(mt=("Site A", "Site B")))
    assert b.result("B plain").config.mt == (1,) and b.result("B").config.mt == (1,)
    assert b.result("A").config.mt == (0,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "options:\n  - name: X\n    sites: [A]\n    mt: [Q]\n",
            "line 2: Unknown site 'Q' for Test. Valid sites: Site A, Site B",
        ),
        (
            "options:\n  - name: X\n    sites: [A]\n    mt: [B]\n",
            "line 2: option 'X': thrombectomy (mt) site(s) Site B must also be among its sites",
        ),
        (
            "options:\n  - name: X\n    sites: [A]\n    asu: [A]\n",
            "line 2: option 'X': Site A cannot be both a HASU site and ASU-only",
        ),
        (
            "options:\n  - name: X\n    sites: [A]\n    thrombectomy: [A]\n",
            "line 2: an option has unknown field(s) thrombectomy; allowed: asu, members, mt",
        ),
    ],
)
def test_bad_site_roles_name_the_line(
    model: StrokeModel, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(CriteriaFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_stroke_criteria(write(tmp_path, "bad.yaml", text), model)
