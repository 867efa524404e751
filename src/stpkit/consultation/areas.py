"""Where respondents live: local authority districts from LSOA codes, for tables and maps.

An LSOA's name starts with its district ("Medway 015A"), so the district is read from the
reference data; respondents who gave only a postcode district are grouped by it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from stpkit.reference import get_reference

REGION = "Kent and Medway"
UNKNOWN_AREA = "Not known"


@lru_cache(maxsize=1)
def lsoa_districts() -> dict[str, str]:
    """LSOA code -> local authority district, for England."""
    frame = get_reference().lsoas("England")
    return {
        code: re.sub(r"\s+\d{3}[A-Z]$", "", name)
        for code, name in zip(frame["lsoa_code"], frame["lsoa_name"], strict=True)
    }


def area_for(lsoa_code: str, postcode_district: str) -> str:
    if lsoa_code:
        district = lsoa_districts().get(lsoa_code)
        if district:
            return district
    return postcode_district or UNKNOWN_AREA


@lru_cache(maxsize=1)
def district_centroids() -> pd.DataFrame:
    """district, latitude, longitude (mean of its Kent and Medway LSOA centroids)."""
    frame = get_reference().lsoas(REGION)
    frame = frame.assign(district=frame["lsoa_name"].str.replace(r"\s+\d{3}[A-Z]$", "", regex=True))
    return frame.groupby("district", as_index=False)[["latitude", "longitude"]].mean()
