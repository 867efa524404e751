"""`stpkit kid governance`: verify the audit log and write extracts (in-process CLI runner)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from stpkit.cli.kid_governance import app
from stpkit.kid.governed import Governance, Purpose, governance_dir
from stpkit.kid.pipeline import write_new_key
from stpkit.kid.sources import SampleSpec, write_sample


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **env})


@pytest.fixture
def setup(tmp_path: Path) -> tuple[dict[str, str], Governance]:
    data = tmp_path / "data"
    write_sample(data / "kid" / "sample", SampleSpec(people=300, practices=4, years=(2024,)))
    key = tmp_path / "secret" / "pseudonym.key"
    write_new_key(key)
    gov = Governance(governance_dir(data))
    for k, extracts in (("linked-cohort", True), ("dashboards", False)):
        gov.request(
            Purpose(
                key=k,
                title=k,
                owner="ana",
                expires=datetime.now(UTC).date() + timedelta(days=30),
                tables=("person", "activity"),
                person_level_extracts=extracts,
            ),
            user="ana",
            role="analyst",
        )
        gov.decide(k, approve=True, user="dc", role="data_controller")
    env = {"STPKIT_DATA_DIR": str(data), "STPKIT_PSEUDONYM_KEY_FILE": str(key)}
    return env, gov


def test_verify_log_passes_then_fails_when_an_entry_is_changed(
    setup: tuple[dict[str, str], Governance],
) -> None:
    env, gov = setup
    ok = run(env, "verify-log", "--no-web")
    assert ok.exit_code == 0 and "verifies" in ok.output and "4 entries" in ok.output
    log = gov.root / "audit.jsonl"
    log.write_text(log.read_text().replace('"user": "dc"', '"user": "someone"', 1))
    bad = run(env, "verify-log", "--no-web")
    assert bad.exit_code == 1 and "entry 2 was changed" in bad.output


def test_extract_is_written_for_an_allowing_purpose_and_refused_otherwise(
    setup: tuple[dict[str, str], Governance], tmp_path: Path
) -> None:
    env, gov = setup
    out = tmp_path / "extracts"
    refused = run(env, "extract", "--purpose", "dashboards", "--out", str(out), "--user", "ana")
    assert refused.exit_code == 1 and "does not allow person-level extracts" in refused.output
    assert gov.entries()[-1].action == "refused"
    done = run(env, "extract", "--purpose", "linked-cohort", "--out", str(out), "--user", "ana")
    assert done.exit_code == 0, done.output
    (written,) = out.iterdir()
    assert {p.name for p in written.iterdir()} == {
        "person.parquet",
        "activity.parquet",
        "MANIFEST.json",
    }
    last = gov.entries()[-1]
    assert (last.action, last.purpose, last.user) == ("export", "linked-cohort", "ana")
    assert run(env, "verify-log", "--no-web").exit_code == 0
