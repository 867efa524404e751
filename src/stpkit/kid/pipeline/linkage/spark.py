"""The Spark backend of the standalone linker: Splink's SparkAPI trains and scores, the
clustering stays where it is (`link.cluster`, on DuckDB in this process).

What runs where, and why:
- Records are standardised by `prepare` on DuckDB (one code path for both backends: the
  same cleaned names, Soundex, nickname roots, postcode parts) and handed to Spark as a
  Parquet file in a scratch directory (local disk in local mode), deleted after the run.
- Spark trains the model (`link.train`: the same prior, u sampling, EM blocks as DuckDB) or
  reuses a saved one, and scores every blocked pair with `model.py`'s comparisons and
  blocking rules. One DuckDB-only function the comparisons call, `hamming`, is defined in
  the Spark session as a SQL function with DuckDB's meaning (for strings of one length).
- The clustering (threshold, twin veto, support test, cluster-size guard, reviewed and
  earlier links) is `link.cluster` itself, run on the pairs brought back from Spark. Not
  every pair comes back: those that can change a cluster, a review queue or a figure do.
  A pair comes back when (a) its match probability is at least `floor` (the lower of 0.5
  and the review band's bottom, so every edge and every queued pair), or (b) it carries the
  twin signature (a cannot-link pair), or (c) both its records lie in one connected
  component of the pairs in (a) plus the reviewed and earlier links (the support test and
  the cluster's best probability only weigh pairs inside such a component), or (d) both
  records carry one label (pair completeness counts those). The clusters are therefore
  the ones DuckDB gives for the same scored pairs; the match-weight distribution in the
  quality report covers only the pairs brought back (the comparison counts cover all).
- Only record ids, weights, probabilities and comparison levels (gamma) come back; names and
  dates stay in the prepared tables, as they do on DuckDB. In local mode Spark is a child of
  this process; on a cluster, the cluster is part of the identifiable zone.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stpkit.kid.pipeline.linkage.joint import lowered, reweight
from stpkit.kid.pipeline.linkage.posterior import reach
from stpkit.kid.pipeline.linkage.sql import rows

if TYPE_CHECKING:
    from collections.abc import Callable

    from pyspark.sql import DataFrame, SparkSession

    from stpkit.kid.pipeline.linkage.joint import JointPatterns
    from stpkit.kid.pipeline.linkage.link import LinkResult
    from stpkit.kid.pipeline.linkage.model import Fields, LinkType
    from stpkit.kid.pipeline.linkage.review import ReviewStore

FLOOR = 0.5  # every pair at or above this comes back (the threshold is at least 0.5)

# DuckDB's hamming() for the Spark session: differing characters of two strings of one
# length (the comparisons only call it after checking the lengths agree).
HAMMING = (
    "CREATE OR REPLACE TEMPORARY FUNCTION hamming(a STRING, b STRING) RETURNS INT RETURN "
    "aggregate(sequence(1, greatest(length(a), 1)), 0, "
    "(acc, i) -> acc + IF(substr(a, i, 1) <> substr(b, i, 1), 1, 0))"
)


def session() -> SparkSession:
    """The active SparkSession, or a local one (`spark_engine.local_session`)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        from stpkit.kid.pipeline.linkage.prepare import LinkageInputError

        raise LinkageInputError(
            "the spark backend needs pyspark and Java (install stpkit with the spark extra)"
        ) from exc
    from stpkit.kid.pipeline.spark_engine import local_session

    active = SparkSession.getActiveSession()
    return active if active is not None else local_session()


def _to_spark(spark: SparkSession, con: Any, table: str, scratch: Path) -> None:
    """Hand a prepared DuckDB table to Spark as a temp view of the same name, through a
    Parquet file in `scratch` (a DataFrame made from driver-side rows is copied into every
    query plan Splink builds on it, and ran the driver out of memory on 50k records)."""
    path = scratch / f"{table}.parquet"
    rows(con, f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT parquet)")
    spark.read.parquet(str(path)).createOrReplaceTempView(table)


def score(
    con: Any,
    fields: Fields,
    link_type: LinkType,
    tables: list[str],
    result: LinkResult,
    model_path: Path | None,
    retrain: bool,
    review: ReviewStore | None = None,
    earlier: dict[str, str] | None = None,
    known: Callable[[Any], JointPatterns | None] | None = None,
    supervised: bool = False,
) -> str:
    """Train (or reuse) and score on Spark; leave DuckDB table `linkage_pairs` holding every
    pair the clustering can need (see the module docstring); return its name. `known` as in
    `link._score`: the correction by comparison pattern is made here, on the pairs brought
    back, which are cut that much lower."""
    spark = session()
    spark.sql(HAMMING)
    scratch = Path(tempfile.mkdtemp(prefix="stpkit-link-spark-"))  # local mode: local disk
    try:
        for table in tables:
            _to_spark(spark, con, table, scratch)
        return _score(
            con, spark, fields, link_type, tables, result, model_path, retrain, review, earlier,
            known, supervised,
        )  # fmt: skip
    finally:
        for table in tables:
            spark.catalog.dropTempView(table)
        shutil.rmtree(scratch, ignore_errors=True)


def _score(
    con: Any,
    spark: SparkSession,
    fields: Fields,
    link_type: LinkType,
    tables: list[str],
    result: LinkResult,
    model_path: Path | None,
    retrain: bool,
    review: ReviewStore | None,
    earlier: dict[str, str] | None,
    known: Callable[[Any], JointPatterns | None] | None = None,
    supervised: bool = False,
) -> str:
    from splink import SparkAPI

    from stpkit.kid.pipeline.linkage import link
    from stpkit.kid.pipeline.linkage.model import blocking_rules

    db_api = SparkAPI(spark_session=spark, break_lineage_method="persist")
    linker = link._trained(
        con, fields, link_type, tables, result, model_path, retrain, db_api, supervised
    )
    rules = blocking_rules(fields)
    link._check_cost(linker, result, rules, link_type)
    joint = known(linker) if known is not None else None
    scored = linker.inference.predict(warning_mode="never").as_spark_dataframe()
    scored = scored.localCheckpoint(eager=True)  # several passes below: score once
    try:
        by_rule = [(r[0], r[1]) for r in scored.groupBy("match_key").count().collect()]
        result.comparisons = sum(int(n) for _, n in by_rule)
        by_rule.sort(key=lambda r: str(r[0]))  # as DuckDB orders them
        link.count_by_rule(result, rules, by_rule)
        gain = joint.largest_gain() if joint is not None else 0.0
        if link_type == "link_only":  # the posterior over a record's candidates adds more
            gain += reach(con, result.model)
        _bring_back(con, spark, scored, fields, link_type, review, earlier, gain)
    finally:
        scored.unpersist()
    if joint is not None:
        reweight(con, "linkage_pairs", joint)
    return "linkage_pairs"


def _floor(review: ReviewStore | None) -> float:
    return min(FLOOR, review.band[0]) if review is not None else FLOOR


def _bring_back(
    con: Any,
    spark: SparkSession,
    scored: DataFrame,
    fields: Fields,
    link_type: LinkType,
    review: ReviewStore | None,
    earlier: dict[str, str] | None,
    gain: float = 0.0,
) -> None:
    """Create DuckDB table `linkage_pairs` from the scored pairs that can matter (down to
    `gain` bits of match weight below the floor, for a correction still to come)."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    from stpkit.kid.pipeline.linkage import link

    columns = set(scored.columns)
    veto = link._veto_sql(link.scored_fields(columns, fields))
    floor = lowered(_floor(review), gain)
    strong = f"(match_probability >= {floor} OR {veto})"
    edges = [
        (str(a), str(b), 1.0)
        for a, b in scored.where(f"match_probability >= {floor}")
        .select("unique_id_l", "unique_id_r")
        .collect()
    ]
    links = _forced(review, earlier)
    ends = sorted({x for e in edges for x in e[:2]} | {x for pair in links for x in pair})
    parts = link._components(ends, [*edges, *((a, b, 1.0) for a, b in links)], [])
    keep = F.expr(strong)
    frame = scored
    if parts:
        part = spark.createDataFrame(pa.table({"id": list(parts), "value": list(parts.values())}))
        frame = _tag(_tag(frame, part, "l", "__part"), part, "r", "__part")
        keep = keep | (F.col("__part_l") == F.col("__part_r"))
    if link_type == "dedupe_only" and _has_labels(con):
        labels = spark.table("linkage_input").where("label IS NOT NULL")
        labels = labels.select(F.col("unique_id").alias("id"), F.col("label").alias("value"))
        frame = _tag(_tag(frame, labels, "l", "__label"), labels, "r", "__label")
        keep = keep | (F.col("__label_l") == F.col("__label_r"))
    wanted = ["unique_id_l", "unique_id_r", "match_weight", "match_probability", "match_key"]
    wanted += sorted(c for c in columns if c.startswith("gamma_"))
    arrow = frame.where(keep).select(*wanted).toArrow()
    con.register("__spark_pairs", arrow)
    try:
        rows(con, "CREATE OR REPLACE TABLE linkage_pairs AS SELECT * FROM __spark_pairs")
    finally:
        con.unregister("__spark_pairs")


def _tag(frame: DataFrame, values: DataFrame, side: str, name: str) -> DataFrame:
    """Left-join `values` (id, value) onto the pairs' `unique_id_<side>` as `<name>_<side>`."""
    from pyspark.sql import functions as F

    renamed = values.select(
        F.col("id").alias(f"{name}_id_{side}"), F.col("value").alias(f"{name}_{side}")
    )
    on = F.col(f"unique_id_{side}") == F.col(f"{name}_id_{side}")
    return frame.join(renamed, on, "left")


def _has_labels(con: Any) -> bool:
    return bool(rows(con, "SELECT count(label) FROM linkage_input")[0][0])


def _forced(review: ReviewStore | None, earlier: dict[str, str] | None) -> list[tuple[str, str]]:
    """Every pair a reviewed decision or an earlier run ties together (a superset of the
    links `link.cluster` forces, so the components cover the ones it weighs)."""
    from stpkit.kid.pipeline.linkage import link

    pairs = list(review.decisions()) if review is not None else []
    if earlier:
        pairs += link._earlier_chains(earlier, set(earlier))
    return pairs


def model_for_dialect(saved: dict[str, Any], fresh: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A saved model (parameters and the SQL of the engine it was trained on) made usable
    on `dialect`: each level's SQL and the blocking rules are taken from `fresh` (the same
    settings created for `dialect`), the trained m, u and term-frequency settings kept. A
    model saved on DuckDB is thus reused by a Spark build and the other way round."""
    from stpkit.kid.pipeline.linkage.prepare import LinkageInputError

    if saved.get("sql_dialect") in (None, dialect):
        return saved
    now = {c["output_column_name"]: c for c in fresh["comparisons"]}
    for comparison in saved["comparisons"]:
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        target = now.get(name, {}).get("comparison_levels", [])
        if len(target) != len(levels):
            raise LinkageInputError(
                f"the saved model's {name} comparison differs from this version's: retrain"
            )
        for level, new in zip(levels, target, strict=True):
            level["sql_condition"] = new["sql_condition"]
    out = dict(saved)
    out["blocking_rules_to_generate_predictions"] = fresh["blocking_rules_to_generate_predictions"]
    out["sql_dialect"] = dialect
    return out
