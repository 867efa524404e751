"""The demo's East Kent options use the demo store's A&E demand where a store exists.

A real (small) pipeline store is built in the data directory; the demo's purposes are
requested and approved as `stpkit demo` does; the options' figures then come from the
store's counts through the governed layer, and say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stpkit.demo import data as demo_data
from stpkit.demo import decisions as demo
from stpkit.stroke.service import SERVICES, configurations, population_demand
from stpkit.web.data import services as data_services
from stpkit.web.decisions import stroke_source
from stpkit.web.decisions.models import Programme
from tests.kid.pipeline_helpers import make_key, make_raw, run_build

pytestmark = pytest.mark.slow  # builds a small store


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("east-kent")
    synth = make_raw(root, people=1200, seed=5)
    run_build(synth.raw_dir, root / "data" / "kid" / "store", make_key(root / "key"))
    return root / "data"


@pytest.fixture
def data_dir(built_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STPKIT_DATA_DIR", str(built_store))
    return built_store


def _stand_in_bau() -> float:
    geo = stroke_source.model_for(demo.REGION).geo
    got = configurations(
        geo,
        population_demand(geo),
        {"BAU": list(demo.EAST_KENT_EMERGENCY_SITES["BAU"])},
        SERVICES["ae"],
        stay_open=demo.WEST_KENT_AND_MEDWAY,
    )
    return got["BAU"].metrics["mean_minutes"]


def test_options_use_the_stores_demand_under_the_purpose(
    data_dir: Path, demo_partnership: None
) -> None:
    demo_data.load_purposes()
    prog = demo.load_east_kent()
    bau = prog.options.get(code="BAU")
    assert bau.description.startswith("Demand: integrated dataset store, A&E attendances")
    assert "opensafely" in bau.description
    assert bau.metrics["mean_minutes"] != pytest.approx(_stand_in_bau(), abs=1e-6)
    # the options still differ as the sites do
    single = prog.options.get(code="3")
    assert single.metrics["mean_change_minutes"] > 0
    # the read is in the analyst's log under the service-planning purpose
    entry = data_services.governance().entries()[-1]
    assert (entry.user, entry.purpose) == ("analyst", demo.SERVICE_PLANNING_PURPOSE)
    assert "A&E attendances (type 1)" in entry.what


def test_without_the_purpose_the_stand_in_is_used_and_labelled(
    data_dir: Path, demo_partnership: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same store, in a data directory whose governance holds no purposes
    other = tmp_path / "data"
    (other / "kid").mkdir(parents=True)
    (other / "kid" / "store").symlink_to(data_dir / "kid" / "store")
    monkeypatch.setenv("STPKIT_DATA_DIR", str(other))
    prog = demo.load_east_kent()
    bau = prog.options.get(code="BAU")
    assert bau.description == demo.STAND_IN_DEMAND + "."
    assert bau.metrics["mean_minutes"] == pytest.approx(_stand_in_bau(), abs=1e-5)
    assert Programme.objects.filter(slug=demo.EAST_KENT_SLUG).count() == 1
    refused = data_services.governance().entries()[-1]
    assert refused.action == "refused" and refused.purpose == demo.SERVICE_PLANNING_PURPOSE
