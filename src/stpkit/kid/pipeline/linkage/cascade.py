"""Link-to-registry scoring in two passes, so that its cost stays bounded at full scale.

Blocking for recall has rules whose blocks grow with the registry (a soundex code with a
birth year, a postcode district with a surname code): at Kent and Medway scale (1.8M
registered people) they would give each record some two thousand candidates, most of them
obviously someone else. Most records need none of them: their own person shares their full
date of birth or full postcode and scores as a sure match.

Pass 1 scores every record under the *bounded* rules only: those joining on a full date of
birth, a full postcode or the identifier, or on both names swapped, whose blocks do not
grow with the population. A record whose best pair there is a sure match (at or above
SURE, or the threshold if higher; not vetoed as twins) is decided: its pass-1 pairs are its
pairs. Deciding at the registry threshold itself (0.95) let a record settle on a pass-1
candidate that a wide rule's candidate tied (a household member missing from the registry,
equally like two relatives at one address), which one pass would have left unlinked.
Pass 2 scores the remaining records under every rule, exactly as a single pass would, with
the term frequencies of the whole input registered so that each pair's weight is the one a
single pass gives.

What can differ from one pass: a decided record's pairs found only by the wide rules are
not scored, so a candidate disagreeing on both the date of birth (beyond the blocking keys)
and the postcode could not outrank its sure pass-1 match, and such pairs are not queued
for clerical review. Records named in a clerical review decision always go to pass 2.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from stpkit.kid.pipeline.linkage.joint import JointPatterns, lowered, reweight
from stpkit.kid.pipeline.linkage.posterior import reach
from stpkit.kid.pipeline.linkage.sql import RECORD_SIDE, rows, rule_sql

if TYPE_CHECKING:
    from collections.abc import Callable

    from stpkit.kid.pipeline.linkage.link import LinkResult

SURE = 0.99  # match probability at which pass 1 decides a record
CASCADE_FROM = 20_000  # records: below this one pass is cheap and nothing is gained
TRAIN_RECORDS = 20_000  # records the model is trained on, however many are linked
# records scored per chunk, bounding a pass's working memory beyond what the link's own
# memory limit already bounds by spilling: a Kent and Medway year's 360,000 identities in
# one chunk took 69 s against 86 s in four, at 3.46 GB peak against 3.38 GB
CHUNK_RECORDS = 500_000
_BOUNDED_KEY = re.compile(r'l\."?(date_of_birth|postcode|identifier)"? = r\."?\1"?(?![\w"])')
_SWAP = re.compile(r"l\.forename = r\.surname AND l\.surname = r\.forename")


def bounded(rule: Any) -> bool:
    """A rule whose blocks stay small however large the registry: it joins on a full date
    of birth, a full postcode or the identifier, or on both names swapped."""
    sql = rule_sql(rule)
    return bool(_BOUNDED_KEY.search(sql) or _SWAP.search(sql))


def training_sample(con: Any, table: str, result: LinkResult) -> str:
    """The records to train on: all, or TRAIN_RECORDS of them chosen by a hash of their id
    (the same every run). Training pairs a record with every registered person sharing its
    full name: 117M pairs for the 360k unnumbered identities of a Kent and Medway year
    against 1.8M registered people (over 10 GB), where a random 20k records estimate the
    same proportions. Only the parameters come from the sample: every record is scored."""
    if result.records <= TRAIN_RECORDS:
        return table
    rows(
        con,
        f"CREATE OR REPLACE TABLE __train_sample AS SELECT * FROM {table} "
        f"ORDER BY md5(unique_id), unique_id LIMIT {TRAIN_RECORDS}",
    )
    result.notes.append(f"model trained on {TRAIN_RECORDS:,} of the {result.records:,} records")
    return "__train_sample"


def _predict(linker: Any, records: int, keep_from: float | None = None) -> str:
    """Score in chunks of the feed's records (the left side: `linkage_input` sorts
    before `linkage_registry`), so no chunk needs all pairs' working memory at once;
    with `keep_from`, only pairs at or above that match probability are kept."""
    chunks = max(1, -(-records // CHUNK_RECORDS))
    found = linker.inference.predict(
        threshold_match_probability=keep_from, warning_mode="never", num_chunks_left=chunks
    )
    return str(found.physical_name)


def _settings(model: dict[str, Any], rules: list[str]) -> dict[str, Any]:
    out = dict(model)
    out["link_type"] = "link_only"
    out["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": r, "sql_dialect": "duckdb"} for r in rules
    ]
    return out


def predict_to_registry(
    con: Any,
    linker: Any,
    result: LinkResult,
    rules: list[Any],
    threshold: float,
    veto_of: Callable[[str], str],
    reviewed: set[str],
    check_cost: Callable[[Any], None],
    keep_from: float | None = None,
    joint: JointPatterns | None = None,
) -> str:
    """Score `linkage_input` against `linkage_registry` in two passes (module docstring)
    with the trained `linker`'s model; returns the pairs table (`linkage_pairs`), with
    `match_key` the index in `rules` of the first rule of its pass that found the pair.
    With `joint`, each pass's weights are corrected by comparison pattern (`joint.py`)
    before anything is decided, and pass 2 keeps the pairs that correction could lift to
    `keep_from`."""
    from splink import DuckDBAPI, Linker

    model = linker.misc.save_model_to_json()
    texts = [rule_sql(r) for r in rules]
    narrow = [i for i, r in enumerate(rules) if bounded(r)]
    tables = ["linkage_registry", "linkage_input"]

    api_a = DuckDBAPI(connection=con)
    frames = [api_a.register(t, dataset_display_name=t) for t in tables]
    first = Linker(frames, _settings(model, [texts[i] for i in narrow]), log_level=40)
    pairs_a = _predict(first, result.records)
    if joint is not None:
        reweight(con, pairs_a, joint)
    veto = veto_of(pairs_a)
    rows(con, "CREATE OR REPLACE TEMP TABLE __cascade_reviewed (unique_id VARCHAR)")
    if reviewed:
        con.executemany(
            "INSERT INTO __cascade_reviewed VALUES (?)", [[r] for r in sorted(reviewed)]
        ).fetchall()
    rows(
        con,
        "CREATE OR REPLACE TEMP TABLE __cascade_decided AS SELECT DISTINCT "
        f"{RECORD_SIDE} AS unique_id FROM {pairs_a} "
        f"WHERE match_probability >= {max(threshold, SURE)} "
        f"AND NOT {veto} AND {RECORD_SIDE} NOT IN (SELECT unique_id FROM __cascade_reviewed)",
    )
    rows(
        con,
        "CREATE OR REPLACE TABLE __cascade_pending AS SELECT * FROM linkage_input "
        "WHERE unique_id NOT IN (SELECT unique_id FROM __cascade_decided)",
    )
    pending = int(rows(con, "SELECT count(*) FROM __cascade_pending")[0][0])
    decided = result.records - pending
    remap = " ".join(f"WHEN '{k}' THEN '{i}'" for k, i in enumerate(narrow))
    rows(
        con,
        f"CREATE OR REPLACE TABLE linkage_pairs AS SELECT * REPLACE (CAST(CASE "
        f"CAST(match_key AS VARCHAR) {remap} END AS VARCHAR) AS match_key) FROM {pairs_a} "
        f"WHERE {RECORD_SIDE} IN (SELECT unique_id FROM __cascade_decided)",
    )
    rows(con, f"DROP TABLE IF EXISTS {pairs_a}")
    if pending:
        api_b = DuckDBAPI(connection=con)
        frames_b = [
            api_b.register("linkage_registry", dataset_display_name="linkage_registry"),
            api_b.register("__cascade_pending", dataset_display_name="linkage_input"),
        ]
        second = Linker(frames_b, _settings(model, texts), log_level=40)
        for column in first._settings_obj._term_frequency_columns:
            name = column.unquote().name
            tf = first.table_management.compute_tf_table(name).physical_name
            second.table_management.register_term_frequency_lookup(
                api_b.register(tf, dataset_display_name=f"__cascade_tf_{name}"), name
            )
        check_cost(second)
        # the wide rules' pairs are mostly other people: keep only those that can link or
        # be queued for review (every pair of a record named in a review decision)
        floor = None if reviewed else keep_from
        if floor is not None:  # the weight a pattern and the posterior could add
            gain = reach(con, model) + (joint.largest_gain() if joint is not None else 0.0)
            floor = lowered(floor, gain)
        pairs_b = _predict(second, pending, floor)
        if joint is not None:
            reweight(con, pairs_b, joint)
        rows(con, f"INSERT INTO linkage_pairs BY NAME SELECT * FROM {pairs_b}")
        rows(con, f"DROP TABLE IF EXISTS {pairs_b}")
    rows(con, "DROP TABLE __cascade_pending")
    rows(con, "DROP TABLE __cascade_decided")
    rows(con, "DROP TABLE __cascade_reviewed")
    from stpkit.kid.pipeline.linkage.link import count_pairs  # link imports this module

    count_pairs(con, result, rules)
    result.notes.append(
        f"link to registry in two passes: {decided:,} records sure under the bounded rules, "
        f"{pending:,} scored under every rule"
    )
    return "linkage_pairs"
