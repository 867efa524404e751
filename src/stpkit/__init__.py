"""stpkit: a platform for NHS partnerships."""

__version__ = "0.1.0"
