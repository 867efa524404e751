"""The stroke engine's exception family."""

from __future__ import annotations

from stpkit.errors import StpkitError


class StrokeError(StpkitError):
    """Bad input to the stroke model (unknown site or region, impossible settings)."""


class UnknownSiteError(StrokeError):
    """A site that is not a candidate of the region; the message lists the valid ones."""

    def __init__(self, site: str, valid: list[str], region: str) -> None:
        super().__init__(f"Unknown site {site!r} for {region}. Valid sites: {', '.join(valid)}")
        self.site = site
        self.valid = valid


class InfeasibleError(StrokeError):
    """An optimisation problem that has no solution; the message says why."""
