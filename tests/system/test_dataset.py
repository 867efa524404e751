"""Measures from the integrated dataset on a tiny DuckDB with the insight store's views."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from stpkit.system.dataset import monthly_measures


def test_emergency_rate_and_inequality_gap() -> None:
    con = duckdb.connect()
    # 4 people in the most deprived fifth (L1), 4 in the least (L5), 2 unmatched (L9)
    people = [(f"p{i}", "L1") for i in range(4)] + [(f"q{i}", "L5") for i in range(4)]
    people += [("r0", "L9"), ("r1", "L9")]
    con.execute("CREATE TABLE person (person_token VARCHAR, lsoa_code VARCHAR)")
    con.executemany("INSERT INTO person VALUES (?, ?)", people)
    con.execute(
        "CREATE TABLE activity (person_token VARCHAR, setting VARCHAR, emergency BOOLEAN, "
        "year INTEGER, month INTEGER)"
    )
    rows = [("p0", "apc", True, 2017, 1), ("p1", "apc", True, 2017, 1),
            ("q0", "apc", True, 2017, 1), ("r0", "apc", True, 2017, 1),
            ("q1", "apc", False, 2017, 1), ("p2", "ae", True, 2017, 1),
            ("p3", "apc", True, 2017, 2)]  # fmt: skip
    con.executemany("INSERT INTO activity VALUES (?, ?, ?, ?, ?)", rows)
    quintiles = pd.DataFrame({"lsoa_code": ["L1", "L5"], "quintile": [1, 5]})
    out = monthly_measures(con, quintiles)
    jan, feb = date(2017, 1, 1), date(2017, 2, 1)
    assert out["emergency_admission_rate"][jan] == pytest.approx(1000 * 4 / 10)
    assert out["emergency_admission_rate"][feb] == pytest.approx(100.0)
    assert out["inequality_gap"][jan] == pytest.approx(2.0)  # 2 of 4 against 1 of 4
    assert feb not in out["inequality_gap"]  # nobody in the least deprived fifth admitted
