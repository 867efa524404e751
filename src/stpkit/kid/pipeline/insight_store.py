"""Open a pseudonymised store as the three views every analysis reads.

- `person(person_token, birth_ym, sex, lsoa_code, practice_code, age, age_band, locality)`:
  the registered population; `age` in whole years at the store's reference date (the last
  day of its latest activity year), from the year-month of birth; `locality` the local
  authority district of the LSOA (the first words of its ONS name, e.g. "Medway 015A" ->
  Medway; `UNKNOWN_LOCALITY` for an LSOA the reference data does not know); `death_month`
  (YYYY-MM, NULL while alive); `imd_decile` and `imd_quintile` of the LSOA in England's
  Index of Multiple Deprivation 2019 (1 = most deprived; NULL for an LSOA outside
  England's 2011 LSOAs), joined from the vendored file when the store is opened.
  It keeps everyone the registry has held, so each question
  says who counts: `alive_from(year)` for a year's denominators, `ALIVE_NOW` for today's
  population (`InsightStore.people`).
- `activity(person_token, setting, activity_date, year, month, provider, currency,
  emergency, cost, length_of_stay)`: every costed contact; `setting` is one of `SETTINGS`;
  `emergency` marks A&E attendances and emergency admissions; `length_of_stay` the days
  from admission to discharge of an admitted spell (the APC extract's DischargeDate less
  its admission date; NULL for other settings, and for a sample written without it).
- `condition(person_token, condition)`: long-term conditions, named as in
  `stpkit.kid.analyses.segment.YEAR_OF_CARE_CONDITIONS`.

A directory holding `person.parquet`, `activity.parquet` and `condition.parquet` (the layout
`stpkit.kid.sources.sample_store` writes) opens directly; part 1's pipeline store opens through
`stpkit.kid.pipeline.store` once it exists (see docs/data-contracts.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from stpkit.kid.errors import StoreError

SETTINGS: dict[str, str] = {
    "gp": "GP appointments",
    "ae": "A&E attendances",
    "op": "Outpatient appointments",
    "apc": "Admitted spells",
    "community": "Community contacts",
    "mental_health": "Mental health contacts",
    "social_care": "Adult social care",
}
# Part 1's QOF-style condition codes -> the segmentation's condition names.
PIPELINE_CONDITION_NAMES: dict[str, str] = {
    "HYP": "hypertension",
    "DM": "diabetes",
    "COPD": "copd",
    "AST": "asthma",
    "CHD": "coronary_heart_disease",
    "HF": "heart_failure",
    "AF": "atrial_fibrillation",
    "STIA": "stroke_tia",
    "CKD": "chronic_kidney_disease",
    "DEM": "dementia",
    "DEP": "depression",
    "CAN": "cancer",
    "SMI": "serious_mental_illness",
}
UNKNOWN_LOCALITY = "Unknown"
ALIVE_NOW = "death_month IS NULL"


def alive_from(year: int, alias: str = "p") -> str:
    """SQL: the person was alive at the start of `year` (no death recorded before it)."""
    return f"({alias}.death_month IS NULL OR {alias}.death_month >= '{int(year):04d}-01')"


AGE_BANDS: tuple[str, ...] = (*tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+")
AGE_BAND_SQL = (
    "CASE WHEN age >= 90 THEN '90+' ELSE "
    "CAST((age // 5) * 5 AS VARCHAR) || '-' || CAST((age // 5) * 5 + 4 AS VARCHAR) END"
)


@dataclass
class InsightStore:
    """A read-only DuckDB connection over a store, with its reference date and version."""

    path: Path
    con: duckdb.DuckDBPyConnection
    reference_date: date
    version: str
    _years: list[int] | None = None
    _people: int | None = None

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> InsightStore:
        """The same store on a new cursor of its connection (one per thread or request)."""
        return replace(self, con=self.con.cursor())

    def people(self) -> int:
        """Today's population (alive at the reference date); counted once per store."""
        if self._people is None:
            row = self.con.execute(f"SELECT count(*) FROM person WHERE {ALIVE_NOW}").fetchone()
            self._people = int(row[0]) if row else 0
        return self._people

    def years(self) -> list[int]:
        """The years with activity; read once per store (a store version never changes)."""
        if self._years is None:
            self._years = [
                int(r[0])
                for r in self.con.execute(
                    "SELECT DISTINCT year FROM activity ORDER BY 1"
                ).fetchall()
            ]
        return list(self._years)


def open_store(path: Path) -> InsightStore:
    """Open `path` (a sample directory or a pipeline store) as the analysis views."""
    path = Path(path)
    files = {n: path / f"{n}.parquet" for n in ("person", "activity", "condition")}
    if not path.exists():
        raise StoreError(
            f"{path}: no store here; build one with `stpkit kid build` or `stpkit demo`"
        )
    con = duckdb.connect()
    if (path / "CURRENT").exists():
        return _pipeline_views(path, con)
    if all(f.exists() for f in files.values()):
        for name, f in files.items():
            con.execute(f"CREATE VIEW raw_{name} AS SELECT * FROM read_parquet('{_sql_path(f)}')")
        columns = {r[0] for r in con.execute("DESCRIBE raw_person").fetchall()}
        if "death_month" not in columns:  # samples written before deaths were recorded
            person = _sql_path(files["person"])
            con.execute(
                "CREATE OR REPLACE VIEW raw_person AS SELECT *, CAST(NULL AS VARCHAR) AS "
                f"death_month FROM read_parquet('{person}')"
            )
        columns = {r[0] for r in con.execute("DESCRIBE raw_activity").fetchall()}
        if "length_of_stay" not in columns:  # samples written before stays were recorded
            activity = _sql_path(files["activity"])
            con.execute(
                "CREATE OR REPLACE VIEW raw_activity AS SELECT *, CAST(NULL AS INTEGER) AS "
                f"length_of_stay FROM read_parquet('{activity}')"
            )
    else:
        con.close()
        raise StoreError(
            f"{path}: neither a pipeline store (CURRENT) nor a sample "
            f"(missing: {', '.join(n for n, f in files.items() if not f.exists())})"
        )
    return _with_views(path, con)


def _pipeline_views(path: Path, con: duckdb.DuckDBPyConnection) -> InsightStore:
    """Map part 1's store tables (docs/data-contracts.md) onto the analysis views."""
    from stpkit.kid.pipeline.codes import ADMISSION_METHOD_EMERGENCY
    from stpkit.kid.pipeline.store import current_version

    version = current_version(path)
    if version is None:
        raise StoreError(f"{path}: no live version (CURRENT)")
    person = _sql_path(Path(version.table_path("person")))
    activity = version.table_path("activity").replace("'", "''")
    condition = _sql_path(Path(version.table_path("condition")))
    emergency = ", ".join(f"'{m}'" for m in ADMISSION_METHOD_EMERGENCY)
    names = ", ".join(f"('{k}', '{v}')" for k, v in PIPELINE_CONDITION_NAMES.items())
    con.execute(
        "CREATE VIEW raw_person AS SELECT person_token, birth_year_month AS birth_ym, sex, "
        f"lsoa_code, practice_code, death_month FROM read_parquet('{person}') "
        "WHERE birth_year_month IS NOT NULL"
    )
    con.execute(
        "CREATE VIEW raw_activity AS SELECT person_token, setting, activity_date, provider, "
        "cost_code AS currency, "
        f"(setting = 'ae' OR (setting = 'apc' AND admission_method IN ({emergency}))) "
        "AS emergency, "
        "coalesce(unit_cost_gbp, 0) AS cost, length_of_stay "
        f"FROM read_parquet('{activity}', hive_partitioning = true, "
        "hive_types = {'month': VARCHAR}) WHERE activity_date IS NOT NULL"
    )
    con.execute(
        f"CREATE VIEW raw_condition AS SELECT c.person_token, n.name AS condition "
        f"FROM read_parquet('{condition}') c JOIN (VALUES {names}) n(code, name) "
        "ON c.condition = n.code"
    )
    store = _with_views(path, con)
    store.version = version.version
    return store


def lsoa_localities() -> pd.DataFrame:
    """lsoa_code -> locality (local authority district) for every LSOA in the reference data."""
    from stpkit.reference import get_reference

    lsoas = get_reference().lsoas()[["lsoa_code", "lsoa_name"]]
    return pd.DataFrame(
        {
            "lsoa_code": lsoas.lsoa_code.astype(str),
            "locality": lsoas.lsoa_name.astype(str).str.replace(r"\s+\S+$", "", regex=True),
        }
    )


def imd_path() -> Path:
    """The vendored IMD 2019 file (national rank, decile and quintile by LSOA)."""
    from stpkit.reference import public

    return public.path("imd")


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def _with_views(path: Path, con: duckdb.DuckDBPyConnection) -> InsightStore:
    row = con.execute("SELECT max(activity_date) FROM raw_activity").fetchone()
    if row is None or row[0] is None:
        raise StoreError(f"{path}: the store has no activity")
    last = row[0]
    ref = date(last.year, 12, 31)
    months_now = ref.year * 12 + ref.month
    birth_months = (
        "CAST(substr(birth_ym, 1, 4) AS INTEGER) * 12 + CAST(substr(birth_ym, 6, 2) AS INTEGER)"
    )
    localities = lsoa_localities()  # noqa: F841 (read by the SQL below)
    con.execute("CREATE TABLE lsoa_locality AS SELECT * FROM localities")
    con.execute(
        "CREATE TABLE lsoa_imd AS SELECT lsoa_code, imd_rank, imd_decile, imd_quintile "
        "FROM read_parquet(?)",
        [str(imd_path())],
    )
    con.execute(
        f"""CREATE VIEW person AS
        SELECT r.person_token, r.birth_ym, r.sex, r.lsoa_code, r.practice_code, r.age,
               {AGE_BAND_SQL} AS age_band,
               coalesce(l.locality, '{UNKNOWN_LOCALITY}') AS locality,
               CAST(r.death_month AS VARCHAR) AS death_month,
               CAST(d.imd_decile AS INTEGER) AS imd_decile,
               CAST(d.imd_quintile AS INTEGER) AS imd_quintile
        FROM (SELECT *, CAST(floor(({months_now} - ({birth_months})) / 12) AS INTEGER) AS age
              FROM raw_person) r
        LEFT JOIN lsoa_locality l ON l.lsoa_code = r.lsoa_code
        LEFT JOIN lsoa_imd d ON d.lsoa_code = r.lsoa_code"""
    )
    con.execute(
        """CREATE VIEW activity AS
        SELECT person_token, setting, CAST(activity_date AS DATE) AS activity_date,
               year(activity_date) AS year, month(activity_date) AS month,
               provider, currency, emergency, cost,
               CAST(length_of_stay AS INTEGER) AS length_of_stay FROM raw_activity"""
    )
    con.execute(
        "CREATE VIEW condition AS SELECT DISTINCT person_token, condition FROM raw_condition"
    )
    stat = [f.stat().st_mtime_ns for f in sorted(path.glob("*.parquet"))]
    version = f"{path.name}-{max(stat) if stat else 0}"
    store = InsightStore(path, con, ref, version)
    store.years(), store.people()  # once, so every cursor copied from this store has them
    return store
