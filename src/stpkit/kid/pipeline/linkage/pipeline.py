"""The build pipeline's interface to linkage (same names and meaning as `stpkit.kid.linkage`).

Records without a valid NHS number are linked to registered people (link only). The model
compares raw columns only (forename, surname, date_of_birth as 'YYYY-MM-DD' text, sex,
postcode) with SQL that Splink translates for DuckDB and Spark alike, so that both engines
predict with one trained model and get the same links:
- names: exact, forename and surname swapped, Jaro-Winkler 0.92 and 0.8;
- date of birth: exact, day and month swapped, one digit wrong, year and month, year;
- postcode: full, sector, district, area (Splink's PostcodeComparison); sex.
Blocking is for recall (date of birth with either initial, full name, postcode with surname
or initial, names swapped, year of birth with the first letters of both names), each key
narrow enough that the comparisons stay bounded at full Kent and Medway scale.

Training: u from random pairs (seeded); m from records that carry a valid NHS number (its
agreement with the registry is the label) when there are enough of them, otherwise from
built-in defaults, so a feed with no NHS numbers at all still links (no division by zero).
"""

from __future__ import annotations

import logging
from typing import Any

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from stpkit.kid.pipeline.linkage.sql import rows

MATCH_PROBABILITY_THRESHOLD = 0.5
TRAINING_SAMPLE = 50_000
MIN_LABELLED = 50  # fewer NHS-numbered records than this: default m probabilities
IDENTITY_COLUMNS = ("unique_id", "forename", "surname", "date_of_birth", "sex", "postcode")
COMPARED = ("forename", "surname", "date_of_birth", "sex", "postcode")
DEFAULT_PROBABILITY = 1e-4  # for a level no training pair reached

logging.getLogger("splink").setLevel(logging.WARNING)

# m probabilities (non-null levels, best first) used when no NHS-numbered records train them:
# most true matches agree exactly, the rest spread over the error levels.
DEFAULT_M = {
    "forename": [0.88, 0.005, 0.06, 0.03, 0.025],
    "surname": [0.9, 0.005, 0.05, 0.025, 0.02],
    "date_of_birth": [0.9, 0.01, 0.05, 0.01, 0.01, 0.02],
    "sex": [0.98, 0.02],
    "postcode": [0.8, 0.04, 0.03, 0.03, 0.1],
}


def _name(col: str) -> Any:
    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(col),
            cll.ExactMatchLevel(col),
            cll.ColumnsReversedLevel("forename", "surname").configure(
                label_for_charts="Forename and surname swapped"
            ),
            cll.JaroWinklerLevel(col, 0.92),
            cll.JaroWinklerLevel(col, 0.8),
            cll.ElseLevel(),
        ],
    )


def _dob() -> Any:
    swap = (
        "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
        "AND substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
        "AND substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)"
    )
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.CustomLevel(swap, label_for_charts="Day and month swapped"),
            cll.DamerauLevenshteinLevel("date_of_birth", 1),
            cll.CustomLevel(
                "substr(date_of_birth_l, 1, 7) = substr(date_of_birth_r, 1, 7)",
                label_for_charts="Year and month agree",
            ),
            cll.CustomLevel(
                "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4)",
                label_for_charts="Year agrees",
            ),
            cll.ElseLevel(),
        ],
    )


def _comparisons(params: dict[str, Any] | None = None) -> list[Any]:
    """The comparisons, without term-frequency adjustment (same weights on every engine)."""
    creators = {
        "forename": _name("forename"),
        "surname": _name("surname"),
        "date_of_birth": _dob(),
        "sex": cl.ExactMatch("sex"),
        "postcode": cl.PostcodeComparison("postcode"),
    }
    out = []
    for name in COMPARED:
        creator = creators[name]
        if params is not None:
            levels = params["comparisons"][name]
            creator = creator.configure(m_probabilities=levels["m"], u_probabilities=levels["u"])
        out.append(creator)
    return out


def blocking_rules() -> list[Any]:
    return [
        block_on("date_of_birth", "substr(forename, 1, 1)"),
        block_on("date_of_birth", "substr(surname, 1, 1)"),
        block_on("forename", "surname"),
        block_on("postcode", "surname"),
        block_on("postcode", "substr(forename, 1, 1)"),
        "l.forename = r.surname AND l.surname = r.forename",
        block_on("substr(date_of_birth, 1, 4)", "substr(forename, 1, 2)", "substr(surname, 1, 3)"),
    ]


def settings(prior: float, params: dict[str, Any] | None = None) -> SettingsCreator:
    """The model for any engine: comparisons, blocking rules and (trained) parameters."""
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=_comparisons(params),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


def _parameters(model: dict[str, Any]) -> dict[str, Any]:
    """Engine-neutral parameters: m and u per non-null level of each comparison."""
    comparisons: dict[str, dict[str, list[float]]] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        name = comparison["output_column_name"]
        defaults = DEFAULT_M.get(name, [])
        m = []
        for i, lv in enumerate(levels):
            fallback = defaults[i] if i < len(defaults) else DEFAULT_PROBABILITY
            m.append(float(lv.get("m_probability") or fallback))
        comparisons[name] = {
            "m": m,
            "u": [float(lv.get("u_probability") or DEFAULT_PROBABILITY) for lv in levels],
        }
    return {
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "comparisons": comparisons,
    }


def train_model(
    con: duckdb.DuckDBPyConnection, registry: str, labelled: str, registry_count: int
) -> dict[str, Any]:
    """u from random pairs (seeded); m from NHS-number-labelled records where there are any."""
    labelled_rows = int(rows(con, f"SELECT count(label) FROM {labelled}")[0][0])
    db_api = DuckDBAPI(con)
    left = db_api.register(registry, dataset_display_name="registry")
    # with no labelled records, u is sampled from the registry against itself
    right = db_api.register(
        labelled if labelled_rows else registry,
        dataset_display_name="records",
        table_name="__records_train",
    )
    linker = Linker([left, right], settings(1.0 / max(registry_count, 2)), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1, num_chunks=1)
    if labelled_rows >= MIN_LABELLED:
        linker.training.estimate_m_from_label_column("label")
    return _parameters(linker.misc.save_model_to_json())


def trained_settings(params: dict[str, Any]) -> SettingsCreator:
    return settings(params["probability_two_random_records_match"], params)


def predict_duckdb(
    con: duckdb.DuckDBPyConnection, registry: str, unlinked: str, params: dict[str, Any]
) -> duckdb.DuckDBPyRelation:
    """Scored candidate pairs (identity_key, person_token, match_weight, match_probability)."""
    db_api = DuckDBAPI(con)
    left = db_api.register(registry, dataset_display_name="registry")
    right = db_api.register(unlinked, dataset_display_name="records")
    linker = Linker([left, right], trained_settings(params), log_level=None)
    scored = linker.inference.predict(
        threshold_match_probability=MATCH_PROBABILITY_THRESHOLD, warning_mode="never"
    )
    return con.sql(pairs_sql(scored.physical_name))


def pairs_sql(table: str) -> str:
    """Splink's pairs as (identity, person) whichever side each landed on."""
    return (
        "SELECT CASE WHEN source_dataset_l = 'records' THEN unique_id_l ELSE unique_id_r END "
        "AS identity_key, CASE WHEN source_dataset_l = 'records' THEN unique_id_r "
        "ELSE unique_id_l END AS person_token, match_weight, match_probability "
        f"FROM {table}"
    )


def best_links_sql(pairs: str) -> str:
    """Each identity's best candidate (ties broken by token so results are deterministic)."""
    return (
        "SELECT identity_key, person_token, round(match_weight, 6) AS match_weight FROM ("
        "SELECT *, row_number() OVER (PARTITION BY identity_key ORDER BY match_weight DESC, "
        f"person_token) AS rank FROM {pairs}) p WHERE rank = 1"
    )
