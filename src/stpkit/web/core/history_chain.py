"""The web change history as a hash chain with a signed head, verified like the audit log.

Every `ChangeRecord` written by `record_change` takes the next sequence number, the hash
of the record before it and its own hash (SHA-256 over its fields, `stpkit.chain`), inside
the transaction that holds the head row locked, so concurrent writers form one chain. The
head is signed with the anchor key held outside the data directory and, where a witness
file is configured, recorded there. Someone with write access to the database can change
a record, delete one or cut the chain; `verify` finds each (records written before the
chain existed are counted but cannot be checked).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from stpkit.chain import (
    GENESIS,
    Head,
    Link,
    PrintedWitness,
    Verdict,
    configured_key,
    configured_witness,
    digest,
    verify_anchored,
)
from stpkit.web.core.models import ChangeChainHead, ChangeRecord

SCOPE = "web-change-history"


def body(record: ChangeRecord) -> dict[str, Any]:
    """What the hash covers: everything a reader of the history relies on."""
    at = record.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return {
        "seq": record.seq,
        "content_type": f"{record.content_type.app_label}.{record.content_type.model}",
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "action": record.action,
        "changes": record.changes,
        "user": record.user_name,
        "reason": record.reason,
        "at": at,
    }


def append(record: ChangeRecord) -> None:
    """Chain a just-created record (call inside the transaction that created it)."""
    head, _ = ChangeChainHead.objects.select_for_update().get_or_create(pk=1)
    # Hash what the database gives back (a JSON column may normalise numbers), so that
    # verification, which reads it back the same way, recomputes the same hash.
    stored = ChangeRecord.objects.select_related("content_type").get(pk=record.pk)
    stored.seq = head.seq + 1
    digest_ = digest(body(stored), head.hash)
    ChangeRecord.objects.filter(pk=record.pk).update(
        seq=stored.seq, prev_hash=head.hash, hash=digest_
    )
    record.seq, record.prev_hash, record.hash = stored.seq, head.hash, digest_
    signed = configured_key().signed(record.seq, record.hash, SCOPE)
    head.seq, head.hash, head.signature = signed.seq, signed.hash, signed.signature
    head.save()
    witness = configured_witness()
    if witness is not None:
        witness.record(signed, SCOPE)


@dataclass(frozen=True)
class HistoryVerdict:
    verdict: Verdict
    unchained: int  # records written before the chain existed


def _links() -> Iterator[Link]:
    records = (
        ChangeRecord.objects.filter(seq__isnull=False)
        .select_related("content_type")
        .order_by("seq")
        .iterator(chunk_size=2000)
    )
    for record in records:
        assert record.seq is not None
        yield Link(record.seq, body(record), record.prev_hash, record.hash)


def signed_head() -> Head:
    """The change history's signed head (what a board paper prints as its witness)."""
    row = ChangeChainHead.objects.filter(pk=1).first()
    return Head(row.seq, row.hash, row.signature) if row else Head(0, GENESIS)


def verify(paper: PrintedWitness | None = None) -> HistoryVerdict:
    """Recompute the chain, check its signed head and the witness (and the heads printed
    in a circulated paper, if given)."""
    head = signed_head()
    verdict = verify_anchored(
        _links(), head, scope=SCOPE, key=configured_key(), witness=configured_witness()
    )
    if verdict.ok and paper is not None:
        verdict = verify_anchored(_links(), head, scope=SCOPE, key=None, witness=paper)
    return HistoryVerdict(verdict, ChangeRecord.objects.filter(seq__isnull=True).count())
