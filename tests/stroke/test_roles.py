"""The site-role rule, written once in the engine, and the typed site list that carries
roles by name from the CLI and the web page to the model, the report and the map."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stpkit.stroke import (
    SiteRoles,
    StrokeError,
    StrokeModel,
    UnknownSiteError,
    hasu_and_asu_only,
    mt_and_asu_only,
    mt_without_hasu,
    roles_where,
    site_frame,
)
from tests.stroke.synthetic import tiny, unit


def test_the_rule_names_the_offending_sites_for_any_kind_of_key() -> None:
    assert mt_without_hasu(["A"], ["B", "A", "B"]) == ["B"]
    assert mt_without_hasu((0, 2), (2,)) == []
    assert hasu_and_asu_only(["A", "B"], ["B", "C"]) == ["B"]
    assert mt_and_asu_only(["A"], ["A", "C"]) == ["A"]
    assert roles_where(("A",), mt=("A", "B"), asu_only=("B", "A")) == (("A",), ("B",))


def test_site_roles_resolve_keys_to_candidate_names_once() -> None:
    geo = tiny()
    roles = SiteRoles.resolve(geo, mt=["a", "Site B", "B"], asu_only=[])
    assert roles == SiteRoles(mt=("Site A", "Site B"))
    assert roles.where(["Site B"]) == (("Site B",), ())
    assert roles.describe() == "thrombectomy where a HASU: Site A, Site B"
    assert not SiteRoles()
    with pytest.raises(UnknownSiteError, match="Valid sites: Site A, Site B"):
        SiteRoles.resolve(geo, mt=["Q"])


def test_a_site_cannot_be_both_thrombectomy_and_asu_only() -> None:
    with pytest.raises(
        StrokeError, match=r"Site A: a site cannot both provide thrombectomy \(--mt\)"
    ):
        SiteRoles.resolve(tiny(), mt=["A"], asu_only=["Site A"], labels=("--mt", "--asu"))


def test_results_name_their_sites_and_today_marks_todays_thrombectomy() -> None:
    model = StrokeModel(tiny())
    r = model.evaluate(model.configuration("A+B (MT: B)", ["A", "B"], mt=["B"]))
    assert (r.hasu_sites, r.thrombectomy_sites, r.asu_only_sites) == (
        ("Site A", "Site B"),
        ("Site B",),
        (),
    )
    assert model.today.thrombectomy_sites == ()  # neither candidate provides MT today
    geo = tiny()
    with_mt = StrokeModel(replace(geo, candidates=[unit("A", mt=True), unit("B")]))
    assert with_mt.today.thrombectomy_sites == ("Site A",)
    today = site_frame(with_mt.today).set_index("short_code")  # today's map marks it too
    assert (today.loc["A", "role"], today.loc["B", "role"]) == ("HASU with thrombectomy", "HASU")


def test_the_map_draws_thrombectomy_sites_apart() -> None:
    model = StrokeModel(tiny())
    r = model.evaluate(model.configuration("A+B (MT: B)", ["A", "B"], mt=["B"]))
    rows = site_frame(r).set_index("short_code")
    assert rows.loc["B", "role"] == "HASU with thrombectomy"
    assert rows.loc["A", "role"] == "HASU"
    plain = site_frame(model.evaluate(model.configuration("A", ["A"])))
    assert list(plain.role) == ["HASU"]
