"""The integrated dataset's exception family: every failure a user can act on."""

from __future__ import annotations

from stpkit.errors import StpkitError


class KidError(StpkitError):
    """Base class for integrated-dataset errors."""


class ContractError(KidError):
    """An extract does not follow its declared data contract (file, row, field, why)."""


class PseudonymKeyError(KidError):
    """The pseudonym key is missing, unreadable, too short or inside the data directory."""


class StoreError(KidError):
    """The store is missing, incomplete or cannot be replaced."""
