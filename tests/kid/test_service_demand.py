"""Service demand by LSOA from a real (small) pipeline store, governed and disclosure-controlled.

The counts are checked against an independent count over the store's own parquet files
(not the governed layer's views); one build of 1,500 people for the module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from stpkit.disclosure import POLICIES
from stpkit.kid.errors import StoreError
from stpkit.kid.governed import AccessRefused, Governance, InsightStore, Purpose, open_store
from stpkit.kid.governed.service_demand import SERVICE_DEFINITIONS, service_demand
from stpkit.kid.pipeline import codes
from stpkit.kid.pipeline.store import current_version
from stpkit.kid.sources import SampleSpec, write_sample

from .pipeline_helpers import make_key, make_raw, run_build

pytestmark = pytest.mark.slow  # builds a small store for the module


@dataclass
class Built:
    store_dir: Path
    store: InsightStore


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("svc-store")
    synth = make_raw(root, people=1500, seed=31)
    run_build(synth.raw_dir, root / "store", make_key(root / "key"))
    return Built(root / "store", open_store(root / "store"))


def _gov(
    folder: Path, policy: str = "opensafely", tables: tuple[str, ...] = ("person", "activity")
) -> Governance:
    g = Governance(folder)
    g.request(
        Purpose(
            key="acute-planning",
            title="Acute service planning",
            owner="ana",
            expires=datetime.now(UTC).date() + timedelta(days=30),
            tables=tables,
            disclosure_policy=policy,
        ),
        user="ana",
        role="analyst",
    )
    g.decide("acute-planning", approve=True, user="dc", role="data_controller")
    return g


def _independent(store_dir: Path, setting: str, where: str, year: int) -> dict[str, int]:
    """Counts by the person's LSOA, straight from the store's parquet files."""
    version = current_version(store_dir)
    assert version is not None
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT p.lsoa_code, count(*) FROM read_parquet('{version.table_path('activity')}', "
        "hive_partitioning = true) a "
        f"JOIN read_parquet('{version.table_path('person')}') p ON a.person_token = p.person_token "
        f"WHERE a.setting = '{setting}' AND {where} AND year(a.activity_date) = {year} "
        "AND p.birth_year_month IS NOT NULL GROUP BY 1"
    ).fetchall()
    return {str(k): int(n) for k, n in rows}


def test_definitions_use_the_stores_own_codes() -> None:
    for d in SERVICE_DEFINITIONS.values():
        assert set(d.department_types) <= set(codes.AE_DEPARTMENT), d.key
        assert set(d.admission_methods) <= set(codes.ADMISSION_METHOD), d.key
        assert set(d.hrgs) <= set(codes.APC_HRG) | set(codes.AE_HRG), d.key


def test_midpoint_counts_match_an_independent_count(built: Built, tmp_path: Path) -> None:
    year = built.store.years()[-1]
    truth = _independent(built.store_dir, "ae", "a.department_type = '01'", year)
    assert sum(truth.values()) > 100
    got = service_demand(
        built.store, _gov(tmp_path, "midpoint6"), "ae", user="ana", role="analyst",
        purpose_key="acute-planning",
    )  # fmt: skip
    table = got.table.set_index("lsoa_code")
    rule = POLICIES["midpoint6"]
    for code, n in truth.items():
        assert table.released[code] == rule.apply(n), code
        assert table.demand[code] == rule.apply(n), code
    # LSOAs with residents but no attendance are listed with none
    assert set(truth) < set(table.index)
    assert (table.released[~table.index.isin(list(truth))] == 0).all()


def test_opensafely_small_cells_share_the_released_remainder(built: Built, tmp_path: Path) -> None:
    gov = _gov(tmp_path)
    year = built.store.years()[-1]
    methods = ", ".join(f"'{m}'" for m in codes.ADMISSION_METHOD_EMERGENCY)
    hrgs = ", ".join(f"'{h}'" for h in SERVICE_DEFINITIONS["emergency_medicine"].hrgs)
    truth = _independent(
        built.store_dir, "apc", f"a.admission_method IN ({methods}) AND a.hrg IN ({hrgs})", year
    )
    got = service_demand(
        built.store, gov, "emergency_medicine", user="ana", role="analyst",
        purpose_key="acute-planning", scale=10.0,
    )  # fmt: skip
    rule = POLICIES["opensafely"]
    total = rule.apply(sum(truth.values()))
    assert total and total > 0
    table = got.table.set_index("lsoa_code")
    # every LSOA here holds at most 7 admissions, so none is released as a figure...
    assert max(truth.values()) <= 7
    assert table.small.all() and got.small_lsoas == len(table)
    # ... and together they carry the released total, scaled, shared by population
    assert table.demand.sum() == pytest.approx(total * 10.0)
    assert got.total == pytest.approx(total * 10.0)
    assert table.demand.nunique() > 10
    # the use is in the analyst's log under the purpose, naming the service and the rule
    last = gov.entries()[-1]
    assert (last.user, last.purpose, last.action) == ("ana", "acute-planning", "query")
    assert "Emergency medical admissions" in last.what and "opensafely" in last.what
    assert last.rows == len(table)


def test_a_purpose_without_activity_is_refused_and_logged(built: Built, tmp_path: Path) -> None:
    gov = _gov(tmp_path, tables=("person",))
    with pytest.raises(AccessRefused):
        service_demand(
            built.store, gov, "ae", user="ana", role="analyst", purpose_key="acute-planning"
        )
    assert gov.entries()[-1].action == "refused"
    assert "service demand ae" in gov.entries()[-1].what


def test_a_sample_store_is_refused_by_name(tmp_path: Path) -> None:
    sample = open_store(
        write_sample(tmp_path / "s", SampleSpec(people=200, practices=3, years=(2024,)))
    )
    with pytest.raises(StoreError, match="needs a pipeline store"):
        service_demand(
            sample, _gov(tmp_path / "g"), "ae", user="ana", role="analyst",
            purpose_key="acute-planning",
        )  # fmt: skip


def test_the_cli_models_options_on_the_stores_demand(built: Built, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stpkit.cli.stroke import app
    from stpkit.kid.governed import governance_dir

    data = tmp_path / "data"
    gov = _gov(governance_dir(data), "midpoint6")
    args = [
        "service", "--service", "ae", "--option", "two=WH,QM", "--option", "one=KT",
        "--stay-open", "DA,MD,MW,TU",
    ]  # fmt: skip
    env = {"COLUMNS": "250", "STPKIT_DATA_DIR": str(data)}
    runner = CliRunner()
    got = runner.invoke(
        app,
        [*args, "--demand-from-store", str(built.store_dir), "--purpose", "acute-planning",
         "--user", "ana", "--scale", "50"],
        env=env,
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    said = " ".join(got.output.split())
    assert "A&E attendances (type 1)" in said and "logged under purpose acute-planning" in said
    assert "midpoint6" in gov.entries()[-1].what
    stand_in = runner.invoke(app, args, env=env)
    assert stand_in.exit_code == 0 and "stand-in" in stand_in.output
    # the store's demand, not the stand-in, is what the table was computed on
    title = "A&E and acute medicine: "
    assert title in got.output and title in stand_in.output
    table = got.output[got.output.index(title) :]
    assert table != stand_in.output[stand_in.output.index(title) :]
    # without a purpose it is refused before anything is read
    refused = runner.invoke(app, [*args, "--demand-from-store", str(built.store_dir)], env=env)
    assert refused.exit_code != 0 and "--purpose" in refused.output
