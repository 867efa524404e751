"""Linkage on public labelled data: our linkage against Splink's documented example models.

Usage: `python benchmarks/linkage.py [--set febrl3|historical_50k] [--skip-splink] [--spark]`.
Reads `../shared/evaluation/linkage/` beside the repository (or $STPKIT_EVALUATION_DIR/linkage)
and skips with a message when it is absent. For each set it prints, as JSON lines,
`linkage.<set>.ours_precision`, `.ours_recall`, `.ours_f1`, `.ours_seconds` and
`linkage.<set>.splink_f1`, `.splink_seconds` (seconds: the median of `--runs` runs, 3 by
default, alternating ours and Splink's so that both see the same load). Splink's models
are those of its docs (docs/demos/examples/duckdb/febrl3 and deduplicate_50k_synthetic),
trained as documented
and clustered at match probability 0.95. Neither model sees the labels; scores are pairwise.
Our model is the stpkit default (no per-set settings): only the column mapping differs.
The default keeps apparent twins apart (a health-data requirement); `--no-twin-guard` also
prints the figures without that guard, to show what it costs on sets that hold no twins.
`--spark` also runs ours on the Spark backend (local[2], the session started before the
clock; figures `linkage.<set>.spark.ours_*`): same model, so the same scores up to the
random sample u is estimated from, and the seconds Spark takes on one machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure

ROOT = Path(__file__).resolve().parent.parent
SETS = ("febrl3", "historical_50k")


def evaluation_dir() -> Path:
    env = os.environ.get("STPKIT_EVALUATION_DIR")
    return Path(env) if env else ROOT.parent / "shared" / "evaluation"


def load(con: Any, name: str, folder: Path) -> None:
    """Create table `records` (the set as published, plus `truth`)."""
    if name == "febrl3":
        path = folder / "febrl3.csv"
        con.execute(
            f"CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv('{path}', all_varchar=true)"
        )
        cols = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
        select = ", ".join(f'trim("{c}") AS {c.strip()}' for c in cols)
        con.execute(f"CREATE OR REPLACE TABLE records AS SELECT {select} FROM raw")
        con.execute(
            "CREATE OR REPLACE TABLE records AS SELECT *, "
            "regexp_extract(rec_id, '^rec-([0-9]+)', 1) AS truth FROM records"
        )
    else:
        path = folder / "historical_figures_with_errors_50k.parquet"
        con.execute(
            f"CREATE OR REPLACE TABLE records AS SELECT *, cluster AS truth "
            f"FROM read_parquet('{path}')"
        )


def _febrl3_linker(
    con: Any, tables: list[str], link_type: Literal["dedupe_only", "link_only"]
) -> Any:
    """Splink's febrl3 example (docs/demos/examples/duckdb/febrl3), as documented, trained
    on `tables` (one: dedupe; two: link one to the other)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frames = [
        con.sql(
            "SELECT * REPLACE (trim(CAST(date_of_birth AS VARCHAR)) AS date_of_birth, "
            f"trim(CAST(soc_sec_id AS VARCHAR)) AS soc_sec_id) FROM {table}"
        )
        for table in tables
    ]
    blocking_rules: list[Any] = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI(connection=con)
    registered = [db_api.register(f) for f in frames]
    linker = Linker(
        registered if len(registered) > 1 else registered[0], settings, log_level=logging.WARNING
    )
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    return linker


def splink_febrl3(con: Any) -> Any:
    """Splink's febrl3 example: dedupe, clustered at 0.95."""
    linker = _febrl3_linker(con, ["records"], "dedupe_only")
    predictions = linker.inference.predict(threshold_match_probability=0.2)
    return linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.95
    ), "rec_id"


# FEBRL3 as a registry: its original records ('rec-N-org', one per person) are the master
# patient index and its duplicates ('rec-N-dup-k') the feed. The truth is in the ids.
REGISTRY_SPLIT = (
    "CREATE OR REPLACE TABLE febrl3_registry AS SELECT * FROM records WHERE rec_id LIKE '%-org';"
    "CREATE OR REPLACE TABLE febrl3_feed AS SELECT * FROM records WHERE rec_id NOT LIKE '%-org'"
)


def splink_febrl3_registry(con: Any) -> str:
    """Splink's febrl3 model linking the duplicates to the originals: each duplicate takes
    its most probable original at 0.95 or more. Returns a table (rec_id, person)."""
    linker = _febrl3_linker(con, ["febrl3_registry", "febrl3_feed"], "link_only")
    found = linker.inference.predict(threshold_match_probability=0.95).physical_name
    con.execute(
        "CREATE OR REPLACE TABLE splink_registry_links AS SELECT f.rec_id, b.person "
        "FROM febrl3_feed f LEFT JOIN (SELECT CASE WHEN rec_id_l LIKE '%-org' THEN rec_id_r "
        "ELSE rec_id_l END AS rec_id, arg_max(CASE WHEN rec_id_l LIKE '%-org' THEN rec_id_l "
        f"ELSE rec_id_r END, match_probability) AS person FROM {found} GROUP BY 1) b "
        "USING (rec_id)"
    )
    return "splink_registry_links"


def ours_febrl3_registry(con: Any) -> str:
    """Ours, `link_to_registry`: the same default model and column mapping as the dedupe."""
    from stpkit.kid.pipeline.linkage import ColumnMap, link_records

    mapping = ColumnMap(**OUR_COLUMNS["febrl3"])
    result = link_records(
        con, "febrl3_feed", mapping, mode="link_to_registry", registry="febrl3_registry"
    )
    print(result.summary(), flush=True)
    con.execute(
        "CREATE OR REPLACE TABLE ours_registry_links AS SELECT unique_id AS rec_id, "
        f"CASE WHEN cluster_id <> unique_id THEN cluster_id END AS person FROM {result.clusters}"
    )
    return "ours_registry_links"


def registry_scores(con: Any, links: str) -> dict[str, float]:
    """Precision, recall and F1 of the duplicates' assignment to their original."""
    linked, right, total = con.execute(
        "SELECT count(person), count(*) FILTER (WHERE person = regexp_extract(rec_id, "
        f"'^(rec-[0-9]+)', 1) || '-org'), count(*) FROM {links}"
    ).fetchall()[0]
    precision = right / linked if linked else 1.0
    recall = right / total if total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def run_registry_mode(con: Any, runs: int, splink: bool) -> None:
    """FEBRL3 in registry mode, ours and Splink's alternating; seconds are medians."""
    for statement in REGISTRY_SPLIT.split(";"):
        con.execute(statement)
    ours_s, splink_s = [], []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        ours = registry_scores(con, ours_febrl3_registry(con))
        ours_s.append(time.perf_counter() - start)
        if splink:
            start = time.perf_counter()
            theirs = registry_scores(con, splink_febrl3_registry(con))
            splink_s.append(time.perf_counter() - start)
    for key in ("precision", "recall", "f1"):
        figure(f"linkage.febrl3.registry.ours_{key}", ours[key], "-")
    figure("linkage.febrl3.registry.ours_seconds", statistics.median(ours_s), "s")
    if splink_s:
        figure("linkage.febrl3.registry.splink_f1", theirs["f1"], "-")
        figure("linkage.febrl3.registry.splink_seconds", statistics.median(splink_s), "s")


def splink_historical_50k(con: Any) -> Any:
    """Splink's 50k example (docs/demos/examples/duckdb/deduplicate_50k_synthetic)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    blocking_rules: list[Any] = [
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
        block_on("postcode_fake", "surname"),
        block_on("dob", "birth_place"),
        block_on("substr(postcode_fake,1,3)", "dob"),
        block_on("substr(postcode_fake,1,3)", "first_name"),
        block_on("substr(postcode_fake,1,3)", "surname"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode_fake"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI(connection=con)
    df = con.sql("SELECT *, first_name || ' ' || surname AS first_name_surname_concat FROM records")
    linker = Linker(db_api.register(df), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode_fake,1,2)"),
            block_on("dob", "postcode_fake"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict()
    return linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.95
    ), "unique_id"


# Column mapping only: the model, blocking, training and threshold are stpkit's defaults.
OUR_COLUMNS: dict[str, dict[str, Any]] = {
    "febrl3": {
        "unique_id": "rec_id",
        "forename": "given_name",
        "surname": "surname",
        "date_of_birth": "date_of_birth",
        "postcode": "postcode",
        "identifier": "soc_sec_id",
        "extra": ["street_number"],
    },
    "historical_50k": {
        "unique_id": "unique_id",
        "forename": "first_name",
        "surname": "surname",
        "date_of_birth": "dob",
        "postcode": "postcode_fake",
        "sex": "gender",
        "extra": ["birth_place", "occupation"],
    },
}


def run_splink(con: Any, name: str) -> tuple[float, float]:
    from stpkit.kid.pipeline.linkage.evaluate import pairwise_scores

    runner = splink_febrl3 if name == "febrl3" else splink_historical_50k
    start = time.perf_counter()
    clusters, uid = runner(con)
    seconds = time.perf_counter() - start
    con.execute(
        f"CREATE OR REPLACE TABLE splink_scored AS SELECT r.truth, c.cluster_id "
        f"FROM records r JOIN {clusters.physical_name} c ON r.{uid} = c.{uid}"
    )
    scores = pairwise_scores(con, "splink_scored", "cluster_id", "truth")
    return scores.f1, seconds


def run_ours(con: Any, name: str, twins: bool = True, backend: str = "duckdb") -> dict[str, float]:
    from stpkit.kid.pipeline.linkage import ColumnMap, link_records
    from stpkit.kid.pipeline.linkage.evaluate import pairwise_scores

    mapping = ColumnMap(**OUR_COLUMNS[name], label="truth")
    start = time.perf_counter()
    result = link_records(con, "records", mapping, keep_twins_apart=twins, backend=backend)
    seconds = time.perf_counter() - start
    scores = pairwise_scores(con, result.clusters, "cluster_id", "label")
    print(result.summary(), flush=True)
    return {
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "seconds": seconds,
    }


def warm_shared_imports() -> None:
    """Load what both sides load on first use (Splink's comparison libraries, sqlglot's
    dialects, pyarrow's pandas bridge), so that neither pays it for the other inside its
    timed region: whichever side ran first was charged some 0.3 s on FEBRL3."""
    import pyarrow.pandas_compat  # noqa: F401
    import splink.comparison_level_library
    import splink.comparison_library  # noqa: F401
    import sqlglot

    for dialect in ("duckdb", "hive", "mysql", "presto", "trino", "athena"):
        sqlglot.Dialect.get_or_raise(dialect)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=SETS, action="append")
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs of each side, alternating ours and Splink's; seconds are the median",
    )
    parser.add_argument(
        "--no-twin-guard",
        action="store_true",
        help="also run ours without the twin veto (figures named linkage.<set>.no_twin_guard.*)",
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also run ours on Spark in local mode (figures named linkage.<set>.spark.*)",
    )
    args = parser.parse_args()
    folder = evaluation_dir() / "linkage"
    if not folder.is_dir():
        print(f"skipped: no evaluation data at {folder} (set STPKIT_EVALUATION_DIR)")
        return
    import duckdb
    import pandas  # noqa: F401  imported before either side is timed: whichever ran first
    import splink  # noqa: F401  would otherwise pay several seconds of imports

    warm_shared_imports()

    logging.getLogger("splink").setLevel(logging.WARNING)
    spark = None
    if args.spark:
        from stpkit.kid.pipeline.spark_engine import local_session

        spark = local_session()
        spark.sparkContext.setLogLevel("ERROR")
    for name in args.set or SETS:
        con = duckdb.connect()
        load(con, name, folder)
        ours_runs, splink_runs = [], []
        for _ in range(max(1, args.runs)):  # alternating: both sides see the same load
            ours_runs.append(run_ours(con, name))
            if not args.skip_splink:
                splink_runs.append(run_splink(con, name))
        ours = dict(ours_runs[0], seconds=statistics.median(r["seconds"] for r in ours_runs))
        for key in ("precision", "recall", "f1"):
            figure(f"linkage.{name}.ours_{key}", ours[key], "-")
        figure(f"linkage.{name}.ours_seconds", ours["seconds"], "s")
        if args.no_twin_guard:
            loose = run_ours(con, name, twins=False)
            for key in ("precision", "recall", "f1"):
                figure(f"linkage.{name}.no_twin_guard.ours_{key}", loose[key], "-")
            figure(f"linkage.{name}.no_twin_guard.ours_seconds", loose["seconds"], "s")
        if spark is not None:
            on_spark = run_ours(con, name, backend="spark")
            for key in ("precision", "recall", "f1"):
                figure(f"linkage.{name}.spark.ours_{key}", on_spark[key], "-")
            figure(f"linkage.{name}.spark.ours_seconds", on_spark["seconds"], "s")
        if name == "febrl3":
            run_registry_mode(con, args.runs, not args.skip_splink)
        if splink_runs:
            figure(f"linkage.{name}.splink_f1", splink_runs[0][0], "-")
            seconds = statistics.median(r[1] for r in splink_runs)
            figure(f"linkage.{name}.splink_seconds", seconds, "s")
        con.close()
    if spark is not None:
        spark.stop()


if __name__ == "__main__":
    main()
