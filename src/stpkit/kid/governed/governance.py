"""Who may read the integrated dataset, for what, and the tamper-evident record of every use.

A *purpose* is an approved reason to use the pseudonymised store: it has an owner, the
people who work under it, an expiry date, the tables it may read, the disclosure policy its
aggregates are released under, and whether person-level extracts are allowed. Analysts
request purposes; only the data controller approves or revokes them.

Every query, export, refusal and approval is appended to the *audit log*: one JSON object a
line, each carrying the SHA-256 hash of the previous entry and its own hash, so that changing,
inserting or removing any entry breaks the chain. A separate head file records the last
sequence number and hash, so cutting entries off the end is detected too. `verify_log`
walks the chain (`stpkit kid governance verify-log`). Someone who can write the data
directory could still recompute the chain or cut it and rewrite the head, so the head is
signed with an anchor key held outside the data directory (`STPKIT_ANCHOR_KEY_FILE`), and
each signed head can also go to a witness file elsewhere (`STPKIT_AUDIT_WITNESS`), which
catches an older signed head put back (see `stpkit.chain`).

Both live in a governance directory inside the data directory; the engine stores plain
files so the web app, the CLI and a notebook share one truth without Django.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from stpkit.chain import (
    AnchorKey,
    ChainError,
    Head,
    Link,
    PrintedWitness,
    Witness,
    configured_key,
    configured_witness,
    digest,
    verify_anchored,
)
from stpkit.disclosure import POLICIES
from stpkit.kid.errors import KidError

DATA_CONTROLLER = "data_controller"
# The tables of the pseudonymised store a purpose may be granted.
STORE_TABLES = ("person", "activity", "condition")
GENESIS = "0" * 64


class GovernanceError(KidError):
    """A purpose or the audit log cannot be used as asked (which purpose, which entry, why)."""


class AccessRefused(GovernanceError):
    """A request falls outside the user's approved purposes; it has been logged."""


@dataclass(frozen=True)
class Purpose:
    """An approved (or requested) reason to use the store."""

    key: str
    title: str
    owner: str
    expires: date
    tables: tuple[str, ...]
    disclosure_policy: str = "opensafely"
    person_level_extracts: bool = False
    members: tuple[str, ...] = ()
    description: str = ""
    status: str = "requested"  # requested | approved | revoked
    decided_by: str | None = None
    decided_at: str | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", self.key):
            raise GovernanceError(
                f"Purpose key {self.key!r} must be 2-63 lower-case letters, digits or hyphens"
            )
        unknown = sorted(set(self.tables) - set(STORE_TABLES))
        if unknown or not self.tables:
            raise GovernanceError(
                f"Purpose {self.key!r}: tables {unknown or '(none)'} are not store tables; "
                f"choose from {', '.join(STORE_TABLES)}"
            )
        if self.disclosure_policy not in POLICIES:
            raise GovernanceError(
                f"Purpose {self.key!r}: unknown disclosure policy {self.disclosure_policy!r}; "
                f"choose one of {', '.join(POLICIES)}"
            )
        if self.status not in {"requested", "approved", "revoked"}:
            raise GovernanceError(f"Purpose {self.key!r}: unknown status {self.status!r}")

    def users(self) -> set[str]:
        return {self.owner, *self.members}

    def is_active(self, today: date) -> bool:
        return self.status == "approved" and today <= self.expires

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["expires"] = self.expires.isoformat()
        data["tables"] = list(self.tables)
        data["members"] = list(self.members)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Purpose:
        return cls(
            **{
                **data,
                "expires": date.fromisoformat(str(data["expires"])),
                "tables": tuple(data["tables"]),
                "members": tuple(data.get("members", ())),
            }
        )


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: str
    user: str
    role: str
    purpose: str | None
    action: str  # query | export | refused | request | approve | revoke | verify
    what: str
    rows: int
    prev: str
    hash: str

    @staticmethod
    def digest(body: Mapping[str, Any], prev: str) -> str:
        return digest(body, prev)


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    head: str
    problem: str = ""
    bad_seq: int | None = None


@dataclass
class Governance:
    """Purposes and the audit log under one directory (created on first use)."""

    root: Path
    anchor_key_file: Path | None = None  # None: STPKIT_ANCHOR_KEY_FILE or the default
    witness_file: Path | None = None  # None: STPKIT_AUDIT_WITNESS, if set
    _purposes_file: Path = field(init=False)
    _log_file: Path = field(init=False)
    _head_file: Path = field(init=False)

    SCOPE = "kid-audit-log"

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self._purposes_file = self.root / "purposes.json"
        self._log_file = self.root / "audit.jsonl"
        self._head_file = self.root / "audit.head"

    # -- purposes -----------------------------------------------------------------------
    def purposes(self) -> list[Purpose]:
        if not self._purposes_file.exists():
            return []
        try:
            raw = json.loads(self._purposes_file.read_text(encoding="utf-8"))
            return [Purpose.from_json(p) for p in raw]
        except (ValueError, KeyError, TypeError) as exc:
            raise GovernanceError(
                f"{self._purposes_file}: unreadable purposes file ({exc})"
            ) from exc

    def purpose(self, key: str) -> Purpose:
        for p in self.purposes():
            if p.key == key:
                return p
        raise GovernanceError(
            f"No purpose {key!r}; known: {', '.join(p.key for p in self.purposes()) or 'none'}"
        )

    def purposes_for(self, user: str, today: date) -> list[Purpose]:
        return [p for p in self.purposes() if user in p.users() and p.is_active(today)]

    def request(self, purpose: Purpose, *, user: str, role: str) -> Purpose:
        """Record a new purpose as requested (or update a requested one)."""
        with self._locked():
            existing = {p.key: p for p in self.purposes()}
            old = existing.get(purpose.key)
            if old is not None and old.status != "requested":
                raise GovernanceError(
                    f"Purpose {purpose.key!r} is {old.status}; request a new purpose instead"
                )
            new = replace(purpose, status="requested", decided_by=None, decided_at=None)
            existing[new.key] = new
            self._write_purposes(list(existing.values()))
            self._append(user, role, new.key, "request", f"request purpose {new.title!r}", 0)
        return new

    def decide(self, key: str, *, approve: bool, user: str, role: str) -> Purpose:
        """Approve or revoke a purpose: the data controller's decision, logged."""
        if role != DATA_CONTROLLER:
            self.log(user, role, key, "refused", "approve or revoke a purpose", 0)
            raise AccessRefused(f"Only the data controller decides purposes ({user} is {role})")
        with self._locked():
            existing = {p.key: p for p in self.purposes()}
            if key not in existing:
                raise GovernanceError(f"No purpose {key!r}")
            decided = replace(
                existing[key],
                status="approved" if approve else "revoked",
                decided_by=user,
                decided_at=_now(),
            )
            existing[key] = decided
            self._write_purposes(list(existing.values()))
            action = "approve" if approve else "revoke"
            self._append(user, role, key, action, f"{action} purpose {decided.title!r}", 0)
        return decided

    def authorise(
        self,
        *,
        user: str,
        role: str,
        purpose_key: str,
        tables: tuple[str, ...] | list[str],
        what: str,
        today: date | None = None,
        person_level: bool = False,
    ) -> Purpose:
        """The purpose if `user` may read `tables` under it today; refusals are logged."""
        today = today or datetime.now(UTC).date()
        try:
            purpose = self.purpose(purpose_key)
        except GovernanceError:
            self.log(user, role, purpose_key, "refused", f"{what} (unknown purpose)", 0)
            raise AccessRefused(f"No purpose {purpose_key!r}") from None
        reason = ""
        if user not in purpose.users():
            reason = f"{user} does not work under purpose {purpose_key!r}"
        elif purpose.status != "approved":
            reason = f"purpose {purpose_key!r} is {purpose.status}, not approved"
        elif today > purpose.expires:
            reason = f"purpose {purpose_key!r} expired on {purpose.expires.isoformat()}"
        elif not set(tables) <= set(purpose.tables):
            outside = sorted(set(tables) - set(purpose.tables))
            reason = f"purpose {purpose_key!r} does not allow table(s) {', '.join(outside)}"
        elif person_level and not purpose.person_level_extracts:
            reason = f"purpose {purpose_key!r} does not allow person-level extracts"
        if reason:
            self.log(user, role, purpose_key, "refused", f"{what}: {reason}", 0)
            raise AccessRefused(f"Refused: {reason}")
        return purpose

    def _write_purposes(self, purposes: list[Purpose]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self._purposes_file.with_suffix(".tmp")
        data = [p.to_json() for p in sorted(purposes, key=lambda p: p.key)]
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        os.replace(tmp, self._purposes_file)

    # -- audit log ----------------------------------------------------------------------
    def log(
        self, user: str, role: str, purpose: str | None, action: str, what: str, rows: int
    ) -> LogEntry:
        """Append one entry to the hash chain (safe across processes)."""
        with self._locked():
            return self._append(user, role, purpose, action, what, rows)

    def entries(self) -> list[LogEntry]:
        if not self._log_file.exists():
            return []
        out = []
        with self._log_file.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                try:
                    out.append(LogEntry(**json.loads(line)))
                except (ValueError, TypeError) as exc:
                    raise GovernanceError(
                        f"{self._log_file}, line {number}: not a log entry ({exc})"
                    ) from exc
        return out

    def head(self) -> tuple[int, str]:
        signed = self.signed_head()
        return signed.seq, signed.hash

    def signed_head(self) -> Head:
        if not self._head_file.exists():
            return Head(0, GENESIS)
        return Head.parse(self._head_file.read_text(encoding="utf-8"))

    def _anchor_key(self) -> AnchorKey:
        try:
            return configured_key(self.anchor_key_file, forbidden_dirs=(self.root,))
        except ChainError as exc:
            raise GovernanceError(str(exc)) from exc

    def _witness(self) -> Witness | None:
        return configured_witness(self.witness_file)

    def verify_log(self, paper: PrintedWitness | None = None) -> Verification:
        """Recompute the chain, check the signed head and the witness (and the heads
        printed in a circulated paper, if given); report what is wrong."""
        try:
            entries = self.entries()
            head = self.signed_head()
        except (GovernanceError, ChainError, ValueError) as exc:
            return Verification(False, 0, GENESIS, str(exc))
        links = [
            Link(
                e.seq,
                {k: v for k, v in asdict(e).items() if k not in {"prev", "hash"}},
                e.prev,
                e.hash,
            )
            for e in entries
        ]
        verdict = verify_anchored(
            links, head, scope=self.SCOPE, key=self._anchor_key(), witness=self._witness()
        )
        if verdict.ok and paper is not None:
            try:
                verdict = verify_anchored(links, head, scope=self.SCOPE, key=None, witness=paper)
            except ChainError as exc:
                return Verification(False, verdict.entries, verdict.head, str(exc))
        return Verification(
            verdict.ok, verdict.entries, verdict.head, verdict.problem, verdict.bad_seq
        )

    def _append(
        self, user: str, role: str, purpose: str | None, action: str, what: str, rows: int
    ) -> LogEntry:
        self.root.mkdir(parents=True, exist_ok=True)
        seq, prev = self.head()
        body = {
            "seq": seq + 1,
            "at": _now(),
            "user": user,
            "role": role,
            "purpose": purpose,
            "action": action,
            "what": what,
            "rows": int(rows),
        }
        entry = LogEntry(**body, prev=prev, hash=LogEntry.digest(body, prev))  # type: ignore[arg-type]
        with self._log_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(entry), sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        head = self._anchor_key().signed(entry.seq, entry.hash, self.SCOPE)
        tmp = self._head_file.with_suffix(".tmp")
        tmp.write_text(head.line(), encoding="utf-8")
        os.replace(tmp, self._head_file)
        witness = self._witness()
        if witness is not None:
            witness.record(head, self.SCOPE)
        return entry

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def governance_dir(data_dir: Path) -> Path:
    """Where the governance files live inside a data directory."""
    return Path(data_dir) / "kid" / "governance"
