"""Probabilistic linkage with Splink 5: records without a valid NHS number -> registered people.

The model compares forename, surname, date of birth, sex and postcode. It is trained
without any ground truth from outside the data: the m probabilities come from records that
*do* carry a valid NHS number (the number is the label linking them to their registration),
whose names, dates of birth and postcodes have the same slips as the others; the u
probabilities from random pairs. Training runs on DuckDB with a fixed seed, so both
engines predict with the same model; prediction runs on the build's engine. Each unlinked
identity takes its best registered candidate above the threshold; the match weight is kept.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    from splink import SettingsCreator

MATCH_PROBABILITY_THRESHOLD = 0.5
TRAINING_SAMPLE = 50_000
IDENTITY_COLUMNS = ("unique_id", "forename", "surname", "date_of_birth", "sex", "postcode")

logging.getLogger("splink").setLevel(logging.WARNING)


COMPARED = ("forename", "surname", "date_of_birth", "sex", "postcode")
DEFAULT_PROBABILITY = 1e-4  # for a level no training pair reached


def _comparisons(params: dict[str, Any] | None = None) -> list[Any]:
    """The comparisons, without term-frequency adjustment (same weights on every engine)."""
    import splink.comparison_library as cl

    creators = {
        "forename": cl.NameComparison("forename"),
        "surname": cl.NameComparison("surname"),
        "date_of_birth": cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
        "sex": cl.ExactMatch("sex"),
        "postcode": cl.PostcodeComparison("postcode"),
    }
    out = []
    for name in COMPARED:
        creator = creators[name].configure(term_frequency_adjustments=False)
        if params is not None:
            levels = params["comparisons"][name]
            creator = creator.configure(m_probabilities=levels["m"], u_probabilities=levels["u"])
        out.append(creator)
    return out


def settings(prior: float, params: dict[str, Any] | None = None) -> SettingsCreator:
    """The model for any engine: comparisons, blocking rules and (trained) parameters."""
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=_comparisons(params),
        blocking_rules_to_generate_predictions=[
            block_on("surname", "date_of_birth"),
            block_on("forename", "date_of_birth"),
            block_on("postcode", "surname"),
            block_on("postcode", "forename"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


def _parameters(model: dict[str, Any]) -> dict[str, Any]:
    """Engine-neutral parameters: m and u per non-null level of each comparison."""
    comparisons: dict[str, dict[str, list[float]]] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        comparisons[comparison["output_column_name"]] = {
            "m": [float(lv.get("m_probability") or DEFAULT_PROBABILITY) for lv in levels],
            "u": [float(lv.get("u_probability") or DEFAULT_PROBABILITY) for lv in levels],
        }
    return {
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "comparisons": comparisons,
    }


def train_model(
    con: duckdb.DuckDBPyConnection, registry: str, labelled: str, registry_count: int
) -> dict[str, Any]:
    """Estimate m from NHS-number-labelled records and u from random pairs (seeded)."""
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(con)
    left = db_api.register(registry, dataset_display_name="registry")
    right = db_api.register(labelled, dataset_display_name="records")
    linker = Linker([left, right], settings(1.0 / max(registry_count, 2)), log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_m_from_label_column("label")
    return _parameters(linker.misc.save_model_to_json())


def trained_settings(params: dict[str, Any]) -> SettingsCreator:
    return settings(params["probability_two_random_records_match"], params)


def predict_duckdb(
    con: duckdb.DuckDBPyConnection, registry: str, unlinked: str, params: dict[str, Any]
) -> duckdb.DuckDBPyRelation:
    """Scored candidate pairs (identity_key, person_token, match_weight, match_probability)."""
    from splink import DuckDBAPI, Linker

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
