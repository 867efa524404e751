"""A saved model moves between engines: SQL regenerated for the dialect, parameters kept."""

from __future__ import annotations

import copy

import pytest

from stpkit.kid.pipeline.linkage import LinkageInputError
from stpkit.kid.pipeline.linkage.model import Fields, settings
from stpkit.kid.pipeline.linkage.spark import model_for_dialect


def _saved() -> dict:
    saved = settings(Fields(identifier=True), "dedupe_only").create_settings_dict("duckdb")
    saved["sql_dialect"] = "duckdb"
    for comparison in saved["comparisons"]:
        for i, level in enumerate(comparison["comparison_levels"]):
            level["m_probability"], level["u_probability"] = 0.1 + i / 100, 0.2 + i / 100
    return saved


def test_a_duckdb_model_gets_sparks_sql_and_keeps_its_parameters() -> None:
    pytest.importorskip("pyspark")
    saved = _saved()
    fresh = settings(Fields(identifier=True), "dedupe_only").create_settings_dict("spark")
    moved = model_for_dialect(copy.deepcopy(saved), fresh, "spark")
    assert moved["sql_dialect"] == "spark"
    forename = moved["comparisons"][0]["comparison_levels"]
    assert any("ARRAY_INTERSECT" in lv["sql_condition"] for lv in forename)
    assert not any("list_intersect" in lv["sql_condition"] for lv in forename)
    before = [lv["m_probability"] for c in saved["comparisons"] for lv in c["comparison_levels"]]
    after = [lv["m_probability"] for c in moved["comparisons"] for lv in c["comparison_levels"]]
    assert after == before
    assert moved["blocking_rules_to_generate_predictions"][0]["sql_dialect"] == "spark"


def test_a_model_of_other_comparisons_is_refused() -> None:
    pytest.importorskip("pyspark")
    saved = _saved()
    saved["comparisons"][0]["comparison_levels"].pop()
    fresh = settings(Fields(identifier=True), "dedupe_only").create_settings_dict("spark")
    with pytest.raises(LinkageInputError, match="forename comparison differs"):
        model_for_dialect(saved, fresh, "spark")


def test_a_model_of_the_same_dialect_is_unchanged() -> None:
    saved = _saved()
    assert model_for_dialect(saved, {}, "duckdb") is saved
