"""The person linkage model on Splink: comparisons, blocking, unsupervised training, scoring.

Works on the standardised table made by `prepare.prepare`. Two modes: `dedupe` (one feed
against itself) and `link_to_registry` (feed records against a master patient index; the
registry side is `source_dataset = 'registry'`). An identifier (NHS number) is optional: where
some records carry one, agreement on it is one comparison and one EM training block; where
none do, the model is built without it.

Training uses no labels: u from random pairs (seeded), m by expectation maximisation over
several blocks (names, date of birth, postcode, identifier), each block estimating the
comparisons it does not fix; the prior from exact agreement on full name and date of birth
(and identifier) with an assumed recall of 0.7.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Literal

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

from stpkit.kid.pipeline.linkage.sql import rows

logging.getLogger("splink").setLevel(logging.WARNING)

DETERMINISTIC_RECALL = 0.7
U_PAIRS = 1e6
EM_PAIRS = 300_000  # pairs per EM block at most (a hashed sample of a larger block)
SEED = 42


@dataclass(frozen=True)
class Fields:
    """Which standardised columns have any value (absent ones are left out of the model)."""

    forename: bool = True
    surname: bool = True
    date_of_birth: bool = True
    sex: bool = True
    postcode: bool = True
    identifier: bool = False
    extra: tuple[str, ...] = ()

    @classmethod
    def of(cls, con: Any, table: str) -> Fields:
        extra = tuple(r[0] for r in rows(con, f"DESCRIBE {table}") if r[0].startswith("x_"))
        names = ["forename", "surname", "date_of_birth", "sex", "postcode", "identifier", *extra]
        counts = rows(con, "SELECT " + ", ".join(f"count({n})" for n in names) + f" FROM {table}")[
            0
        ]
        filled = dict(zip(names, counts, strict=True))
        return cls(
            forename=filled["forename"] > 0,
            surname=filled["surname"] > 0,
            date_of_birth=filled["date_of_birth"] > 0,
            sex=filled["sex"] > 0,
            postcode=filled["postcode"] > 0,
            identifier=filled["identifier"] > 0,
            extra=tuple(e for e in extra if filled[e] > 0),
        )


class RootsOverlapLevel(ComparisonLevelCreator):  # type: ignore[misc]
    """The forenames share a nickname root: Splink's ArrayIntersectLevel(min 1) without
    building the intersection list (DuckDB's list_has_any, Spark's arrays_overlap), which
    is a fifth of the cost of scoring a pair of records."""

    def create_sql(self, sql_dialect: Any) -> str:
        name = "list_has_any" if sql_dialect.sql_dialect_str == "duckdb" else "arrays_overlap"
        return f"{name}(forename_roots_l, forename_roots_r)"

    def create_label_for_charts(self) -> str:
        return "Nickname or variant (shipped table)"


def forename_comparison() -> Any:
    """Exact (term-frequency adjusted), swapped with surname, nickname, similar, phonetic."""
    return cl.CustomComparison(
        output_column_name="forename",
        comparison_levels=[
            cll.NullLevel("forename"),
            cll.ExactMatchLevel("forename", term_frequency_adjustments=True),
            cll.ColumnsReversedLevel("forename", "surname").configure(
                label_for_charts="Forename and surname swapped"
            ),
            RootsOverlapLevel().configure(label_for_charts="Nickname or variant (shipped table)"),
            cll.CustomLevel(
                "forename_l = surname_r OR surname_l = forename_r",
                label_for_charts="Name in the other name's field",
            ),
            cll.JaroWinklerLevel("forename", 0.92),
            cll.ExactMatchLevel("forename_sx").configure(label_for_charts="Soundex agrees"),
            cll.JaroWinklerLevel("forename", 0.8),
            cll.CustomLevel(
                "(length(forename_l) = 1 OR length(forename_r) = 1) "
                "AND substr(forename_l, 1, 1) = substr(forename_r, 1, 1)",
                label_for_charts="Initial agrees",
            ),
            cll.ElseLevel(),
        ],
    )


def surname_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
            cll.ColumnsReversedLevel("forename", "surname").configure(
                label_for_charts="Forename and surname swapped"
            ),
            cll.JaroWinklerLevel("surname", 0.92),
            cll.ExactMatchLevel("surname_sx").configure(label_for_charts="Soundex agrees"),
            cll.JaroWinklerLevel("surname", 0.8),
            cll.ElseLevel(),
        ],
    )


def _within_edits(column: str, edits: int) -> str:
    """Damerau-Levenshtein distance <= `edits`, with a cheap test first: for strings of one
    length (dates, NHS numbers) the Hamming distance is at most twice the edits, and
    DuckDB's Damerau-Levenshtein is some ten times slower than the other comparisons, so
    it runs only on the few pairs that pass."""
    left, right = f"{column}_l", f"{column}_r"
    return (  # CASE, not AND: DuckDB evaluates both sides of an AND on every row
        f"CASE WHEN abs(length({left}) - length({right})) <= {edits} AND (length({left}) <> "
        f"length({right}) OR hamming({left}, {right}) <= {2 * edits}) "
        f"THEN damerau_levenshtein({left}, {right}) <= {edits} ELSE FALSE END"
    )


class WithinAMonthLevel(ComparisonLevelCreator):  # type: ignore[misc]
    """Year and month agree, or the dates are at most 31 days apart (a date a few days
    out across a month's end; Splink's DateOfBirthComparison has a one-month level too).
    The date arithmetic runs only on pairs whose years share three digits. The day count
    is written per engine: DuckDB's date_diff takes the unit as text, which Spark refuses."""

    def create_sql(self, sql_dialect: Any) -> str:
        left, right = "date_of_birth_l", "date_of_birth_r"
        as_dates = f"try_cast({left} AS DATE), try_cast({right} AS DATE)"
        if sql_dialect.sql_dialect_str == "duckdb":
            days = f"date_diff('day', {as_dates})"
        else:
            days = f"datediff(try_cast({right} AS DATE), try_cast({left} AS DATE))"
        return (
            f"substr({left}, 1, 7) = substr({right}, 1, 7) OR CASE WHEN substr({left}, 1, 3) = "
            f"substr({right}, 1, 3) THEN abs({days}) <= 31 ELSE FALSE END"
        )

    def create_label_for_charts(self) -> str:
        return "Within a month"


def dob_comparison() -> Any:
    """Text dates 'YYYY-MM-DD': exact, day/month swapped, one digit wrong, within a month,
    year."""
    swap = (
        "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
        "AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
        "AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)"
    )
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth", term_frequency_adjustments=True),
            cll.CustomLevel(swap, label_for_charts="Day and month swapped"),
            cll.CustomLevel(
                _within_edits("date_of_birth", 1),
                label_for_charts="One digit wrong or two transposed",
            ),
            WithinAMonthLevel().configure(label_for_charts="Within a month"),
            cll.ExactMatchLevel("birth_year").configure(label_for_charts="Year agrees"),
            cll.ElseLevel(),
        ],
    )


def postcode_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode", term_frequency_adjustments=True),
            cll.ExactMatchLevel("postcode_sector").configure(label_for_charts="Sector agrees"),
            cll.ExactMatchLevel("postcode_district").configure(label_for_charts="District agrees"),
            cll.ElseLevel(),
        ],
    )


def identifier_comparison() -> Any:
    return cl.CustomComparison(
        output_column_name="identifier",
        comparison_levels=[
            cll.NullLevel("identifier"),
            cll.ExactMatchLevel("identifier"),
            cll.CustomLevel(_within_edits("identifier", 1), label_for_charts="One character wrong"),
            cll.CustomLevel(
                _within_edits("identifier", 2), label_for_charts="Two characters wrong"
            ),
            cll.ElseLevel(),
        ],
    )


def comparisons(fields: Fields) -> list[Any]:
    out: list[Any] = []
    if fields.forename:
        out.append(forename_comparison())
    if fields.surname:
        out.append(surname_comparison())
    if fields.date_of_birth:
        out.append(dob_comparison())
    if fields.postcode:
        out.append(postcode_comparison())
    if fields.sex:
        out.append(cl.ExactMatch("sex"))
    if fields.identifier:
        out.append(identifier_comparison())
    for column in fields.extra:
        out.append(cl.ExactMatch(column).configure(term_frequency_adjustments=True))
    return out


def blocking_rules(fields: Fields) -> list[Any]:
    """Rules chosen for recall: a record differing in two or three fields still meets its
    match under at least one of them. Each rule joins on a key narrow enough that its largest
    block stays small at full scale (no rule on a postcode district or a birth year alone).
    """
    f, s, d, p = fields.forename, fields.surname, fields.date_of_birth, fields.postcode
    rules: list[Any] = []
    if fields.identifier:
        rules.append(block_on("identifier"))
    if f and s:  # the broadest rules first: each later rule re-tests every earlier one
        rules.append(block_on("forename_sx", "surname_sx"))
        rules.append(block_on("forename_root", "surname_sx"))
    for column in fields.extra:  # extra columns have few values: broad blocks, early
        if f:
            rules.append(block_on(column, "forename_root"))
        if s:
            rules.append(block_on(column, "surname_sx"))
    if d:  # a full date of birth with one more key: placeholder dates make huge blocks
        if f:
            rules.append(block_on("date_of_birth", "substr(forename, 1, 1)"))
        if s:
            rules.append(block_on("date_of_birth", "substr(surname, 1, 1)"))
        if p:
            rules.append(block_on("date_of_birth", "postcode_district"))
        if not (f or s or p):
            rules.append(block_on("date_of_birth"))
    if f and s:
        rules.append("l.forename = r.surname AND l.surname = r.forename")
        for key in ("birth_year", "postcode_district"):  # a name in the wrong field
            if (key == "birth_year" and d) or (key == "postcode_district" and p):
                rules.append(f"l.forename = r.surname AND l.{key} = r.{key}")
                rules.append(f"l.surname = r.forename AND l.{key} = r.{key}")
    if s and d:
        rules.append(block_on("surname_sx", "birth_year"))
    if f and d:
        rules.append(block_on("forename_root", "birth_year", "substr(surname, 1, 1)"))
    if p and s:
        rules.append(block_on("postcode", "surname_sx"))
    if p and f:
        rules.append(block_on("postcode", "forename_root"))
    if p and d:  # both names mistyped: one address, one birth year (a block of one or two)
        rules.append(block_on("postcode", "birth_year"))
    if p and s:
        rules.append(block_on("postcode_district", "surname_sx"))
    if p and f:
        rules.append(block_on("postcode_district", "forename_root"))
    if f and s and d:
        rules.append(block_on("substr(forename, 1, 1)", "surname_sx", "birth_year"))
    if not rules:  # only one name column: that name and nothing else
        rules.append(block_on("forename_sx" if f else "surname_sx"))
    return rules


def training_blocks(fields: Fields) -> list[Any]:
    """EM blocks: each fixes some comparisons and estimates the rest."""
    blocks: list[Any] = []
    if fields.forename and fields.surname:
        blocks.append(block_on("forename", "surname"))
    if fields.date_of_birth:  # with sex where known: half the pairs, sex is trained elsewhere
        blocks.append(block_on("date_of_birth", *(("sex",) if fields.sex else ())))
    if fields.postcode and not (fields.forename and fields.surname and fields.date_of_birth):
        blocks.append(block_on("postcode"))  # names and date blocks already train the rest
    if fields.identifier:
        blocks.append(block_on("identifier"))
    if not blocks:
        blocks.append(block_on("forename_sx" if fields.forename else "surname_sx"))
    return blocks


def training_keys(fields: Fields) -> list[tuple[str, ...]]:
    """The columns of each EM block (`training_blocks`), for sampling a large block."""
    keys: list[tuple[str, ...]] = []
    if fields.forename and fields.surname:
        keys.append(("forename", "surname"))
    if fields.date_of_birth:
        keys.append(("date_of_birth", *(("sex",) if fields.sex else ())))
    if fields.postcode and not (fields.forename and fields.surname and fields.date_of_birth):
        keys.append(("postcode",))
    if fields.identifier:
        keys.append(("identifier",))
    if not keys:
        keys.append(("forename_sx" if fields.forename else "surname_sx",))
    return keys


def sampled_training_blocks(con: Any, fields: Fields, tables: list[str]) -> list[str]:
    """EM blocks as SQL, each cut to about EM_PAIRS pairs by a seeded hash of the pair.

    EM's cost is computing every comparison for every pair in the block, and a block on
    date of birth grows with the square of the records per date: some 770,000 pairs in a
    50,000-record feed, tens of millions at full scale. A few hundred thousand pairs fix
    the m probabilities as well; the sample is of pairs, not records, so each block keeps
    its share of true matches."""
    out = []
    for keys in training_keys(fields):
        rule = " AND ".join(f'l."{k}" = r."{k}"' for k in keys)
        pairs = block_pairs(con, keys, tables)
        if pairs > EM_PAIRS:
            per_million = max(1, int(1_000_000 * EM_PAIRS / pairs))
            rule += (
                f" AND hash(l.unique_id || '|' || r.unique_id || '{SEED}') % 1000000 "
                f"< {per_million}"
            )
        out.append(rule)
    return out


def block_pairs(con: Any, keys: tuple[str, ...], tables: list[str]) -> int:
    """Pairs a block on `keys` makes: within one table (dedupe), or across two (link)."""
    cols = ", ".join(keys)
    filled = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    counts = [f"SELECT {cols}, count(*) AS n FROM {t} WHERE {filled} GROUP BY ALL" for t in tables]
    if len(tables) == 1:
        sql = f"SELECT sum(n * (n - 1) / 2) FROM ({counts[0]})"
    else:
        sql = f"SELECT sum(a.n * b.n) FROM ({counts[0]}) a JOIN ({counts[1]}) b USING ({cols})"
    return int(rows(con, sql)[0][0] or 0)


def deterministic_rules(fields: Fields) -> list[Any]:
    rules: list[Any] = []
    if fields.identifier:
        rules.append(block_on("identifier"))
    names = [c for c in ("forename", "surname") if getattr(fields, c)]
    if fields.date_of_birth:
        rules.append(block_on(*names, "date_of_birth"))
    elif fields.postcode:
        rules.append(block_on(*names, "postcode"))
    else:
        rules.append(block_on(*names))
    return rules


def _sample_sizes(counts: list[int], max_pairs: float) -> list[int]:
    """Records to sample from each table so that their pairs number about `max_pairs`:
    one table (dedupe) pairs with itself, n(n-1)/2; two (link) pair across, a*b."""
    if len(counts) == 1:
        wanted = 0.5 * ((8 * max_pairs + 1) ** 0.5 + 1)
        return [min(counts[0], math.ceil(wanted))]
    proportion = min(1.0, (max_pairs / max(counts[0] * counts[1], 1)) ** 0.5)
    return [min(c, math.ceil(proportion * c)) for c in counts]


def estimate_u(
    con: Any,
    linker: Any,
    tables: list[str],
    max_pairs: float = U_PAIRS,
    counted_by: Any = None,
) -> None:
    """u probabilities from random pairs, every comparison in one pass over one sample.

    Splink's `estimate_u_using_random_sampling` builds and scores the sampled pairs once
    per comparison; this scores them once for all (the same estimate: the share of random
    pairs at each level, among those where neither side is null), which is most of the
    training time on a small feed. The sample is the records with the smallest seeded hash
    of their id, so it is reproducible. Tables: one (dedupe) or two (link one to the other).
    `counted_by`: a DuckDB linker of the same model on `con`'s copy of the tables, whose SQL
    counts the pairs when `linker` runs on another engine (Spark), so both engines train
    from the same u.
    """
    comps = list((counted_by or linker)._settings_obj.comparisons)
    trained = list(linker._settings_obj.comparisons)
    cols = sorted(
        {ic.name.strip('"') for c in comps for ic in c._input_columns_used_by_case_statement}
    )
    counts = [int(rows(con, f"SELECT count(*) FROM {t}")[0][0]) for t in tables]
    sizes = _sample_sizes(counts, max_pairs)
    keep = ", ".join(["unique_id", *cols])
    samples = [f"__u_sample_{i}" for i in range(len(tables))]
    for table, sample, size in zip(tables, samples, sizes, strict=True):
        rows(
            con,
            f"CREATE OR REPLACE TEMP TABLE {sample} AS SELECT {keep} FROM {table} "
            f"ORDER BY hash(unique_id || '{SEED}'), unique_id LIMIT {size}",
        )
    left, right = samples[0], samples[-1]
    join = "ON l.unique_id < r.unique_id" if len(samples) == 1 else "ON TRUE"
    sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    gammas = ", ".join(c._case_statement for c in comps)
    names = [c._gamma_column_name for c in comps]
    try:
        found = rows(
            con,
            f"SELECT {', '.join(names)}, count(*) FROM (SELECT {gammas} FROM "
            f"(SELECT {sides} FROM {left} l JOIN {right} r {join})) GROUP BY ALL",
        )
    finally:
        for sample in samples:
            rows(con, f"DROP TABLE IF EXISTS {sample}")
    for i, comp in enumerate(trained):
        level_counts: dict[int, int] = {}
        for row in found:
            level_counts[int(row[i])] = level_counts.get(int(row[i]), 0) + int(row[-1])
        levels = comp._comparison_levels_excluding_null
        total = sum(level_counts.get(lv.comparison_vector_value, 0) for lv in levels)
        for lv in levels:
            n = level_counts.get(lv.comparison_vector_value, 0)
            lv._add_trained_u_probability(
                n / total if n else LEVEL_NOT_OBSERVED_TEXT, "estimate u by random sampling"
            )
    linker._populate_m_u_from_trained_values()  # as Splink's own estimate does: EM reads them


LinkType = Literal["link_only", "dedupe_only"]


def settings(fields: Fields, link_type: LinkType) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(fields),
        blocking_rules_to_generate_predictions=blocking_rules(fields),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,  # gamma columns come with it (the twin veto reads them)
        additional_columns_to_retain=[],
    )
