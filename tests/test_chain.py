"""Anchored hash chains: rewrites by someone without the key, truncation and rollback are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from stpkit.chain import (
    GENESIS,
    AnchorKey,
    ChainError,
    Head,
    Link,
    Witness,
    digest,
    verify_anchored,
    verify_links,
)

SCOPE = "test-log"


def build(bodies: list[dict[str, object]]) -> list[Link]:
    links, prev = [], GENESIS
    for seq, body in enumerate(bodies, start=1):
        full = {**body, "seq": seq}
        h = digest(full, prev)
        links.append(Link(seq, full, prev, h))
        prev = h
    return links


def entries(n: int) -> list[dict[str, object]]:
    return [{"user": f"u{i}", "action": "refused" if i % 3 == 0 else "query"} for i in range(n)]


@pytest.fixture
def key(tmp_path: Path) -> AnchorKey:
    return AnchorKey.load_or_create(tmp_path / "keys" / "anchor.key")


def test_intact_signed_chain_verifies(key: AnchorKey, tmp_path: Path) -> None:
    links = build(entries(6))
    head = key.signed(6, links[-1].hash, SCOPE)
    witness = Witness(tmp_path / "witness.jsonl")
    witness.record(key.signed(3, links[2].hash, SCOPE), SCOPE)
    verdict = verify_anchored(links, head, scope=SCOPE, key=key, witness=witness)
    assert verdict.ok and verdict.entries == 6


def test_edit_is_caught_without_any_key() -> None:
    links = build(entries(4))
    tampered = [
        *links[:2],
        Link(3, {**links[2].body, "user": "someone else"}, links[2].prev, links[2].hash),
        links[3],
    ]
    verdict = verify_links(tampered)
    assert not verdict.ok and verdict.bad_seq == 3 and "changed" in verdict.problem


def test_deleting_a_refusal_and_recomputing_is_caught_by_the_signature(key: AnchorKey) -> None:
    original = entries(6)
    head = key.signed(6, build(original)[-1].hash, SCOPE)
    without_refusal = [e for e in original if e["action"] != "refused" or e["user"] != "u3"]
    rebuilt = build(without_refusal)
    forged = Head(
        len(rebuilt), rebuilt[-1].hash, head.signature
    )  # the attacker keeps the old signature
    verdict = verify_anchored(rebuilt, forged, scope=SCOPE, key=key)
    assert not verdict.ok and "signature" in verdict.problem
    # a self-made key does not help the attacker either
    other = AnchorKey(b"x" * 32)
    resigned = other.signed(len(rebuilt), rebuilt[-1].hash, SCOPE)
    assert not verify_anchored(rebuilt, resigned, scope=SCOPE, key=key).ok


def test_truncation_with_rewritten_unsigned_head_is_caught(key: AnchorKey) -> None:
    links = build(entries(5))
    cut = links[:3]
    verdict = verify_anchored(cut, Head(3, cut[-1].hash), scope=SCOPE, key=key)
    assert not verdict.ok and "signature" in verdict.problem


def test_rollback_to_an_older_signed_head_is_caught_by_the_witness(
    key: AnchorKey, tmp_path: Path
) -> None:
    links = build(entries(5))
    witness = Witness(tmp_path / "elsewhere" / "witness.jsonl")
    old_head = key.signed(3, links[2].hash, SCOPE)
    witness.record(old_head, SCOPE)
    witness.record(key.signed(5, links[4].hash, SCOPE), SCOPE)
    verdict = verify_anchored(links[:3], old_head, scope=SCOPE, key=key, witness=witness)
    assert not verdict.ok and "witness saw 5" in verdict.problem
    assert verify_anchored(
        links[:3], old_head, scope=SCOPE, key=key
    ).ok  # without the witness it would pass


def test_head_must_match_the_chain(key: AnchorKey) -> None:
    links = build(entries(3))
    verdict = verify_anchored(links, key.signed(2, links[1].hash, SCOPE), scope=SCOPE, key=key)
    assert not verdict.ok and "cut off" in verdict.problem


def test_signatures_are_scoped(key: AnchorKey) -> None:
    links = build(entries(2))
    head = key.signed(2, links[-1].hash, "another-log")
    assert not verify_anchored(links, head, scope=SCOPE, key=key).ok


def test_key_inside_the_data_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ChainError, match="outside the data directory"):
        AnchorKey.load_or_create(
            tmp_path / "data" / "anchor.key", forbidden_dirs=[tmp_path / "data"]
        )


def test_key_file_is_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "k" / "anchor.key"
    first = AnchorKey.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert AnchorKey.load_or_create(path).sign(1, "a", SCOPE) == first.sign(1, "a", SCOPE)
    path.write_text("not hex\n")
    with pytest.raises(ChainError, match="not an anchor key"):
        AnchorKey.load_or_create(path)


def test_head_line_round_trips() -> None:
    head = Head(7, "ab" * 32, "cd" * 32)
    assert Head.parse(head.line()) == head
    assert Head.parse("3 " + "0" * 64) == Head(3, "0" * 64)
    with pytest.raises(ChainError):
        Head.parse("garbage")
