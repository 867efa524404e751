"""Heavy one-offs of a large store in a child process: the same results as in-process, and
the serving process's store connection bounded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stpkit.disclosure import DEFAULT_POLICY
from stpkit.kid import StoreError
from stpkit.kid.governed import InsightStore, bound, dashboards, isolate, open_store, risk
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s",
        SampleSpec(people=3_000, practices=10, years=(2023, 2024)),
    )
    return open_store(path)


def test_the_per_person_table_built_in_a_child_is_the_one_built_here(
    store: InsightStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = pd.read_parquet(dashboards.segments_table(store, 2024, tmp_path / "here"))
    monkeypatch.setattr(isolate, "ISOLATE_PEOPLE", 1)
    assert isolate.worth_isolating(store)
    path = dashboards.segments_table(store, 2024, tmp_path / "child")
    # The table's row order is the engine's (unordered GROUP BY); its rows are the same.
    cols = list(here.columns)

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(cols).reset_index(drop=True)

    pd.testing.assert_frame_equal(rows(pd.read_parquet(path)), rows(here))
    assert path.with_name(path.name.replace("segments-", "aggregates-")).exists()


def test_risk_tiers_from_a_child_fit_are_the_ones_fitted_here(
    store: InsightStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = risk._publish(risk.compact(risk.risk_model(store)), DEFAULT_POLICY, "practice_code")
    monkeypatch.setattr(isolate, "ISOLATE_PEOPLE", 1)
    monkeypatch.setattr(risk, "_compact", {})
    child = risk.published_risk(store, DEFAULT_POLICY, "practice_code")
    assert child.tiers == here.tiers and child.auc == here.auc
    assert child.calibration == here.calibration
    # The compacted scores are sums: people per practice and tier add up to everyone scored.
    full = risk.risk_model(store).scored
    assert int(risk.published_model(store).scored.people.sum()) == len(full)


def test_a_child_on_another_version_does_nothing(store: InsightStore) -> None:
    stale = InsightStore(store.path, store.con, store.reference_date, "not-this-version")
    assert isolate.in_child(stale, dashboards._write_segments, 2024, Path("/nonexistent")) is None


def test_the_serving_connection_is_bounded_and_bad_bounds_are_refused(
    tmp_path: Path, store: InsightStore
) -> None:
    mine = open_store(store.path)
    bound(mine, "512MB", 1, tmp_path / "spill")
    limit = mine.con.execute("SELECT current_setting('memory_limit')").fetchone()
    threads = mine.con.execute("SELECT current_setting('threads')").fetchone()
    assert limit is not None and limit[0] in {"512.0 MiB", "488.2 MiB", "512.0 MB"}
    assert threads is not None and int(threads[0]) == 1
    with pytest.raises(StoreError, match="give a number and a unit"):
        bound(mine, "1GB'; DROP", 1, tmp_path)
    with pytest.raises(StoreError, match="give 1 or more"):
        bound(mine, "1GB", 0, tmp_path)
    mine.close()
