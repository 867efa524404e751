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
    assert any("arrays_overlap" in lv["sql_condition"] for lv in forename)
    assert not any("list_has_any" in lv["sql_condition"] for lv in forename)
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


@pytest.mark.spark
def test_each_date_of_birth_pair_gets_the_same_level_on_spark_and_duckdb() -> None:
    """The levels' SQL is written per engine; a DuckDB-only call (date_diff with the unit as
    text) was refused by Spark and left one record's weight different between engines."""
    pytest.importorskip("pyspark")
    import duckdb
    from splink import SparkAPI

    from stpkit.kid.pipeline.linkage.spark import HAMMING, session

    pairs = [
        ("1962-03-07", "1962-03-07"),
        ("1962-03-07", "1962-07-03"),  # day and month swapped
        ("1962-03-07", "1962-03-08"),  # one digit
        ("1962-03-30", "1962-04-02"),  # within a month, across its end
        ("1962-12-30", "1963-01-02"),  # within a month, across a year's end
        ("1962-03-07", "1962-05-27"),  # year only
        ("1962-03-07", "1975-09-01"),  # else
        ("1962-02-28", "1962-02-30"),  # not a date on one side
        ("1962-03-07", None),
    ]
    rows = ", ".join(
        f"('{a}', {'NULL' if b is None else repr(b)}, '{a[:4]}', "
        f"{'NULL' if b is None else repr(b[:4])})"
        for a, b in pairs
    )
    table = (
        f"SELECT * FROM (VALUES {rows}) "
        "AS t(date_of_birth_l, date_of_birth_r, birth_year_l, birth_year_r)"
    )

    def levels(dialect: str) -> str:
        made = settings(Fields(), "dedupe_only").create_settings_dict(dialect)
        dob = next(c for c in made["comparisons"] if c["output_column_name"] == "date_of_birth")
        conditions = [lv["sql_condition"] for lv in dob["comparison_levels"]]
        whens = " ".join(f"WHEN {c} THEN {i}" for i, c in enumerate(conditions) if c != "ELSE")
        return f"SELECT CASE {whens} ELSE {len(conditions) - 1} END AS level FROM ({table}) p"

    on_duckdb = [r[0] for r in duckdb.sql(levels("duckdb")).fetchall()]
    spark = session()
    SparkAPI(spark_session=spark)  # registers Splink's similarity functions
    spark.sql(HAMMING)
    on_spark = [r["level"] for r in spark.sql(levels("spark")).collect()]
    assert on_spark == on_duckdb
    assert len(set(on_duckdb)) == 7  # every level, null to else, is reached
