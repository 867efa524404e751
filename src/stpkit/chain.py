"""Hash chains whose head is signed with a key held outside the data they protect.

An append-only record (the integrated dataset's audit log, the web app's change history)
is a chain: every entry carries the SHA-256 of its body and of the entry before it, so
changing, inserting or removing an entry breaks every hash after it. A chain alone does
not stop someone who can write the data directory: they can delete an entry and recompute
every hash, or cut entries off the end and rewrite the head. Two anchors close that:

- the head (number of entries and last hash) is signed with HMAC-SHA256 under an *anchor
  key* kept outside the data directory (as the pseudonymisation key is): recomputing or
  truncating the chain needs a new signature, which needs the key;
- each signed head can be written to a *witness*, an append-only file elsewhere (another
  disk, host or the board papers): putting back an older, validly signed head (a rollback)
  leaves the witness ahead of the chain, which verification reports.

This module is framework-free: the log files and the Django change history both use it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from stpkit.settings import load_settings

GENESIS = "0" * 64
KEY_BYTES = 32


class ChainError(RuntimeError):
    """The anchor key or witness cannot be used (which file, and why)."""


def digest(body: Mapping[str, Any], prev: str) -> str:
    """SHA-256 of the body and the previous hash, over canonical JSON (sorted keys)."""
    canonical = json.dumps(
        {**body, "prev": prev}, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    """One entry as the chain sees it: its number, body, and the hashes it carries."""

    seq: int
    body: Mapping[str, Any]
    prev: str
    hash: str


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    signature: str = ""

    def line(self) -> str:
        return f"{self.seq} {self.hash} {self.signature}".rstrip() + "\n"

    @classmethod
    def parse(cls, text: str) -> Head:
        parts = text.split()
        if len(parts) not in (2, 3):
            raise ChainError(f"a chain head is 'seq hash [signature]', not {text.strip()!r}")
        return cls(int(parts[0]), parts[1], parts[2] if len(parts) == 3 else "")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    head: str
    problem: str = ""
    bad_seq: int | None = None


def verify_links(links: Iterable[Link]) -> Verdict:
    """Recompute the chain; the first entry that does not fit is reported."""
    prev, seq = GENESIS, 0
    for link in links:
        seq += 1
        if link.seq != seq:
            return Verdict(
                False,
                seq - 1,
                prev,
                f"entry {seq} is numbered {link.seq}: entries were removed or reordered",
                seq,
            )
        if link.prev != prev:
            return Verdict(
                False, seq - 1, prev, f"entry {seq} does not follow entry {seq - 1}", seq
            )
        if digest(link.body, prev) != link.hash:
            return Verdict(
                False, seq - 1, prev, f"entry {seq} was changed after it was written", seq
            )
        prev = link.hash
    return Verdict(True, seq, prev)


class AnchorKey:
    """The HMAC key that signs chain heads; it must live outside the data it protects."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ChainError("an anchor key needs at least 16 bytes")
        self._key = key

    @classmethod
    def load_or_create(cls, path: Path, *, forbidden_dirs: Iterable[Path] = ()) -> AnchorKey:
        """Read the key file, creating it (mode 600) on first use; refuse one inside the data."""
        path = Path(path).expanduser().resolve()
        for forbidden in forbidden_dirs:
            root = Path(forbidden).resolve()
            if path == root or root in path.parents:
                raise ChainError(
                    f"the anchor key {path} is inside {root}: someone who can rewrite the "
                    "log could then re-sign it; keep the key outside the data directory "
                    "(STPKIT_ANCHOR_KEY_FILE)"
                )
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first: read theirs
            else:
                with os.fdopen(fd, "w", encoding="ascii") as fh:
                    fh.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            return cls(bytes.fromhex(path.read_text(encoding="ascii").strip()))
        except ValueError as exc:
            raise ChainError(f"{path}: not an anchor key (expected hex digits)") from exc

    def sign(self, seq: int, head_hash: str, scope: str) -> str:
        message = f"{scope}\n{seq}\n{head_hash}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def signed(self, seq: int, head_hash: str, scope: str) -> Head:
        return Head(seq, head_hash, self.sign(seq, head_hash, scope))

    def check(self, head: Head, scope: str) -> bool:
        if not head.signature:
            return False
        return hmac.compare_digest(head.signature, self.sign(head.seq, head.hash, scope))


@dataclass(frozen=True)
class Witness:
    """An append-only file of signed heads kept away from the data directory."""

    path: Path

    def record(self, head: Head, scope: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "scope": scope,
                "seq": head.seq,
                "hash": head.hash,
                "signature": head.signature,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            sort_keys=True,
        )
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def anchors(self, scope: str) -> list[Head]:
        if not self.path.exists():
            return []
        out = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise ChainError(f"{self.path}, line {number}: not a witness record") from exc
            if data.get("scope") == scope:
                out.append(Head(int(data["seq"]), str(data["hash"]), str(data["signature"])))
        return out


def configured_key(path: Path | None = None, *, forbidden_dirs: Iterable[Path] = ()) -> AnchorKey:
    """The anchor key named by `path` or STPKIT_ANCHOR_KEY_FILE, never inside the data
    directory (nor inside `forbidden_dirs`)."""
    settings = load_settings()
    return AnchorKey.load_or_create(
        path or settings.anchor_key_file, forbidden_dirs=(*forbidden_dirs, settings.data_dir)
    )


def configured_witness(path: Path | None = None) -> Witness | None:
    """The witness file named by `path` or STPKIT_AUDIT_WITNESS; None when neither is set."""
    path = path or load_settings().audit_witness_file
    return Witness(path) if path is not None else None


class AnchorSource(Protocol):
    """Where earlier signed heads were kept: a witness file, or a printed paper."""

    def anchors(self, scope: str) -> list[Head]: ...


def verify_anchored(
    links: Iterable[Link],
    head: Head,
    *,
    scope: str,
    key: AnchorKey | None,
    witness: AnchorSource | None = None,
) -> Verdict:
    """The chain recomputes, its head matches the last entry, is signed, and the witness agrees."""
    hashes: dict[int, str] = {}

    def remember(items: Iterable[Link]) -> Iterable[Link]:
        for link in items:
            hashes[link.seq] = link.hash
            yield link

    verdict = verify_links(remember(links))
    if not verdict.ok:
        return verdict
    seq, last = verdict.entries, verdict.head
    if (head.seq, head.hash) != (seq, last):
        return Verdict(
            False,
            seq,
            last,
            f"the head records {head.seq} entries ending {head.hash[:12]} but the chain has "
            f"{seq} ending {last[:12]}: entries were cut off or added without the head",
            seq + 1,
        )
    if key is not None and seq and not key.check(head, scope):
        return Verdict(
            False,
            seq,
            last,
            "the head's signature does not match the anchor key: the chain was rewritten "
            "by someone without the key (or the key was replaced)",
            None,
        )
    if witness is not None:
        for anchor in witness.anchors(scope):
            if anchor.seq > seq:
                return Verdict(
                    False,
                    seq,
                    last,
                    f"the witness saw {anchor.seq} entries but the chain has {seq}: "
                    "entries were cut off and an older head put back",
                    seq + 1,
                )
            if hashes.get(anchor.seq) != anchor.hash:
                return Verdict(
                    False,
                    seq,
                    last,
                    f"entry {anchor.seq} no longer has the hash the witness recorded: "
                    "the chain was rewritten",
                    anchor.seq,
                )
    return Verdict(True, seq, last)


PRINTED_PREFIX = "Witness"


def printed(head: Head, scope: str) -> str:
    """A head as one line to print in a paper (the board update): scope, number of entries
    and last hash, short enough not to wrap on a page. A later rewrite of the chain is
    noticed by checking the chain against the circulated paper (`PrintedWitness`)."""
    return f"{PRINTED_PREFIX} {scope} {head.seq} {head.hash}"


@dataclass(frozen=True)
class PrintedWitness:
    """Signed heads read back from the lines `printed` wrote (other text is skipped), used
    as a witness by `verify_anchored`: the chain must still hold each printed entry with
    the printed hash."""

    text: str

    def anchors(self, scope: str) -> list[Head]:
        out = []
        for line in self.text.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[0] == PRINTED_PREFIX and parts[1] == scope:
                try:
                    out.append(Head(int(parts[2]), parts[3]))
                except ValueError as exc:
                    raise ChainError(f"not a printed chain head: {line.strip()!r}") from exc
        return out
