"""Sensitivity of the preferred option to the weights.

- one-at-a-time: sweep one criterion's share of the weight from 0 to 1 (others keep their
  proportions) and record the preferred option along the way;
- Monte Carlo: draw weight vectors from a Dirichlet distribution centred on the stated
  weights and count how often each option ranks first (and its mean rank);
- switching values: for each criterion, the exact weight shares at which the preferred
  option changes (the total of each option is linear in that share, so the crossings
  are solved, not searched); `pairwise_switching` does the same for every pair of options.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stpkit.appraisal.evaluation import Evaluation


def _reweighted(w: np.ndarray, k: int, share: float) -> np.ndarray:
    """Weights with criterion k at `share`, the others scaled to keep their proportions."""
    rest = 1.0 - w[k]
    out = np.full_like(w, 0.0) if rest <= 0 else w * (1.0 - share) / rest
    if rest <= 0:
        out[:] = (1.0 - share) / max(len(w) - 1, 1)
    out[k] = share
    return out


@dataclass(frozen=True)
class SweepPoint:
    criterion: str
    share: float
    preferred: str


def one_at_a_time(ev: Evaluation, steps: int = 21) -> list[SweepPoint]:
    out = []
    for k, c in enumerate(ev.criteria):
        for share in np.linspace(0.0, 1.0, steps):
            totals = ev.scores @ _reweighted(ev.weights, k, float(share))
            out.append(SweepPoint(c.name, float(share), ev.options[int(np.argmax(totals))].name))
    return out


@dataclass(frozen=True)
class SwitchingValue:
    """How far criterion `criterion`'s weight share must move for `to_option` to be preferred."""

    criterion: str
    current_share: float
    switch_share: float | None  # None: no share in [0, 1] changes the preferred option
    to_option: str | None
    change: float | None  # switch_share - current_share

    def describe(self) -> str:
        if self.switch_share is None:
            return f"{self.criterion}: no weight changes the preferred option"
        assert self.change is not None
        return (
            f"{self.criterion}: weight share {self.current_share:.1%} -> "
            f"{self.switch_share:.1%} ({self.change:+.1%}) makes {self.to_option} preferred"
        )


def switching_values(ev: Evaluation) -> list[SwitchingValue]:
    """The nearest weight share, per criterion, at which another option overtakes the leader."""
    best = int(np.argmax(ev.totals))
    out = []
    for k, c in enumerate(ev.criteria):
        w0 = float(ev.weights[k])
        # total_i(t) = a_i + b_i t: evaluate at t=0 and t=1 (linear in t)
        t0 = ev.scores @ _reweighted(ev.weights, k, 0.0)
        t1 = ev.scores @ _reweighted(ev.weights, k, 1.0)
        a, b = t0, t1 - t0
        nearest: tuple[float, int] | None = None
        for i in range(len(ev.options)):
            if i == best:
                continue
            db = b[i] - b[best]
            da = a[best] - a[i]
            if abs(db) < 1e-12:
                continue
            t = da / db  # where option i equals the leader
            # i overtakes for t > t* (rising) or t < t* (falling): there must be room for it
            if (db > 0 and not 0.0 <= t < 1.0) or (db < 0 and not 0.0 < t <= 1.0):
                continue
            # i overtakes only beyond t in the direction of its larger slope
            if (db > 0 and t < w0 - 1e-12) or (db < 0 and t > w0 + 1e-12):
                continue
            if nearest is None or abs(t - w0) < abs(nearest[0] - w0):
                nearest = (t, i)
        if nearest is None:
            out.append(SwitchingValue(c.name, w0, None, None, None))
        else:
            t, i = nearest
            out.append(SwitchingValue(c.name, w0, float(t), ev.options[i].name, float(t - w0)))
    return out


@dataclass(frozen=True)
class PairSwitch:
    """For two options and one criterion: the weight share at which their order swaps.

    `above` ranks above (or level with) `below` at the stated weights; `switch_share` is
    the share of the weight on `criterion` (the others keep their proportions) at which
    their totals are equal, beyond which `below` ranks above; None when no share in [0, 1]
    swaps them.
    """

    above: str
    below: str
    criterion: str
    current_share: float
    switch_share: float | None

    @property
    def change(self) -> float | None:
        return None if self.switch_share is None else self.switch_share - self.current_share

    def describe(self) -> str:
        if self.switch_share is None:
            return f"{self.above} stays above {self.below} at any weight on {self.criterion}"
        return (
            f"{self.below} overtakes {self.above} when {self.criterion} has "
            f"{self.switch_share:.1%} of the weight (now {self.current_share:.1%})"
        )


def pairwise_switching(ev: Evaluation) -> list[PairSwitch]:
    """Every pair of options and every criterion: the weight share that swaps the pair.

    Each total is linear in a criterion's share t (the others keep their proportions):
    total_i(t) = a_i + b_i t, so the pair swaps at t = (a_above - a_below) / (b_below -
    b_above) when that lies in [0, 1] on the side the lower option gains from.
    """
    order = [int(i) for i in np.argsort(-ev.totals, kind="stable")]
    out = []
    for k, c in enumerate(ev.criteria):
        w0 = float(ev.weights[k])
        t0 = ev.scores @ _reweighted(ev.weights, k, 0.0)
        b = ev.scores @ _reweighted(ev.weights, k, 1.0) - t0
        for x, hi in enumerate(order):
            for lo in order[x + 1 :]:
                db = b[lo] - b[hi]
                share: float | None = None
                if abs(db) > 1e-12:
                    t = float((t0[hi] - t0[lo]) / db)
                    # the lower option gains beyond t in the direction of its larger slope
                    if 0.0 <= t <= 1.0 and (
                        (db > 0 and t >= w0 - 1e-9) or (db < 0 and t <= w0 + 1e-9)
                    ):
                        share = t
                out.append(PairSwitch(ev.options[hi].name, ev.options[lo].name, c.name, w0, share))
    return out


@dataclass(frozen=True)
class MonteCarlo:
    draws: int
    first_share: dict[str, float]  # option -> share of draws in which it ranks first
    mean_rank: dict[str, float]
    rank_counts: dict[str, list[int]]  # option -> counts of rank 1..n

    def ranking(self) -> list[tuple[str, float, float]]:
        """Options by mean rank over the draws (then share first): (name, mean rank,
        share of draws first)."""
        return sorted(
            ((n, self.mean_rank[n], self.first_share[n]) for n in self.mean_rank),
            key=lambda r: (r[1], -r[2]),
        )

    @property
    def rank_stability(self) -> float:
        """Share of draws in which the stated preferred option stays first."""
        return max(self.first_share.values())


def monte_carlo(
    ev: Evaluation, draws: int = 2000, concentration: float = 50.0, seed: int = 0
) -> MonteCarlo:
    """Weights ~ Dirichlet(concentration x stated weights): larger concentration, less spread."""
    rng = np.random.default_rng(seed)
    alpha = np.maximum(ev.weights * concentration, 1e-3)
    w = rng.dirichlet(alpha, size=draws)
    totals = w @ ev.scores.T  # draws x options
    n = len(ev.options)
    # rank = 1 + number of options with a strictly higher total (ties share a rank)
    ranks = 1 + (totals[:, None, :] > totals[:, :, None] + 1e-9).sum(axis=2)  # draws x options
    rank_sum = ranks.sum(axis=0).astype(float)
    firsts = (ranks == 1).sum(axis=0).astype(float)
    counts = np.stack([np.bincount(ranks[:, i] - 1, minlength=n) for i in range(n)])
    names = [o.name for o in ev.options]
    return MonteCarlo(
        draws,
        {nm: float(firsts[i] / draws) for i, nm in enumerate(names)},
        {nm: float(rank_sum[i] / draws) for i, nm in enumerate(names)},
        {nm: [int(x) for x in counts[i]] for i, nm in enumerate(names)},
    )


def rank_stability(ev: Evaluation, mc: MonteCarlo) -> dict[str, float]:
    """Per option, the share of draws that keep its stated rank."""
    out = {}
    for i, o in enumerate(ev.options):
        out[o.name] = mc.rank_counts[o.name][int(ev.ranks[i]) - 1] / mc.draws
    return out
