"""The web change history is a signed hash chain: edits, deletions and truncation are found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stpkit.web.accounts.models import User
from stpkit.web.core import history_chain
from stpkit.web.core.audit import audited_save
from stpkit.web.core.models import ChangeChainHead, ChangeRecord
from stpkit.web.programme.models import Workstream


@pytest.fixture
def anchored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("STPKIT_ANCHOR_KEY_FILE", str(tmp_path / "keys" / "anchor.key"))
    monkeypatch.setenv("STPKIT_AUDIT_WITNESS", str(tmp_path / "witness" / "history.jsonl"))
    yield tmp_path


def _edits(n: int) -> User:
    user = User.objects.create_user("editor", password="a-long-test-password-1")
    for i in range(n):
        ws = Workstream(name=f"Workstream {i}", slug=f"ws-{i}", kind="transformation")
        audited_save(ws, user)
        ws.description = f"Changed {i}"
        audited_save(ws, user, expected_version=ws.version)
    return user


@pytest.mark.django_db
def test_every_change_is_chained_and_the_chain_verifies(anchored: Path) -> None:
    _edits(3)
    records = list(ChangeRecord.objects.order_by("seq"))
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    assert all(r.user_name == "editor" for r in records)
    assert records[1].prev_hash == records[0].hash
    checked = history_chain.verify()
    assert checked.verdict.ok and checked.verdict.entries == len(records)


@pytest.mark.django_db
def test_a_changed_record_is_found(anchored: Path) -> None:
    _edits(2)
    ChangeRecord.objects.filter(seq=2).update(reason="nothing to see")
    verdict = history_chain.verify().verdict
    assert not verdict.ok and verdict.bad_seq == 2 and "changed" in verdict.problem


@pytest.mark.django_db
def test_a_deleted_record_and_a_recomputed_chain_are_found(anchored: Path) -> None:
    from stpkit.chain import GENESIS, digest

    _edits(2)
    ChangeRecord.objects.filter(seq=2).delete()
    assert not history_chain.verify().verdict.ok
    # recompute every later hash and the head, as someone without the anchor key could
    prev = GENESIS
    for seq, record in enumerate(ChangeRecord.objects.order_by("seq"), start=1):
        record.seq = seq
        body = history_chain.body(record)
        h = digest(body, prev)
        ChangeRecord.objects.filter(pk=record.pk).update(seq=seq, prev_hash=prev, hash=h)
        prev = h
    ChangeChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    verdict = history_chain.verify().verdict
    assert not verdict.ok and "signature" in verdict.problem


@pytest.mark.django_db
def test_cutting_the_chain_is_found_by_the_head_and_the_witness(anchored: Path) -> None:
    _edits(2)
    last = ChangeRecord.objects.order_by("-seq").first()
    assert last is not None
    last.delete()
    verdict = history_chain.verify().verdict
    assert not verdict.ok and "cut off" in verdict.problem


@pytest.mark.django_db
def test_the_governance_command_verifies_the_history_too(anchored: Path) -> None:
    from stpkit.cli.kid_governance import app

    _edits(1)
    env = {"STPKIT_DATA_DIR": str(anchored / "data"), "COLUMNS": "200"}
    ok = CliRunner().invoke(app, ["verify-log"], env=env)
    assert ok.exit_code == 0, ok.output
    assert "web change history verifies" in ok.output
    ChangeRecord.objects.filter(seq=1).update(object_repr="someone else")
    bad = CliRunner().invoke(app, ["verify-log"], env=env)
    assert bad.exit_code == 1 and "web change history does not verify" in bad.output
