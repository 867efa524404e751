"""Which registered person a record is: the posterior over its candidates, one person each.

Splink's match probability is that of one pair against all others: its prior is the chance
that two records drawn at random match. Linking to a registry (a master patient index)
asks another question: which one of the registered people, if any, is this record's
person? Each record is one person, who is registered or not. With pi the share of records
whose person is registered and N registered people, the posterior that record r is
candidate j, given every candidate's Bayes factor BF, is

    P(j | r) = (pi / N) BF_j / ((pi / N) sum_k BF_k + (1 - pi))

(a candidate not scored, found by no blocking rule, adds almost nothing to the sum). Two
things follow that the pairwise probability misses: a record whose every other candidate
is far less likely gains (the alternative is only "not registered", with prior 1 - pi,
rather than "anyone else"), and a record with two good candidates loses (two equally
likely people share the posterior, so neither is linked). pi is estimated from the data
without labels, by expectation maximisation over the records: pi is the mean over records
of the posterior that they have a registered match, iterated to its fixed point (capped
at PI_MAX, so that a lone weak candidate is never certain).
"""

from __future__ import annotations

import math
from typing import Any

from stpkit.kid.pipeline.linkage.sql import rows

PI_MAX = 0.999  # the share of records with a registered person is never taken as 1
PI_START = 0.9
ITERATIONS = 100


def _scale(prior: float, registered: int) -> float:
    """(pi / N) BF = pi * scale * odds, with odds = 2 ** match_weight: Splink's weight
    carries its pairwise `prior`, the posterior 1 / N of a registry of N people."""
    prior = min(max(prior, 1e-300), 0.5)
    return (1 - prior) / (prior * max(registered, 1))


def largest_gain(prior: float, registered: int) -> float:
    """The most match weight (bits) the posterior can add to a lone candidate's pairwise
    weight: pairs further below a threshold than this can never reach it."""
    return max(0.0, math.log2(_scale(prior, registered) * PI_MAX / (1 - PI_MAX)))


def reach(con: Any, model: dict[str, Any] | None) -> float:
    """`largest_gain` for `model` over the registry in `linkage_registry`: how far below a
    threshold a pair may score and still be linked, so every pass and backend that cuts
    pairs early keeps the same ones."""
    registered = int(rows(con, "SELECT count(*) FROM linkage_registry")[0][0])
    return largest_gain(model_prior(model, registered), registered)


def model_prior(model: dict[str, Any] | None, registered: int) -> float:
    """The pairwise prior of a trained model (one match per record if there is none)."""
    prior = float((model or {}).get("probability_two_random_records_match") or 0.0)
    return prior if prior > 0 else 1.0 / max(registered, 1)


def estimate_pi(sums: Any, records: int, scale: float) -> float:
    """The fixed point of pi = mean(c S / (c S + 1 - pi)), c = scale * pi, over `records`
    records (those with no candidate have S = 0); `sums` holds each record's sum of odds."""
    import numpy as np

    s = np.asarray(sums, dtype=float)
    pi = PI_START
    for _ in range(ITERATIONS):
        c = scale * pi
        new = float(np.sum(c * s / (c * s + 1 - pi))) / max(records, 1)
        new = min(PI_MAX, max(new, 1e-6))
        if abs(new - pi) < 1e-7:
            return new
        pi = new
    return pi


def registry_posterior(
    con: Any,
    candidates: str,
    prior: float,
    registered: int,
    records: int,
    out: str = "__registry_posterior",
) -> float:
    """Create `out`: the rows of `candidates` (record_id, match_weight: Splink's weight
    with its pairwise `prior`, any other columns) with their `posterior`, over a registry of
    `registered` people and a feed of `records`; returns the estimated pi."""
    sums = rows(
        con,
        f"SELECT sum(pow(2.0, match_weight)) FROM {candidates} GROUP BY record_id",
    )
    scale = _scale(prior, registered)
    pi = estimate_pi([s[0] for s in sums], records, scale)
    c = scale * pi
    rows(
        con,
        f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT *, "
        f"{c!r} * pow(2.0, match_weight) / ({c!r} * sum(pow(2.0, match_weight)) OVER "
        f"(PARTITION BY record_id) + {1 - pi!r}) AS posterior FROM {candidates}",
    )
    return pi
