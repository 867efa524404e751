"""The root of every stpkit exception family.

Each engine defines its own subclass so callers can catch one engine's failures; every
message says what was wrong and where (file, row, field) so that a user can act on it.
"""


class StpkitError(Exception):
    """Base class for errors a user can act on (bad input, unknown code, missing key)."""
