"""Purposes, approval by the data controller, refusals, and the hash-chained audit log."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from stpkit.kid.governed import AccessRefused, Governance, GovernanceError, Purpose

TODAY = date(2026, 11, 23)


def purpose(**kw: object) -> Purpose:
    base: dict[str, object] = dict(
        key="frailty-study",
        title="Cost of frailty",
        owner="ana",
        expires=TODAY + timedelta(days=30),
        tables=("person", "activity"),
        members=("bob",),
    )
    base.update(kw)
    return Purpose(**base)  # type: ignore[arg-type]


@pytest.fixture
def gov(tmp_path: Path) -> Governance:
    g = Governance(tmp_path / "gov")
    g.request(purpose(), user="ana", role="analyst")
    return g


def test_a_requested_purpose_is_refused_until_the_data_controller_approves_it(
    gov: Governance,
) -> None:
    with pytest.raises(AccessRefused, match="requested, not approved"):
        gov.authorise(
            user="ana",
            role="analyst",
            purpose_key="frailty-study",
            tables=["person"],
            what="q",
            today=TODAY,
        )
    with pytest.raises(AccessRefused, match="Only the data controller"):
        gov.decide("frailty-study", approve=True, user="ana", role="analyst")
    gov.decide("frailty-study", approve=True, user="dc", role="data_controller")
    p = gov.authorise(
        user="bob",
        role="analyst",
        purpose_key="frailty-study",
        tables=["person"],
        what="q",
        today=TODAY,
    )
    assert p.status == "approved" and p.decided_by == "dc"


@pytest.mark.parametrize(
    ("user", "tables", "today", "person_level", "reason"),
    [
        ("eve", ["person"], TODAY, False, "does not work under"),
        ("ana", ["condition"], TODAY, False, "does not allow table"),
        ("ana", ["person"], TODAY + timedelta(days=31), False, "expired on"),
        ("ana", ["person"], TODAY, True, "person-level extracts"),
    ],
)
def test_requests_outside_the_purpose_are_refused_and_logged(
    gov: Governance, user: str, tables: list[str], today: date, person_level: bool, reason: str
) -> None:
    gov.decide("frailty-study", approve=True, user="dc", role="data_controller")
    before = len(gov.entries())
    with pytest.raises(AccessRefused, match=reason):
        gov.authorise(
            user=user,
            role="analyst",
            purpose_key="frailty-study",
            tables=tables,
            what="count people",
            today=today,
            person_level=person_level,
        )
    last = gov.entries()[-1]
    assert len(gov.entries()) == before + 1
    assert (last.action, last.user, last.purpose) == ("refused", user, "frailty-study")
    assert reason in last.what


def test_a_revoked_purpose_blocks_access(gov: Governance) -> None:
    gov.decide("frailty-study", approve=True, user="dc", role="data_controller")
    gov.decide("frailty-study", approve=False, user="dc", role="data_controller")
    with pytest.raises(AccessRefused, match="revoked"):
        gov.authorise(
            user="ana",
            role="analyst",
            purpose_key="frailty-study",
            tables=["person"],
            what="q",
            today=TODAY,
        )


def test_purposes_reject_unknown_tables_and_policies() -> None:
    with pytest.raises(GovernanceError, match="not store tables"):
        purpose(tables=("person", "identifiers"))
    with pytest.raises(GovernanceError, match="unknown disclosure policy"):
        purpose(disclosure_policy="none")


def test_the_log_verifies_and_every_kind_of_tampering_is_detected(gov: Governance) -> None:
    for i in range(5):
        gov.log("ana", "analyst", "frailty-study", "query", f"query {i}", i)
    ok = gov.verify_log()
    assert ok.ok and ok.entries == 6
    log = gov.root / "audit.jsonl"
    original = log.read_text()
    lines = original.splitlines(keepends=True)

    edited = json.loads(lines[2])
    edited["rows"] = 999
    log.write_text("".join([*lines[:2], json.dumps(edited) + "\n", *lines[3:]]))
    bad = gov.verify_log()
    assert not bad.ok and bad.bad_seq == 3 and "changed" in bad.problem

    log.write_text("".join([*lines[:2], *lines[3:]]))
    bad = gov.verify_log()
    assert not bad.ok and bad.bad_seq == 3

    log.write_text("".join(lines[:-1]))
    bad = gov.verify_log()
    assert not bad.ok and "cut off" in bad.problem

    log.write_text(original)
    assert gov.verify_log().ok


def test_appends_from_many_writers_keep_one_chain(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    g = Governance(tmp_path / "gov")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: g.log("u", "analyst", None, "query", str(i), 1), range(80)))
    result = g.verify_log()
    assert result.ok and result.entries == 80


def _rewrite_chain(gov: Governance, keep: list[dict[str, object]]) -> None:
    """What an attacker with write access to the data directory (not the key) can do."""
    from stpkit.chain import GENESIS, digest

    prev, lines = GENESIS, []
    for seq, entry in enumerate(keep, start=1):
        body = {k: v for k, v in entry.items() if k not in {"prev", "hash"}}
        body["seq"] = seq
        h = digest(body, prev)
        lines.append(json.dumps({**body, "prev": prev, "hash": h}, sort_keys=True) + "\n")
        prev = h
    (gov.root / "audit.jsonl").write_text("".join(lines))
    old_signature = (gov.root / "audit.head").read_text().split()[2]
    (gov.root / "audit.head").write_text(f"{len(keep)} {prev} {old_signature}\n")


def test_deleting_a_refusal_and_recomputing_the_chain_is_detected(tmp_path: Path) -> None:
    gov = Governance(tmp_path / "data" / "gov", anchor_key_file=tmp_path / "keys" / "anchor.key")
    gov.request(purpose(), user="ana", role="analyst")
    with pytest.raises(AccessRefused):
        gov.authorise(
            user="eve", role="analyst", purpose_key="frailty-study", tables=("person",), what="x"
        )
    gov.log("ana", "analyst", "frailty-study", "query", "q", 3)
    assert gov.verify_log().ok
    entries = [json.loads(line) for line in (gov.root / "audit.jsonl").read_text().splitlines()]
    assert any(e["action"] == "refused" for e in entries)
    _rewrite_chain(gov, [e for e in entries if e["action"] != "refused"])
    bad = gov.verify_log()
    assert not bad.ok and "signature" in bad.problem


def test_truncating_the_log_and_rewriting_its_head_is_detected(tmp_path: Path) -> None:
    gov = Governance(tmp_path / "data" / "gov", anchor_key_file=tmp_path / "keys" / "anchor.key")
    for i in range(4):
        gov.log("ana", "analyst", None, "query", f"q{i}", i)
    lines = (gov.root / "audit.jsonl").read_text().splitlines(keepends=True)
    (gov.root / "audit.jsonl").write_text("".join(lines[:2]))
    last = json.loads(lines[1])
    (gov.root / "audit.head").write_text(f"2 {last['hash']}\n")  # unsigned, as before
    bad = gov.verify_log()
    assert not bad.ok and "signature" in bad.problem


def test_a_witness_catches_an_older_signed_head_put_back(tmp_path: Path) -> None:
    gov = Governance(
        tmp_path / "data" / "gov",
        anchor_key_file=tmp_path / "keys" / "anchor.key",
        witness_file=tmp_path / "elsewhere" / "witness.jsonl",
    )
    gov.log("ana", "analyst", None, "query", "q0", 1)
    gov.log("ana", "analyst", None, "query", "q1", 1)
    log_then = (gov.root / "audit.jsonl").read_text()
    head_then = (gov.root / "audit.head").read_text()
    gov.log("ana", "analyst", None, "refused", "the entry to hide", 0)
    assert gov.verify_log().ok
    (gov.root / "audit.jsonl").write_text(log_then)
    (gov.root / "audit.head").write_text(head_then)
    bad = gov.verify_log()
    assert not bad.ok and "witness saw 3" in bad.problem


def test_the_anchor_key_may_not_live_in_the_data_directory(tmp_path: Path) -> None:
    gov = Governance(tmp_path / "gov", anchor_key_file=tmp_path / "gov" / "anchor.key")
    with pytest.raises(GovernanceError, match="outside the data directory"):
        gov.log("ana", "analyst", None, "query", "q", 1)
