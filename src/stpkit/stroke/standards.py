"""Access standards stated plainly per option.

The Kent and Medway review published "95% of patients reach a HASU within 45 minutes" as
the access standard for its short list; the printed tables say for each option whether it
is met, with the share, so a reader does not have to compare decimals.
"""

from __future__ import annotations

from collections.abc import Mapping

ACCESS_SHARE = 0.95
ACCESS_MINUTES = 45


def meets_access_standard(metrics: Mapping[str, float]) -> bool:
    """Whether at least 95% of resident admissions reach a unit within 45 minutes."""
    return float(metrics[f"share_within_{ACCESS_MINUTES}"]) >= ACCESS_SHARE - 1e-12


def access_statement(metrics: Mapping[str, float]) -> str:
    """'Yes: 97.3% within 45 min' or 'No: 89.2% within 45 min'."""
    share = float(metrics[f"share_within_{ACCESS_MINUTES}"])
    verdict = "Yes" if meets_access_standard(metrics) else "No"
    return f"{verdict}: {share:.1%} within {ACCESS_MINUTES} min"


__all__ = ["ACCESS_MINUTES", "ACCESS_SHARE", "access_statement", "meets_access_standard"]
