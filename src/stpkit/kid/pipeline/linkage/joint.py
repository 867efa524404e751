"""Match weights for errors that come together, learned from pairs known to match.

Fellegi and Sunter's model, and Splink's, multiply each field's m probability (how often a
true match shows that level) as if a record's errors were independent. They are not: a
record keyed in a hurry has both names misspelt and the date of birth a few days out at
once, and the product of three small m probabilities understates how often a true match
looks like that by a factor of hundreds. Such a record, whose own person is the only
plausible candidate at its address, then falls below any sensible threshold at the scale of
a whole system's registry.

Where pairs known to match are at hand, the share of them showing each whole pattern of
comparison levels measures that directly. In a build they are the feed's records that carry
an NHS number valid in the registry, paired with that registered person (the issue's "NHS
number agreement used as training signal where present"); in the standalone linker, the
records whose identifier equals a registry identifier. The m probability of a pattern is
then the model's product times a ratio r. With n known matches showing the pattern where
the product expects e = N * m_product, r is the most probable value given a Poisson count
n with mean e * r and a normal prior on ln r centred on 0 (independence) with standard
deviation 1: where the known matches have plenty to say it is about n / e (both names and
the date of birth wrong together: seen hundreds of times more often than the product
says; a pattern the product expects often but the known matches never show, such as twins'
forenames, loses), and where they have little (e and n both small) r stays near 1. Each
known match can lift a pattern by at most about one nat (ln r <= n), so a few odd known
matches (a number keyed on the wrong person) cannot make a pattern decisive.
Counts are kept per set of fields present, as Splink leaves a null field out of the
weight. The u probabilities (and term-frequency adjustments) are untouched, so the
adjustment is log2(r) added to each pair's match weight, bounded by the pattern's own u:
however many known matches show a pattern, its m cannot pass n / N. The identifier's own
comparison, if any, is left out of the pattern: the known matches are chosen by it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stpkit.kid.pipeline.linkage.sql import rows

if TYPE_CHECKING:
    from stpkit.kid.pipeline.linkage.model import Fields

EM_WEIGHT = 100  # known matches the EM estimate of a level's m counts as, beside theirs
MIN_KNOWN = 1_000  # fewer known matches than this: too few to learn patterns from
MAX_KNOWN = 200_000  # a sample of more (a seeded hash of the pair) estimates the same


@dataclass(frozen=True)
class JointPatterns:
    """Known-match counts per comparison pattern, and the model's m per level."""

    gammas: tuple[str, ...]  # gamma column of each comparison in the pattern
    m: tuple[dict[int, float | None], ...]  # per comparison: level -> m (None: untrained)
    counts: dict[tuple[int, ...], int]  # pattern (null level -1) -> known matches
    known: int

    def ratio(self, pattern: tuple[int, ...]) -> float:
        """r for one pattern (module docstring); 1 where the model has no m for a level."""
        total = self._totals.get(tuple(g >= 0 for g in pattern), 0)
        product = 1.0
        for level, m in zip(pattern, self.m, strict=True):
            if level >= 0:
                value = m.get(level)
                if value is None:
                    return 1.0
                product *= value
        return math.exp(most_probable_log_ratio(self.counts.get(pattern, 0), total * product))

    @functools.cached_property
    def _totals(self) -> dict[tuple[bool, ...], int]:
        """Known matches per set of fields present (the pattern's own set is its total)."""
        out: dict[tuple[bool, ...], int] = {}
        for pattern, n in self.counts.items():
            present = tuple(g >= 0 for g in pattern)
            out[present] = out.get(present, 0) + n
        return out

    def marginals(self) -> tuple[dict[int, float | None], ...]:
        """Each comparison's m per level from the known matches where its field is present,
        the model's (EM) value counting as EM_WEIGHT of them (an untrained model's, as one
        spread evenly): EM without labels can put a level's m far out (a date of birth a
        few days out appears, in a feed, only beside misspelt names, so the names block
        never sees it), and known matches measure it."""
        out: list[dict[int, float | None]] = []
        for i, m in enumerate(self.m):
            seen: dict[int, int] = {}
            for pattern, n in self.counts.items():
                if pattern[i] >= 0:
                    seen[pattern[i]] = seen.get(pattern[i], 0) + n
            total = sum(seen.values())
            fitted: dict[int, float | None] = {}
            for level, em in m.items():
                base, weight = (em, EM_WEIGHT) if em is not None else (1 / len(m), 1)
                fitted[level] = (seen.get(level, 0) + weight * base) / (total + weight)
            out.append(fitted)
        return tuple(out)

    def largest_gain(self) -> float:
        """The largest log2(r) any pattern can gain: pairs further below a threshold than
        this cannot reach it, so they need not be kept."""
        gains = [math.log2(self.ratio(p)) for p in self.counts]
        return max([0.0, *gains])


def most_probable_log_ratio(seen: int, expected: float) -> float:
    """ln r maximising Poisson(seen | expected * r) times Normal(ln r; 0, 1): the root of
    seen - expected * exp(x) - x, which falls as x rises, found by bisection."""
    low, high = -60.0, 60.0
    for _ in range(100):
        x = (low + high) / 2
        if seen - expected * math.exp(x) - x > 0:
            low = x
        else:
            high = x
    return (low + high) / 2


def lowered(probability: float, bits: float) -> float:
    """The match probability `bits` of match weight below `probability`: where to cut the
    pairs kept when a correction of up to `bits` is still to come."""
    weight = math.log2(probability / (1 - probability)) - bits
    return 1 / (1 + 2 ** (-weight))


def model_levels(model: dict[str, Any]) -> dict[str, dict[int, float]]:
    """From a saved Splink model: gamma column -> level value -> m probability."""
    out: dict[str, dict[int, float]] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        name = f"gamma_{comparison['output_column_name']}"
        values: dict[int, float] = {}
        for i, level in enumerate(levels):
            m = level.get("m_probability")
            if isinstance(m, int | float) and m > 0:
                values[len(levels) - 1 - i] = float(m)
        out[name] = values
    return out


def known_pairs(con: Any, known: str) -> int:
    """Known matches in `known` whose person is in `linkage_registry`."""
    sql = f"SELECT count(*) FROM {known} k JOIN linkage_registry r ON r.unique_id = k.label"
    return int(rows(con, sql)[0][0])


def learn(con: Any, fields: Fields, model: dict[str, Any], known: str) -> JointPatterns | None:
    """Count the comparison patterns of the known pairs in `known` (a table of prepared
    records with `label` the registry's unique_id of their person), scored against
    `linkage_registry` with the comparisons of `fields` and the m probabilities of the
    trained `model` (a saved Splink model, any dialect); None if too few."""
    from splink import DuckDBAPI, Linker

    from stpkit.kid.pipeline.linkage.model import settings

    found = known_pairs(con, known)
    if found < MIN_KNOWN:
        return None
    api = DuckDBAPI(connection=con)
    frames = [api.register(t, dataset_display_name=t) for t in ("linkage_registry", known)]
    fresh = Linker(frames, settings(fields, "link_only"), log_level=40)
    comparisons = [
        c for c in fresh._settings_obj.comparisons if c.output_column_name != "identifier"
    ]
    sample = ""
    if found > MAX_KNOWN:
        per_million = max(1, int(1_000_000 * MAX_KNOWN / found))
        sample = f"WHERE hash(k.unique_id || '|joint') % 1000000 < {per_million}"
    cols = sorted(
        {ic.name.strip('"') for c in comparisons for ic in c._input_columns_used_by_case_statement}
    )
    sides = ", ".join(f"k.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    gammas = ", ".join(c._case_statement for c in comparisons)
    names = tuple(c._gamma_column_name for c in comparisons)
    counted = rows(
        con,
        f"SELECT {', '.join(names)}, count(*) FROM (SELECT {gammas} FROM (SELECT {sides} "
        f"FROM {known} k JOIN linkage_registry r ON r.unique_id = k.label {sample})) "
        "GROUP BY ALL",
    )
    trained = model_levels(model)
    levels = tuple(
        {
            lv.comparison_vector_value: trained.get(c._gamma_column_name, {}).get(
                lv.comparison_vector_value
            )
            for lv in c._comparison_levels_excluding_null
        }
        for c in comparisons
    )
    counts = {tuple(int(v) for v in row[:-1]): int(row[-1]) for row in counted}
    return JointPatterns(
        gammas=names,
        m=levels,
        counts=counts,
        known=sum(counts.values()),
    )


def fit_m(linker: Any, joint: JointPatterns) -> JointPatterns:
    """Set the linker's m probabilities to the known matches' (`marginals`), so that every
    pair is scored with them; returns the patterns with those m, whose remaining ratios
    are the errors that come together."""
    fitted = joint.marginals()
    by_gamma = dict(zip(joint.gammas, fitted, strict=True))
    for comparison in linker._settings_obj.comparisons:
        levels = by_gamma.get(comparison._gamma_column_name)
        if levels is None:
            continue
        for level in comparison._comparison_levels_excluding_null:
            value = levels.get(level.comparison_vector_value)
            if value is not None and value > 0:
                level.m_probability = value
    return dataclasses.replace(joint, m=fitted)


def reweight(con: Any, pairs: str, joint: JointPatterns) -> int:
    """Add log2(r) of each pair's pattern to its match weight in `pairs` (and recompute
    the match probability); returns the number of patterns whose weight moved."""
    have = {r[0] for r in rows(con, f"DESCRIBE {pairs}")}
    if not set(joint.gammas) <= have:
        return 0
    cols = ", ".join(joint.gammas)
    patterns = [tuple(int(v) for v in r) for r in rows(con, f"SELECT DISTINCT {cols} FROM {pairs}")]
    shifts = {p: math.log2(joint.ratio(p)) for p in patterns}
    moved = {p: s for p, s in shifts.items() if abs(s) > 1e-9}
    if not moved:
        return 0
    import pyarrow as pa

    table = pa.table(
        {
            **{g: pa.array([p[i] for p in moved], pa.int32()) for i, g in enumerate(joint.gammas)},
            "__shift": pa.array(list(moved.values()), pa.float64()),
        }
    )
    con.register("__joint_shift_arrow", table)
    try:
        on = " AND ".join(f"p.{g} = s.{g}" for g in joint.gammas)
        rows(
            con,
            f"CREATE OR REPLACE TABLE __joint_reweighted AS SELECT p.* REPLACE ("
            "p.match_weight + coalesce(s.__shift, 0) AS match_weight, "
            "1 / (1 + pow(2, -(p.match_weight + coalesce(s.__shift, 0)))) AS match_probability)"
            f" FROM {pairs} p LEFT JOIN __joint_shift_arrow s ON {on}",
        )
    finally:
        con.unregister("__joint_shift_arrow")
    rows(con, f"DROP TABLE {pairs}")
    rows(con, f"ALTER TABLE __joint_reweighted RENAME TO {pairs}")
    return len(moved)
