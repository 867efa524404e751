"""Real public figures vendored with stpkit: deprivation, GP registrations, practices, QOF.

The files in `reference/public/` are official statistics under the Open Government
Licence (README there says which, with the attribution to show). They let the synthetic
population live on the real geography (people registered with real practices in real
numbers by LSOA, conditions at each practice's QOF prevalence) and every place-based page
split by deprivation. Read with DuckDB straight from the package: nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

DATA_DIR = Path(__file__).with_name("public")
FILES = {
    "imd": "imd_2019.parquet",
    "registrations": "gp_registrations_2022_07.parquet",
    "practices": "gp_practices.parquet",
    "qof": "qof_2021_22.parquet",
    "ethnicity": "ethnicity_2011.parquet",
}
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0: "
    "English Indices of Deprivation 2019 (MHCLG); Patients Registered at a GP Practice "
    "July 2022, GP practice details and QOF 2021-22 (NHS Digital); Census 2011 (ONS)."
)
# QOF register abbreviation -> plain name, for the registers the product uses.
# IMD 2019 quintiles as every table and page names them (1 is the most deprived fifth of
# England's neighbourhoods), so the integrated dataset and the service change appraisal
# label deprivation the same way.
IMD_QUINTILE_LABELS: dict[int, str] = {
    1: "1 (most deprived)",
    2: "2",
    3: "3",
    4: "4",
    5: "5 (least deprived)",
}

QOF_REGISTERS = {
    "dm": "Diabetes",
    "hyp": "Hypertension",
    "copd": "COPD",
    "ast": "Asthma",
    "af": "Atrial fibrillation",
    "chd": "Coronary heart disease",
    "hf": "Heart failure",
    "ckd": "Chronic kidney disease",
    "stia": "Stroke and TIA",
    "dem": "Dementia",
    "dep": "Depression",
    "mh": "Serious mental illness",
    "can": "Cancer",
    "ep": "Epilepsy",
    "ld": "Learning disability",
    "ob": "Obesity",
    "smok": "Smoking",
    "ndh": "Non-diabetic hyperglycaemia",
    "pc": "Palliative care",
    "lvsd": "Left ventricular systolic dysfunction",
    "pad": "Peripheral arterial disease",
}


def path(kind: str) -> Path:
    if kind not in FILES:
        raise KeyError(f"no vendored file {kind!r}; choose from {', '.join(FILES)}")
    return DATA_DIR / FILES[kind]


def _read(kind: str, where: str = "", params: Sequence[object] = ()) -> pd.DataFrame:
    sql = f"SELECT * FROM read_parquet(?) {where}"
    with duckdb.connect() as con:
        return con.execute(sql, [str(path(kind)), *params]).df()


def _in(column: str, values: Sequence[str] | None) -> tuple[str, list[object]]:
    if values is None:
        return "", []
    return f"WHERE {column} IN (SELECT unnest(?::VARCHAR[]))", [list(values)]


def imd(lsoa_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """IMD 2019 score, domains, national rank/decile/quintile and population by LSOA."""
    where, params = _in("lsoa_code", lsoa_codes)
    return _read("imd", where + " ORDER BY lsoa_code", params)


def registrations(lsoa_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Patients registered at each practice by LSOA of residence (July 2022)."""
    where, params = _in("lsoa_code", lsoa_codes)
    return _read("registrations", where + " ORDER BY practice_code, lsoa_code", params)


def practices(practice_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Practice name, postcode, status and setting (ODS epraccur)."""
    where, params = _in("practice_code", practice_codes)
    return _read("practices", where + " ORDER BY practice_code", params)


def qof_prevalence(practice_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """QOF 2021-22 register prevalence by practice (share of list size), one column a register."""
    where, params = _in("practice_code", practice_codes)
    return _read("qof", where + " ORDER BY practice_code", params)


def ethnic_minority_share(lsoa_codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of residents from ethnic minority groups by LSOA (Census 2011)."""
    where, params = _in("lsoa_code", lsoa_codes)
    return _read("ethnicity", where + " ORDER BY lsoa_code", params)
