"""`stpkit kid warm`: a store version's heavy figures written once to the cache, and read
back by a later process as the same published figures, without a row per person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stpkit.cli.kid import app
from stpkit.disclosure import policy_named
from stpkit.kid.governed import InsightStore, open_store, risk, warm
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "s",
        SampleSpec(people=3_000, practices=10, years=(2023, 2024)),
    )
    return open_store(path)


def test_the_risk_summary_read_back_publishes_the_same_figures(
    store: InsightStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = policy_named("opensafely")
    monkeypatch.setattr(risk, "_compact", {})
    monkeypatch.setattr(risk, "_published", {})
    fitted = risk.published_risk(store, policy, "practice_code")  # no cache: fitted here
    done = warm(store, tmp_path)
    assert [d.what for d in done] == [
        "per-person table 2023",
        "per-person table 2024",
        "risk model",
    ]
    assert all(d.path is not None and d.path.exists() for d in done)
    summary = risk.summary_path(store, tmp_path)
    # A later process: nothing in memory, the summary on disk.
    monkeypatch.setattr(risk, "_compact", {})
    monkeypatch.setattr(risk, "_published", {})
    for by in ("practice_code", "locality"):
        read = risk.published_risk(store, policy, by, tmp_path)
        monkeypatch.setattr(risk, "_compact", {})
        monkeypatch.setattr(risk, "_published", {})
        assert read == risk.published_risk(store, policy, by)  # as fitted in this process
    assert read.tiers and fitted.auc == read.auc
    # What is kept: sums by practice, locality and tier, never a row per person or a token.
    body = json.loads(summary.read_text())
    groups = len(body["scored"]["people"])
    assert sum(body["scored"]["people"]) == store.people() and groups < store.people() / 10
    assert "token" not in summary.read_text()


def test_a_store_too_short_for_the_model_is_warmed_without_it(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    one = open_store(
        write_sample(
            tmp_path_factory.mktemp("one") / "s", SampleSpec(people=300, practices=3, years=(2024,))
        )
    )
    done = warm(one, tmp_path)
    assert done[0].path is not None and done[0].path.exists()
    assert done[-1].what == "risk model" and done[-1].path is None
    assert "at least 18 months" in done[-1].note
    assert not list(tmp_path.glob("risk-*.json"))


def test_the_command_warms_the_web_apps_store_by_default(
    store: InsightStore, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    (data / "kid").mkdir(parents=True)
    (data / "kid" / "sample").symlink_to(store.path)
    result = CliRunner().invoke(app, ["warm"], env={"COLUMNS": "200", "STPKIT_DATA_DIR": str(data)})
    assert result.exit_code == 0, result.output
    assert "risk model:" in result.output and "per-person table 2024:" in result.output
    served = open_store(data / "kid" / "sample")  # the store as the web app opens it
    assert risk.summary_path(served, data / "kid" / "cache").exists()
    served.close()
    missing = CliRunner().invoke(
        app, ["warm", "--store", str(tmp_path / "nowhere")], env={"COLUMNS": "400"}
    )
    assert missing.exit_code == 1 and "no store here" in missing.output


def test_a_summary_that_cannot_be_read_is_fitted_and_written_again(
    store: InsightStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = policy_named("opensafely")
    monkeypatch.setattr(risk, "_compact", {})
    monkeypatch.setattr(risk, "_published", {})
    fitted = risk.published_risk(store, policy, "locality")
    summary = risk.summary_path(store, tmp_path)
    for broken in ('{"auc": 0.9', '{"auc": 0.9}'):  # cut short; a field missing
        summary.write_text(broken)
        monkeypatch.setattr(risk, "_compact", {})
        monkeypatch.setattr(risk, "_published", {})
        assert risk.published_risk(store, policy, "locality", tmp_path) == fitted
        assert risk.read_summary(summary) is not None  # written again, whole
    assert not list(tmp_path.glob("*.tmp"))
