"""Link person records end to end: prepare, train without labels, score, cluster, report.

`link_records` deduplicates one feed (`mode="dedupe"`) or links a feed to a registry of one
row per person (`mode="link_to_registry"`: each record takes its best registry candidate at
match probability 0.95 or more), with or without NHS numbers. Clustering:
connected components over pairs at or above `threshold` (match probability 0.99 by
default), added strongest first. A pair whose forenames disagree outright (not a typo,
nickname, initial or swap) while surname, date of birth and postcode agree exactly (the
twin signature), and whose identifiers are not equal or a typo apart, is never an edge, and
a merge that would put such a pair in one cluster through others is refused (a record with
no forename that fits both twins joins only one). A cluster of more than MAX_CLUSTER
records is clustered again from its own pairs at 0.999, then 0.9999, then 0.99999, so a
chain of near-matches cannot join unrelated people into one giant cluster. Twins (same
surname, address and date of birth, different forename) therefore stay apart.

Longer than 400 lines on purpose: the clustering and its twin and size guards are one
algorithm whose invariants are easier to check read together.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stpkit.kid.pipeline.linkage.cascade import (
    CASCADE_FROM,
    predict_to_registry,
    training_sample,
)
from stpkit.kid.pipeline.linkage.evaluate import pair_completeness
from stpkit.kid.pipeline.linkage.joint import (
    MIN_KNOWN,
    JointPatterns,
    fit_m,
    known_pairs,
    learn,
    lowered,
    reweight,
)
from stpkit.kid.pipeline.linkage.posterior import largest_gain, model_prior, registry_posterior
from stpkit.kid.pipeline.linkage.prepare import ColumnMap, LinkageInputError, prepare
from stpkit.kid.pipeline.linkage.sql import PERSON_SIDE, RECORD_SIDE, rows, rule_sql

if TYPE_CHECKING:
    from collections.abc import Callable

    from stpkit.kid.pipeline.linkage.model import Fields, LinkType
    from stpkit.kid.pipeline.linkage.review import ReviewStore

THRESHOLD = 0.99  # a wrong merge costs more than a missed link: 1 in 100 at the edge
# Linking to a registry, a record takes its one best candidate: a wrong link misplaces that
# record only and cannot chain people together as a wrong edge in a dedupe can.
REGISTRY_THRESHOLD = 0.95
STRICTER = (0.999, 0.9999, 0.99999)
MAX_CLUSTER = 50  # larger clusters are re-split: real people have few records per feed
MAX_COMPARISONS = 2_000_000_000  # refuse a run whose blocking would exceed this
SAMPLE_COST_FROM = 200_000  # records: above this, comparisons are estimated before scoring


@dataclass
class LinkResult:
    """Where the clusters are, and what the run did."""

    clusters: str  # table: unique_id, cluster_id, match_probability, label
    records: int
    comparisons: int
    comparisons_by_rule: dict[str, int] = field(default_factory=dict)
    pair_completeness: float | None = None
    clusters_count: int = 0
    largest_cluster: int = 0
    split_clusters: int = 0
    queued_for_review: int = 0
    reviewed_applied: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    model: dict[str, Any] | None = field(default=None, repr=False)  # trained parameters

    def summary(self) -> str:
        lines = [
            f"records {self.records:,}, comparisons {self.comparisons:,}, "
            f"clusters {self.clusters_count:,} (largest {self.largest_cluster}), "
            f"re-split {self.split_clusters}",
        ]
        for rule, n in self.comparisons_by_rule.items():
            lines.append(f"  comparisons from {rule}: {n:,}")
        if self.pair_completeness is not None:
            lines.append(f"pair completeness (true pairs blocked): {self.pair_completeness:.4f}")
        if self.queued_for_review or self.reviewed_applied:
            lines.append(
                f"clerical review: {self.queued_for_review:,} pairs queued, "
                f"{self.reviewed_applied:,} earlier decisions applied"
            )
        lines.extend(self.notes)
        return "\n".join(lines)


def link_records(
    con: Any,
    source: str,
    mapping: ColumnMap,
    *,
    mode: str = "dedupe",
    registry: str | None = None,
    registry_mapping: ColumnMap | None = None,
    threshold: float | None = None,
    keep_twins_apart: bool = True,
    out: str = "linkage_clusters",
    review: ReviewStore | None = None,
    model_path: Path | None = None,
    retrain: bool = False,
    earlier: dict[str, str] | None = None,
    backend: str = "duckdb",
    two_pass: bool = True,
    known_matches: str | None = None,
) -> LinkResult:
    """Link `source` (a DuckDB table or view); write `out` with one row per input record.

    `threshold` (match probability): THRESHOLD (0.99) for a dedupe, whose edges chain;
    REGISTRY_THRESHOLD (0.95) for each record's one best registry candidate.

    `keep_twins_apart=False` drops the twin-signature veto (for data known to hold no twins,
    where a record with a replaced forename should still join its person). With `review`,
    pairs in its uncertain band are queued and its recorded decisions are applied: a
    reviewed match is always merged, a reviewed non-match never (see `review.py`).

    Incremental runs: with `model_path`, a trained model saved there by an earlier run is
    reused (no training) unless `retrain`; otherwise the model is trained and saved there.
    `earlier` maps record id -> cluster id from an earlier run: records clustered together
    then stay together, records of different earlier clusters are never merged (only a
    reviewed match can join them), and a cluster holding earlier records keeps their
    cluster id, so a person's id is stable as new months arrive.

    `backend="spark"` trains and scores on Spark (the active session, else a local one;
    `spark.py`) and clusters here from the pairs it brings back: the same model, rules,
    threshold and guards, so the same clusters.

    `two_pass` (link_to_registry on DuckDB, from CASCADE_FROM records): score the wide
    blocking rules only for records the bounded rules leave undecided (`cascade.py`); False
    scores every rule for every record in one pass (as the Spark backend always does).

    `known_matches` (link_to_registry): a table of person records known to belong to a
    registered person (columns as `mapping`, plus `registry_id`: that person's id in the
    registry), e.g. a feed's records whose NHS number is valid and registered. From them the
    match weight of each whole pattern of comparison levels is corrected for errors that
    come together (`joint.py`). Without it, a feed whose identifier column equals a registry
    identifier supplies its own; with neither, the weights are the model's alone."""
    from stpkit.kid.pipeline.linkage.model import Fields

    if mode not in ("dedupe", "link_to_registry"):
        raise LinkageInputError(f"mode must be dedupe or link_to_registry, not {mode!r}")
    if backend not in ("duckdb", "spark"):
        raise LinkageInputError(f"backend must be duckdb or spark, not {backend!r}")
    if threshold is None:
        threshold = REGISTRY_THRESHOLD if mode == "link_to_registry" else THRESHOLD
    if not 0.5 <= threshold < 1:
        raise LinkageInputError("the threshold is a match probability from 0.5 to below 1")
    start = time.perf_counter()
    n = prepare(con, source, mapping, "linkage_input")
    if mode == "link_to_registry":
        if registry is None:
            raise LinkageInputError("link_to_registry needs a registry table")
        prepare(con, registry, registry_mapping or mapping, "linkage_registry")
        rows(con, "UPDATE linkage_registry SET unique_id = 'registry:' || unique_id")
        _known_matches(con, known_matches, mapping)
    result = LinkResult(clusters=out, records=n, comparisons=0)
    fields = Fields.of(con, "linkage_input")
    trivial = _trivial(con, n, fields, mode)
    if trivial is not None:
        rows(
            con,
            f"CREATE OR REPLACE TABLE {out} AS SELECT unique_id, "
            f"{trivial} AS cluster_id, CAST(NULL AS DOUBLE) AS match_probability, label "
            "FROM linkage_input",
        )
        result.notes.append(_TRIVIAL_NOTE[trivial])
    elif mode == "dedupe":
        _dedupe(
            con,
            fields,
            threshold,
            result,
            keep_twins_apart,
            review,
            model_path,
            retrain,
            earlier,
            backend,
        )
    else:
        _to_registry(
            con,
            fields,
            threshold,
            result,
            keep_twins_apart,
            review,
            model_path,
            retrain,
            backend,
            two_pass,
        )
    if review is not None and trivial is None:
        both = "linkage_input"
        if mode == "link_to_registry":
            both = "__review_records"
            rows(
                con,
                f"CREATE OR REPLACE TEMP VIEW {both} AS SELECT * FROM linkage_input "
                "UNION ALL BY NAME SELECT * FROM linkage_registry",
            )
        result.queued_for_review = review.enqueue(con, "linkage_pairs", both)
    _finish(con, result, mapping, mode, start)
    return result


_TRIVIAL_NOTE = {
    "unique_id": "fewer than two records: each is its own person",
    "'1'": "every record has the same identifying details: one person",
}


def _known_matches(con: Any, known_matches: str | None, mapping: ColumnMap) -> None:
    """Create `linkage_known`: prepared records, `label` the registry id of their person
    (from `known_matches`, else the feed's records whose identifier is one registered
    person's identifier; empty when there are none)."""
    import dataclasses

    if known_matches is not None:
        known_map = dataclasses.replace(mapping, unique_id=None, label="registry_id")
        prepare(con, known_matches, known_map, "linkage_known")
        rows(con, "UPDATE linkage_known SET label = 'registry:' || label")
        return
    rows(
        con,
        "CREATE OR REPLACE TABLE linkage_known AS SELECT i.* REPLACE (r.unique_id AS label) "
        "FROM linkage_input i JOIN (SELECT identifier, any_value(unique_id) AS unique_id "
        "FROM linkage_registry WHERE identifier IS NOT NULL GROUP BY identifier "
        "HAVING count(*) = 1) r ON i.identifier = r.identifier",
    )


def _joint(
    con: Any, fields: Fields, result: LinkResult, linker: Any, model_path: Path | None
) -> JointPatterns | None:
    """The known matches' pattern counts (`joint.py`), if there are enough of them, with
    `linker`'s m probabilities set to theirs before it scores anything (and saved so)."""
    if result.model is None:
        return None
    joint = learn(con, fields, result.model, "linkage_known")
    if joint is not None:
        joint = fit_m(linker, joint)
        result.model = linker.misc.save_model_to_json()
        if model_path is not None:
            linker.misc.save_model_to_json(str(model_path), overwrite=True)
        result.notes.append(
            f"m probabilities and match weights by comparison pattern from {joint.known:,} "
            "pairs known to match"
        )
    return joint


def _trivial(con: Any, n: int, fields: Fields, mode: str) -> str | None:
    if mode != "dedupe":
        return None
    if n < 2:
        return "unique_id"
    distinct = rows(
        con,
        "SELECT count(*) FROM (SELECT DISTINCT forename, surname, date_of_birth, sex, postcode, "
        "identifier FROM linkage_input)",
    )[0][0]
    return "'1'" if distinct == 1 else None


def _linker(
    con: Any, fields: Fields, link_type: LinkType, tables: list[str], db_api: Any = None
) -> Any:
    from splink import DuckDBAPI, Linker

    from stpkit.kid.pipeline.linkage.model import settings

    db_api = db_api or DuckDBAPI(connection=con)
    frames = [db_api.register(t, dataset_display_name=t) for t in tables]
    return Linker(  # settings and columns are ours (prepare, model): no need to validate
        frames if len(frames) > 1 else frames[0],
        settings(fields, link_type),
        log_level=40,
        validate_settings=False,
    )


def train(
    linker: Any, fields: Fields, n: int, counted_by: Any = None, em: bool = True
) -> list[str]:
    """Prior, u and m without labels; returns notes on any block that could not train.
    `counted_by`: for a linker on Spark, the DuckDB linker of the same prepared tables that
    counts the random pairs for u (`model.estimate_u`), so both engines estimate the same.
    `em=False` leaves m untrained: known matches will set it (`joint.fit_m`)."""
    from stpkit.kid.pipeline.linkage import model

    notes: list[str] = []
    try:
        linker.training.estimate_probability_two_random_records_match(
            model.deterministic_rules(fields), recall=model.DETERMINISTIC_RECALL
        )
    except Exception as exc:  # no exact agreements at all: fall back to one match per record
        linker._settings_obj._probability_two_random_records_match = 1.0 / max(n, 2)
        notes.append(f"prior from 1/records ({type(exc).__name__}: no exact agreements)")
    tables = [str(t.physical_name) for t in linker._input_tables_dict.values()]
    blocks: list[Any]
    on_duckdb = linker._db_api.sql_dialect.sql_dialect_str == "duckdb"
    if on_duckdb and len(tables) <= 2:
        con = linker._db_api._con
        model.estimate_u(con, linker, tables)  # one pass, all comparisons
        blocks = list(model.sampled_training_blocks(con, fields, tables))
    elif counted_by is not None and len(tables) <= 2:
        model.estimate_u(counted_by._db_api._con, linker, tables, counted_by=counted_by)
        blocks = model.training_blocks(fields)
    else:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=model.U_PAIRS, seed=model.SEED, num_chunks=1
        )
        blocks = model.training_blocks(fields)
    if not em:
        notes.append("m probabilities from the known matches (no EM)")
        return notes
    trained = 0
    for block in blocks:
        kept = list(linker._settings_obj.comparisons)  # a failed session leaves some out
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True
            )
            trained += 1
        except Exception as exc:  # a block with no pairs in a small or odd feed
            linker._settings_obj.comparisons = kept
            notes.append(f"EM block skipped ({type(exc).__name__}: {str(exc)[:80]})")
    if not trained:
        raise LinkageInputError(
            "the model could not be trained: no pairs of records agree on names, date of birth "
            "or postcode (too few records, or the columns are empty)"
        )
    return notes


def _trained(
    con: Any,
    fields: Fields,
    link_type: LinkType,
    tables: list[str],
    result: LinkResult,
    model_path: Path | None,
    retrain: bool,
    db_api: Any = None,
    supervised: bool = False,
) -> Any:
    """A linker with a trained model: the one saved at `model_path` unless `retrain` (or
    none is saved yet), else trained now and saved there for the next run. `supervised`:
    known matches will set m (`_joint`, which saves the model then), so EM is skipped."""
    if model_path is not None and model_path.is_file() and not retrain:
        from splink import DuckDBAPI, Linker

        db_api = db_api or DuckDBAPI(connection=con)
        frames = [db_api.register(t, dataset_display_name=t) for t in tables]
        saved = json.loads(model_path.read_text(encoding="utf-8"))
        saved["link_type"] = link_type
        if saved.get("sql_dialect") != db_api.sql_dialect.sql_dialect_str:  # DuckDB <-> Spark
            from stpkit.kid.pipeline.linkage.model import settings
            from stpkit.kid.pipeline.linkage.spark import model_for_dialect

            dialect = db_api.sql_dialect.sql_dialect_str
            fresh = settings(fields, link_type).create_settings_dict(dialect)
            saved = model_for_dialect(saved, fresh, dialect)
        result.notes.append(f"model reused from {model_path.name} (no training)")
        result.model = saved
        return Linker(
            frames if len(frames) > 1 else frames[0], saved, log_level=40, validate_settings=False
        )
    linker = _linker(con, fields, link_type, tables, db_api)
    elsewhere = db_api is not None and db_api.sql_dialect.sql_dialect_str != "duckdb"
    counted_by = _linker(con, fields, link_type, tables) if elsewhere else None
    result.notes.extend(train(linker, fields, result.records, counted_by, em=not supervised))
    result.model = linker.misc.save_model_to_json()
    if model_path is not None:
        model_path.parent.mkdir(parents=True, exist_ok=True)
        linker.misc.save_model_to_json(str(model_path), overwrite=True)
    return linker


def _earlier_chains(earlier: dict[str, str], ids: set[str]) -> list[tuple[str, str]]:
    """Pairs that keep each earlier cluster's records together (a chain per cluster)."""
    last: dict[str, str] = {}
    chains = []
    for record in sorted(r for r in earlier if r in ids):
        cluster_id = earlier[record]
        if cluster_id in last:
            chains.append((last[cluster_id], record))
        last[cluster_id] = record
    return chains


def _check_cost(linker: Any, result: LinkResult, rules: list[Any], link_type: LinkType) -> None:
    """Refuse before scoring when a 5% sample says blocking would exceed MAX_COMPARISONS."""
    if result.records < SAMPLE_COST_FROM:
        return
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    frames = linker._input_tables_dict.values()
    counts = count_comparisons_from_blocking_rules(
        list(frames),
        blocking_rules=rules,
        link_type=link_type,
        record_sample_proportion=0.05,
    )
    estimate = int(counts[-1]["cumulative_comparison_count"]) if counts else 0
    if estimate > MAX_COMPARISONS:
        raise LinkageInputError(
            f"blocking would make about {estimate:,} comparisons (ceiling {MAX_COMPARISONS:,}):"
            " the feed has very large groups sharing a date of birth or name"
        )


def _predict(con: Any, linker: Any, result: LinkResult, rules: list[Any]) -> str:
    predictions = linker.inference.predict(warning_mode="never")
    table = predictions.physical_name
    rows(con, "DROP TABLE IF EXISTS linkage_pairs")
    rows(con, f"ALTER TABLE {table} RENAME TO linkage_pairs")  # no copy of every pair
    count_pairs(con, result, rules)
    return "linkage_pairs"


def count_pairs(con: Any, result: LinkResult, rules: list[Any]) -> None:
    """Record the pairs in `linkage_pairs`, in all and by the blocking rule (`match_key`,
    the rule's index in `rules`) that found each."""
    result.comparisons = int(rows(con, "SELECT count(*) FROM linkage_pairs")[0][0])
    by_rule = rows(
        con, "SELECT match_key, count(*) FROM linkage_pairs GROUP BY match_key ORDER BY match_key"
    )
    count_by_rule(result, rules, by_rule)


def count_by_rule(result: LinkResult, rules: list[Any], by_rule: list[Any]) -> None:
    """Record the comparisons each blocking rule made (rows of match_key, count)."""
    for key, count in by_rule:
        result.comparisons_by_rule[rule_sql(rules[int(key)])] = int(count)


def _score(
    con: Any,
    fields: Fields,
    link_type: LinkType,
    tables: list[str],
    result: LinkResult,
    model_path: Path | None,
    retrain: bool,
    backend: str,
    review: ReviewStore | None,
    earlier: dict[str, str] | None = None,
    known: Callable[[Any], JointPatterns | None] | None = None,
    supervised: bool = False,
) -> str:
    """Train (or reuse) the model and score the blocked pairs into `linkage_pairs`;
    `known`, called with the trained linker before it scores, fits its m probabilities to
    the known matches and gives their patterns, whose weights correct the pairs'
    (`joint.py`)."""
    from stpkit.kid.pipeline.linkage.model import blocking_rules

    if backend == "spark":
        from stpkit.kid.pipeline.linkage import spark

        return spark.score(
            con, fields, link_type, tables, result, model_path, retrain, review, earlier, known,
            supervised,
        )  # fmt: skip
    linker = _trained(
        con, fields, link_type, tables, result, model_path, retrain, supervised=supervised
    )
    rules = blocking_rules(fields)
    _check_cost(linker, result, rules, link_type)
    joint = known(linker) if known is not None else None
    pairs = _predict(con, linker, result, rules)
    if joint is not None:
        reweight(con, pairs, joint)
    return pairs


def _scored_fields(con: Any, pairs: str, fields: Fields) -> Fields:
    """The fields Splink actually scored (it leaves out a comparison it could not use)."""
    return scored_fields({r[0] for r in rows(con, f"DESCRIBE {pairs}")}, fields)


def scored_fields(have: set[str], fields: Fields) -> Fields:
    """`fields` less those without a gamma column among the scored pairs' columns `have`."""
    import dataclasses

    scored = {n: bool(getattr(fields, n)) and f"gamma_{n}" in have for n in _GAMMA_FIELDS}
    return dataclasses.replace(
        fields,
        forename=scored["forename"],
        surname=scored["surname"],
        date_of_birth=scored["date_of_birth"],
        postcode=scored["postcode"],
        identifier=scored["identifier"],
    )


_GAMMA_FIELDS = ("forename", "surname", "date_of_birth", "postcode", "identifier")


def _veto_sql(fields: Fields) -> str:
    """The twin signature: forenames disagree outright while surname, date of birth and
    postcode agree exactly, and identifiers (where any) are not equal or a typo or two apart.
    Such a pair is never an edge, nor joined through other records."""
    if not (fields.forename and fields.date_of_birth):
        return "FALSE"
    same_id = "gamma_identifier > 0" if fields.identifier else "FALSE"
    same_surname = "gamma_surname = 5" if fields.surname else "TRUE"
    same_address = "gamma_postcode = 3" if fields.postcode else "TRUE"
    return (
        f"(gamma_forename = 0 AND {same_surname} AND gamma_date_of_birth = 5 "
        f"AND {same_address} AND NOT {same_id})"
    )


def _dedupe(
    con: Any,
    fields: Fields,
    threshold: float,
    result: LinkResult,
    twins: bool,
    review: ReviewStore | None,
    model_path: Path | None,
    retrain: bool,
    earlier: dict[str, str] | None,
    backend: str = "duckdb",
) -> None:
    tables = ["linkage_input"]
    pairs = _score(
        con, fields, "dedupe_only", tables, result, model_path, retrain, backend, review, earlier
    )
    fields = _scored_fields(con, pairs, fields)
    ids = [r[0] for r in rows(con, "SELECT unique_id FROM linkage_input")]
    veto = _veto_sql(fields) if twins else "FALSE"
    reviewed: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
    if review is not None:
        from stpkit.kid.pipeline.linkage.review import reviewed_edges

        reviewed = reviewed_edges(review.decisions(), set(ids))
        result.reviewed_applied = len(reviewed[0]) + len(reviewed[1])
    matches, non_matches = reviewed
    if earlier:
        matches = matches + _earlier_chains(earlier, set(ids))
    clusters, split = cluster(con, pairs, ids, threshold, veto, matches, non_matches, earlier)
    result.split_clusters = split
    _write_clusters(con, result.clusters, clusters, pairs)


def _to_registry(
    con: Any,
    fields: Fields,
    threshold: float,
    result: LinkResult,
    twins: bool,
    review: ReviewStore | None,
    model_path: Path | None,
    retrain: bool,
    backend: str = "duckdb",
    two_pass: bool = True,
) -> None:
    from stpkit.kid.pipeline.linkage.model import blocking_rules

    two_pass = two_pass and backend == "duckdb" and result.records >= CASCADE_FROM
    # known matches chosen by their identifier cannot measure its m: EM trains it then
    supervised = not fields.identifier and known_pairs(con, "linkage_known") >= MIN_KNOWN
    if not two_pass:
        tables = ["linkage_registry", "linkage_input"]
        pairs = _score(
            con, fields, "link_only", tables, result, model_path, retrain, backend, review,
            known=lambda linker: _joint(con, fields, result, linker, model_path),
            supervised=supervised,
        )  # fmt: skip
    else:  # cascade.py
        feed = training_sample(con, "linkage_input", result)
        linker = _trained(
            con, fields, "link_only", ["linkage_registry", feed], result, model_path, retrain,
            supervised=supervised,
        )  # fmt: skip
        rules = blocking_rules(fields)
        pairs = predict_to_registry(
            con, linker, result, rules, threshold,
            lambda p: _veto_sql(_scored_fields(con, p, fields)) if twins else "FALSE",
            _reviewed_ids(review), lambda lk: _check_cost(lk, result, rules, "link_only"),
            min(threshold, review.band[0]) if review is not None else threshold,
            _joint(con, fields, result, linker, model_path),
        )  # fmt: skip
    veto = _veto_sql(_scored_fields(con, pairs, fields)) if twins else "FALSE"
    _reviewed_table(con, review, result)
    # every candidate of a record competes for it, an apparent twin too (it may be the
    # person); a reviewed non-match does not. Candidates far below the threshold (more
    # than the posterior can add) are left out, the same on every backend and pass: the
    # two-pass link and Spark keep only the pairs that could reach it
    registered = int(rows(con, "SELECT count(*) FROM linkage_registry")[0][0])
    prior = model_prior(result.model, registered)
    cut = lowered(threshold, largest_gain(prior, registered))
    rows(
        con,
        f"CREATE OR REPLACE TEMP TABLE __registry_candidates AS SELECT {RECORD_SIDE} AS "
        f"record_id, {PERSON_SIDE} AS registry_id, match_weight, {veto} AS vetoed, "
        f"d.decision FROM {pairs} LEFT JOIN __reviewed d "
        "ON d.id_l = least(unique_id_l, unique_id_r) "
        "AND d.id_r = greatest(unique_id_l, unique_id_r) "
        f"WHERE (match_probability >= {cut!r} OR d.decision = 'match') "
        "AND d.decision IS DISTINCT FROM 'non_match'",
    )
    pi = registry_posterior(con, "__registry_candidates", prior, registered, result.records)
    result.notes.append(f"estimated share of records whose person is registered: {pi:.4f}")
    # A record's candidates, best first (a reviewed match before any score). A record whose
    # two best candidates above the threshold are equally likely is left unlinked: which of
    # two people it is cannot be told (seen: a household member missing from the registry,
    # tied between two relatives at one address), and the choice would otherwise fall on
    # the order of their ids. (The posterior already gives two such candidates half each.)
    rows(
        con,
        f"CREATE OR REPLACE TABLE {result.clusters} AS SELECT i.unique_id, "
        "coalesce(b.registry_id, i.unique_id) AS cluster_id, b.match_probability, i.label "
        "FROM linkage_input i LEFT JOIN ("
        "SELECT record_id, registry_id, match_probability FROM ("
        "SELECT record_id, registry_id, posterior AS match_probability, match_weight, "
        "decision IS NOT NULL AS reviewed, row_number() OVER w AS rank, "
        "lead(match_weight) OVER w AS runner_up FROM __registry_posterior "
        f"WHERE coalesce(decision = 'match', posterior >= {threshold} AND NOT vetoed) "
        "WINDOW w AS (PARTITION BY record_id ORDER BY decision IS NOT NULL DESC, "
        "match_weight DESC, registry_id)) r WHERE rank = 1 "
        "AND (reviewed OR runner_up IS NULL OR runner_up < match_weight)"
        ") b ON i.unique_id = b.record_id",
    )
    rows(con, "DROP TABLE __reviewed")
    rows(con, "DROP TABLE __registry_candidates")
    rows(con, "DROP TABLE __registry_posterior")


def _reviewed_ids(review: ReviewStore | None) -> set[str]:
    """Every record named in a clerical review decision."""
    decided = review.decisions() if review is not None else {}
    return {x for pair in decided for x in pair}


def _reviewed_table(con: Any, review: ReviewStore | None, result: LinkResult) -> None:
    """Table __reviewed (id_l, id_r, decision) of the decisions recorded so far."""
    rows(
        con,
        "CREATE OR REPLACE TEMP TABLE __reviewed (id_l VARCHAR, id_r VARCHAR, decision VARCHAR)",
    )
    if review is None:
        return
    decided = [[a, b, d] for (a, b), d in review.decisions().items()]
    if decided:
        con.executemany("INSERT INTO __reviewed VALUES (?, ?, ?)", decided).fetchall()
        result.reviewed_applied = len(decided)


def cluster(
    con: Any,
    pairs: str,
    ids: list[str],
    threshold: float,
    veto: str,
    matches: list[tuple[str, str]] | None = None,
    non_matches: list[tuple[str, str]] | None = None,
    earlier: dict[str, str] | None = None,
) -> tuple[dict[str, str], int]:
    """Greedy connected components: edges at or above `threshold`, strongest first; a merge
    that would put a vetoed pair (the twin signature) in one cluster is refused, and so is a
    merge the two groups' scored pairs do not support on average (mean match weight below
    0: the typical pair between them is more likely two people than one). A cluster larger
    than MAX_CLUSTER records is clustered again at each stricter threshold. Reviewed
    `matches` are merged first and unconditionally; reviewed `non_matches` are cannot-link
    pairs like the twin signature. With `earlier` (record -> earlier cluster id), records of
    different earlier clusters are never merged by the model, and a cluster is named by
    its earlier records' cluster id (else its smallest record id)."""
    forced = list(matches or [])
    edges = [
        (a, b, float(p))
        for a, b, p in rows(
            con,
            f"SELECT unique_id_l, unique_id_r, match_probability FROM {pairs} "
            f"WHERE match_probability >= {threshold} AND NOT {veto} "
            "ORDER BY match_probability DESC, unique_id_l, unique_id_r",
        )
    ]
    twins = rows(con, f"SELECT unique_id_l, unique_id_r FROM {pairs} WHERE {veto}")
    cannot = list(non_matches or [])
    support = _support(con, pairs, edges, forced)
    before = {i: earlier[i] for i in ids if earlier and i in earlier}
    guard = _TwinGuard(twins, math.log2(threshold / (1 - threshold)))
    labels = _components(ids, edges, cannot, support, forced, before, guard)
    split = 0
    for stricter in STRICTER:
        sizes = Counter(labels.values())
        big = {c for c, size in sizes.items() if size > MAX_CLUSTER}
        if not big:
            break
        split += len(big)
        members = [i for i in ids if labels[i] in big]
        kept = [
            e
            for e in edges
            if e[2] >= stricter and labels[e[0]] in big and labels[e[0]] == labels[e[1]]
        ]
        inside = [m for m in forced if labels[m[0]] in big]
        labels.update(_components(members, kept, cannot, support, inside, before, guard))
    return _stable_names(labels, before), split


def _stable_names(labels: dict[str, str], before: dict[str, str]) -> dict[str, str]:
    """Rename each cluster holding earlier records to their (most common) earlier id; a
    name claimed by two clusters goes to the one with more of its earlier records."""
    if not before:
        return labels
    votes: dict[str, Counter[str]] = {}
    for record, earlier_id in before.items():
        votes.setdefault(labels[record], Counter())[earlier_id] += 1
    claims = sorted(
        ((-n, name, root) for root, c in votes.items() for name, n in c.most_common(1)),
    )
    names: dict[str, str] = {}
    taken: set[str] = set()
    for _, name, root in claims:
        if name not in taken:
            names[root] = name
            taken.add(name)
    return {record: names.get(root, root) for record, root in labels.items()}


Support = dict[str, list[tuple[str, float]]]


def _support(
    con: Any, pairs: str, edges: list[tuple[str, str, float]], forced: list[tuple[str, str]]
) -> Support:
    """The scored pairs a merge can weigh: those inside one connected component of all
    edges (no merge ever joins records of two such components), a small share of all."""
    import pyarrow as pa

    nodes, part = _reach([*((a, b) for a, b, _ in edges), *forced])
    con.register("__reach", pa.table({"id": nodes, "part": part}))
    adjacency: Support = defaultdict(list)
    try:
        found = rows(
            con,
            f"SELECT p.unique_id_l, p.unique_id_r, p.match_weight FROM {pairs} p "
            "JOIN __reach a ON a.id = p.unique_id_l JOIN __reach b ON b.id = p.unique_id_r "
            "WHERE a.part = b.part",
        )
    finally:
        con.unregister("__reach")
    for a, b, w in found:
        adjacency[a].append((b, w))
        adjacency[b].append((a, w))
    return adjacency


def _reach(pairs: list[tuple[str, str]]) -> tuple[list[str], Any]:
    """Connected components of `pairs` (plain, no guards): each node and a component
    number. Vectorised minimum-label propagation with pointer jumping (numpy), a few
    passes for the small components of record linkage, instead of a Python union-find."""
    import numpy as np

    nodes = sorted({x for pair in pairs for x in pair})
    index = {x: i for i, x in enumerate(nodes)}
    left = np.fromiter((index[a] for a, _ in pairs), np.int64, len(pairs))
    right = np.fromiter((index[b] for _, b in pairs), np.int64, len(pairs))
    label = np.arange(len(nodes), dtype=np.int64)
    while True:
        low = np.minimum(label[left], label[right])
        new = label.copy()
        np.minimum.at(new, left, low)
        np.minimum.at(new, right, low)
        new = new[new]  # a node takes its label's label: long chains close in log passes
        if np.array_equal(new, label):
            return nodes, label
        label = new


def _components(
    ids: list[str],
    edges: list[tuple[str, str, float]],
    cannot: list[tuple[str, str]],
    support: Support | None = None,
    forced: list[tuple[str, str]] | None = None,
    before: dict[str, str] | None = None,
    guard: _TwinGuard | None = None,
) -> dict[str, str]:
    """Union-find over edges in the order given, refusing merges across a cannot-link pair,
    merges the twin `guard` refuses, and (with `support`) merges whose scored cross pairs
    have a negative mean match weight; each component is named by its smallest id (stable
    across runs)."""
    parent = {i: i for i in ids}
    members: dict[str, set[str]] = {}
    forbidden: dict[str, set[str]] = {}
    for a, b in cannot:
        if a in parent and b in parent:
            forbidden.setdefault(a, set()).add(b)
            forbidden.setdefault(b, set()).add(a)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    held = dict(before or {})  # component root -> the earlier cluster id it holds

    sure = [(a, b, 1.0, True) for a, b in forced or []]
    for a, b, _, reviewed in [*sure, *((a, b, p, False) for a, b, p in edges)]:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        ma, mb = members.get(ra, {ra}), members.get(rb, {rb})
        fa, fb = forbidden.get(ra, set()), forbidden.get(rb, set())
        if reviewed:
            pass  # a data processor looked at this pair and said one person
        elif (fa and not fa.isdisjoint(mb)) or (fb and not fb.isdisjoint(ma)):
            continue  # a data processor said these are two people
        elif guard is not None and support is not None and guard.refuses(ma, mb, support):
            continue  # would put an apparent twin pair in one cluster
        elif held.get(ra) and held.get(rb) and held[ra] != held[rb]:
            continue  # two people an earlier run kept apart
        elif support is not None and len(ma) + len(mb) > 2 and not _supported(ma, mb, support):
            continue  # the groups as a whole look like different people
        kept_id = held.get(ra) or held.get(rb)
        if rb < ra:
            ra, rb, ma, mb, fa, fb = rb, ra, mb, ma, fb, fa
        parent[rb] = ra
        if kept_id:
            held[ra] = kept_id
        members[ra] = ma | mb
        members.pop(rb, None)
        if fa or fb:
            forbidden[ra] = fa | fb
            forbidden.pop(rb, None)
    return {i: find(i) for i in ids}


class _TwinGuard:
    """Pairs with the twin signature, which are never an edge; a merge that would put such
    a pair in one cluster is refused unless the two groups hold more scored pairs at the
    threshold between them than twin pairs (strictly more). So a record with no forename
    that fits both twins (one edge against one twin pair per twin record) never joins
    them, while a person whose records agree with each other across the groups many times
    over, of whom one record had its forename replaced, is still one cluster."""

    def __init__(self, pairs: list[tuple[str, str]], edge_weight: float) -> None:
        self.apart: dict[str, set[str]] = {}
        self.edge_weight = edge_weight
        for a, b in pairs:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def refuses(self, ma: set[str], mb: set[str], support: Support) -> bool:
        if not self.apart:
            return False
        small, large = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
        twins = 0
        for x in small:
            apart = self.apart.get(x)
            if apart:
                twins += len(apart & large)
        if not twins:
            return False
        strong = 0
        for x in small:
            apart = self.apart.get(x, set())
            for y, weight in support.get(x, ()):
                if weight >= self.edge_weight and y in large and y not in apart:
                    strong += 1
        return strong <= twins


def _supported(ma: set[str], mb: set[str], support: Support) -> bool:
    """Mean match weight of the scored pairs between two groups is at least 0."""
    small, large = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
    total, count = 0.0, 0
    for x in small:
        for y, weight in support.get(x, ()):
            if y in large:
                total += weight
                count += 1
    return count == 0 or total >= 0


def _write_clusters(con: Any, out: str, labels: dict[str, str], pairs: str) -> None:
    import pyarrow as pa

    table = pa.table({"unique_id": list(labels.keys()), "cluster_id": list(labels.values())})
    con.register("__labels", table)
    rows(
        con,
        "CREATE OR REPLACE TEMP TABLE __best AS SELECT id, max(p) AS p FROM ("
        f"SELECT p.unique_id_l AS id, p.match_probability AS p FROM {pairs} p "
        "JOIN __labels a ON p.unique_id_l = a.unique_id JOIN __labels b "
        "ON p.unique_id_r = b.unique_id WHERE a.cluster_id = b.cluster_id UNION ALL "
        f"SELECT p.unique_id_r, p.match_probability FROM {pairs} p "
        "JOIN __labels a ON p.unique_id_l = a.unique_id JOIN __labels b "
        "ON p.unique_id_r = b.unique_id WHERE a.cluster_id = b.cluster_id) x GROUP BY id",
    )
    rows(
        con,
        f"CREATE OR REPLACE TABLE {out} AS SELECT i.unique_id, l.cluster_id, "
        "b.p AS match_probability, i.label FROM linkage_input i "
        "JOIN __labels l ON i.unique_id = l.unique_id LEFT JOIN __best b ON i.unique_id = b.id",
    )
    con.unregister("__labels")
    rows(con, "DROP TABLE __best")


def _finish(con: Any, result: LinkResult, mapping: ColumnMap, mode: str, start: float) -> None:
    sizes = rows(
        con,
        f"SELECT count(*), coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM {result.clusters} "
        "GROUP BY cluster_id)",
    )[0]
    result.clusters_count, result.largest_cluster = int(sizes[0]), int(sizes[1])
    written = rows(con, f"SELECT count(*) FROM {result.clusters}")[0][0]
    if written != result.records:  # every input row is accounted for, exactly once
        raise AssertionError(f"{result.records} records in, {written} clustered")
    if mapping.label and result.comparisons and mode == "dedupe":
        result.pair_completeness = pair_completeness(con, "linkage_pairs", "linkage_input", "label")
    result.seconds = time.perf_counter() - start
