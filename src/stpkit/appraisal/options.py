"""Options: a named set of metric values, optionally with the members (sites) it is made of.

An option knows nothing about stroke: the stroke engine turns a configuration of units into
an `Option` whose metrics are travel times, volumes and outcomes; a service-change workflow
can build options by hand from any figures it has.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from stpkit.appraisal.errors import AppraisalError


@dataclass(frozen=True)
class Option:
    """One option of a long or short list.

    `members` are the things the option is made of (e.g. the hospitals that host a HASU);
    `origin` says where it came from ("long list" for a generated subset, "explicit" for an
    option a person named because of judgements no model computes).
    """

    name: str
    metrics: Mapping[str, float]
    members: tuple[str, ...] = ()
    origin: str = "long list"
    notes: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    def metric(self, key: str) -> float:
        try:
            return float(self.metrics[key])
        except KeyError:
            raise AppraisalError(
                f"Option {self.name!r} has no metric {key!r}; it has: "
                f"{', '.join(sorted(self.metrics))}"
            ) from None


def check_unique_names(options: list[Option]) -> None:
    """Names identify options in every table and chart, so they must be unique."""
    seen: set[str] = set()
    for o in options:
        if o.name in seen:
            raise AppraisalError(f"Two options are named {o.name!r}; option names must be unique")
        seen.add(o.name)


def finite(value: float) -> bool:
    return not (math.isnan(value) or math.isinf(value))
