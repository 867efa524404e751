"""The real Kent and Medway appraisal, the documented criteria file and the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from stpkit.appraisal import AllOptionsRejectedError, CriteriaFileError
from stpkit.cli.main import app
from stpkit.reference import get_reference
from stpkit.stroke.appraisal import appraise, long_list, read_stroke_criteria
from stpkit.stroke.geography import load_geography
from stpkit.stroke.model import StrokeModel

pytestmark = pytest.mark.slow
DOC = Path(__file__).parents[2] / "docs" / "stroke.md"


@pytest.fixture(scope="module")
def model() -> StrokeModel:
    return StrokeModel(load_geography(get_reference(), "Kent and Medway"))


def documented_example(tmp_path: Path) -> Path:
    text = DOC.read_text()
    block = re.search(r"### Kent and Medway example.*?```yaml\n(.*?)```", text, re.S)
    assert block is not None
    path = tmp_path / "km.yaml"
    path.write_text(block.group(1))
    return path


def test_geography_and_estimated_travel_times(model: StrokeModel) -> None:
    geo = model.geo
    assert len(geo.candidates) == 7
    assert int(geo.resident.sum()) == 1065
    assert geo.admissions[geo.resident].sum() == pytest.approx(2450, abs=1)
    assert geo.admissions[~geo.resident].sum() > 0  # neighbours come in
    estimated = [u.short_code for u, e in zip(geo.candidates, geo.cand_estimated, strict=True) if e]
    assert estimated == ["MW", "TU"]
    err = geo.model_errors
    print("\nheld-out travel-time model error (minutes):")
    print(err[["held_out_unit", "mae_minutes", "rmse_minutes", "max_abs_minutes"]].to_string())
    assert len(err) >= 5
    assert err.mae_minutes.mean() < 8.0


def test_documented_criteria_file_appraises(model: StrokeModel, tmp_path: Path) -> None:
    spec = read_stroke_criteria(documented_example(tmp_path), model)
    assert spec.options[0].members == (
        "Maidstone District General Hospital",
        "William Harvey Hospital, Ashford",
        "Kent and Canterbury Hospital",
    )
    assert spec.options[0].roles == {
        "mt": ("William Harvey Hospital, Ashford",),
        "asu": ("Queen Elizabeth the Queen Mother Hospital, Margate",),
    }
    a = appraise(model, range(2, 5), spec, draws=300)
    assert len(a.results) == 21 + 35 + 35 + 1
    x = a.result("Option X")
    assert (x.config.mt, x.config.asu_only) == ((6,), (4,))
    same_sites = a.result("KT+MD+WH")  # the generated option with Option X's sites, no MT
    saving = same_sites.metrics["mean_onset_to_puncture"] - x.metrics["mean_onset_to_puncture"]
    assert (
        saving > 0 and x.metrics["added_good_outcomes"] > same_sites.metrics["added_good_outcomes"]
    )
    rejected = {r.option.name: r for r in a.funnel.rejected}
    assert rejected  # some configurations fail, each with its reasons and shortfalls
    for r in rejected.values():
        assert r.failures and all(f.shortfall > 0 or f.shortfall != f.shortfall for f in r.failures)
    one = rejected["DA+MW"] if "DA+MW" in rejected else next(iter(rejected.values()))
    assert "below the minimum" in one.reasons or "above the maximum" in one.reasons
    assert a.evaluation.preferred.name != "Today" or len(a.funnel.passed) == 0
    assert a.preferred.metrics["min_unit_volume"] >= 500


def test_hurdles_rejecting_everything_say_which(model: StrokeModel, tmp_path: Path) -> None:
    p = tmp_path / "strict.yaml"
    p.write_text("hurdles:\n  - metric: max_minutes\n    max: 5\n")
    with pytest.raises(AllOptionsRejectedError, match="max_minutes <= 5' rejected 91 of 91"):
        appraise(model, range(2, 5), read_stroke_criteria(p, model))


def test_unknown_site_in_criteria_names_line_and_valid_sites(
    model: StrokeModel, tmp_path: Path
) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("options:\n  - name: X\n    sites: [Maidstone, Guy's]\n")
    with pytest.raises(CriteriaFileError, match=r"line 2: Unknown site \"Guy's\".*Valid sites"):
        read_stroke_criteria(p, model)


def test_cli_appraise_writes_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "stroke",
            "appraise",
            "--hasus",
            "3",
            "--out",
            str(out),
            "--no-maps",
            "--draws",
            "200",
            "--criteria",
            str(documented_example(tmp_path)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Long list funnel" in result.output and "Preferred option:" in result.output
    assert "Held-out error" in result.output
    # the access standard, stated plainly for every short-listed option
    assert "95% of patients reach a unit within 45 minutes: met by" in result.output
    assert (out / "appraisal.xlsx").exists()
    lines = (out / "long_list.csv").read_text().splitlines()
    assert len(lines) == 1 + 35 + 1  # header, every 3-subset, the named option


def test_cli_appraise_with_thrombectomy_and_asu_only_sites(
    model: StrokeModel, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["stroke", "appraise", "--hasus", "2", "--out", str(out), "--no-maps"]
    result = CliRunner().invoke(
        app, [*args, "--draws", "100", "--mt", "WH", "--mt", "Maidstone", "--asu", "QM"]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        "thrombectomy where a HASU: Maidstone District General Hospital, William Harvey "
        "Hospital, Ashford; ASU only where not a HASU: Queen Elizabeth the Queen Mother "
        "Hospital, Margate" in text
    )
    rows = pd.read_csv(out / "long_list.csv", keep_default_na=False).set_index("option")
    assert len(rows) == 21
    assert rows.loc["MD+WH", "thrombectomy_sites"] == (
        "Maidstone District General Hospital, William Harvey Hospital, Ashford"
    )
    assert rows.loc["DA+MW", "thrombectomy_sites"] == ""
    assert (
        rows.loc["DA+MW", "asu_only_sites"] == "Queen Elizabeth the Queen Mother Hospital, Margate"
    )
    assert rows.loc["KT+QM", "asu_only_sites"] == ""  # QM hosts a HASU here
    # thrombectomy at a HASU shortens onset to puncture there; elsewhere nothing changes
    puncture = rows["mean_onset_to_puncture"].astype(float)
    plain = {r.config.name: r.metrics for r in long_list(model, range(2, 3))}
    assert puncture["MD+WH"] < plain["MD+WH"]["mean_onset_to_puncture"]
    assert puncture["DA+KT"] == pytest.approx(plain["DA+KT"]["mean_onset_to_puncture"], abs=1e-4)


def test_cli_unknown_thrombectomy_site_lists_valid_sites(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        app, ["stroke", "appraise", "--mt", "Guy's", "--no-maps", "--out", str(tmp_path)]
    )
    text = " ".join(r.output.split())
    assert r.exit_code == 2
    assert 'Unknown site "Guy\'s" for Kent and Medway. Valid sites: Darent Valley' in text
    r = CliRunner().invoke(
        app,
        ["stroke", "appraise", "--mt", "MD", "--asu", "MD", "--no-maps", "--out", str(tmp_path)],
    )
    assert r.exit_code == 2
    assert "cannot both provide thrombectomy (--mt) and be ASU-only" in " ".join(r.output.split())


def test_cli_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria:\n  - metric: mean_minute\n    weight: 1\n")
    runner = CliRunner()
    r = runner.invoke(
        app, ["stroke", "appraise", "--criteria", str(bad), "--no-maps", "--out", str(tmp_path)]
    )
    assert r.exit_code == 2
    assert "line 2: unknown metric 'mean_minute'" in " ".join(r.output.split())
    r = runner.invoke(app, ["stroke", "appraise", "--region", "Narnia", "--no-maps"])
    assert r.exit_code == 2 and "Kent and Medway" in r.output
    r = runner.invoke(
        app, ["stroke", "appraise", "--hasus", "5-9", "--no-maps", "--out", str(tmp_path)]
    )
    assert r.exit_code == 2 and "counts must lie in 1-7" in " ".join(r.output.split())


def test_cli_optimise_region_and_bad_input() -> None:
    runner = CliRunner()
    r = runner.invoke(
        app,
        [
            "stroke",
            "optimise",
            "--region",
            "Kent and Medway",
            "--units",
            "3",
            "--min-volume",
            "500",
            "--max-volume",
            "1500",
        ],
    )
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "Proven optimal" in text and "choose 3 of 7 units" in text
    assert "nearest unit outside the region" in text
    r = runner.invoke(app, ["stroke", "optimise", "--region", "Narnia"])
    text = " ".join(r.output.split())
    # every valid region, the last included (names hold commas, so ';' separates them)
    assert r.exit_code == 2 and "england; Bath and North East Somerset" in text
    assert text.rstrip().endswith("West Yorkshire")
    r = runner.invoke(
        app,
        [
            "stroke",
            "optimise",
            "--region",
            "Kent and Medway",
            "--units",
            "3",
            "--min-volume",
            "1400",
        ],
    )
    assert r.exit_code == 2
    assert "Infeasible: 3 units x at least 1,400 admissions = 4,200" in " ".join(r.output.split())


def test_maps_png_and_svg(model: StrokeModel, tmp_path: Path) -> None:
    from stpkit.stroke.maps import map_spec, write_maps
    from stpkit.stroke.model import Configuration

    result = model.evaluate(Configuration("MD+WH", (2, 6)))
    spec = map_spec(get_reference(), result, "catchment")
    features = spec["datasets"]["lsoas"]
    assert len(features) == 1065  # every resident LSOA, none of the neighbours
    figures = spec["datasets"]["figures"].splitlines()[1:]
    assert sorted(f["properties"]["lsoa_code"] for f in features) == sorted(
        line.split(",")[0] for line in figures
    )
    units = {u["unit"] for u in spec["datasets"]["units"]}
    assert {"Maidstone District General Hospital", "William Harvey Hospital, Ashford"} <= units
    # one colour per unit in every configuration: the domain lists every candidate
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"][:7] == [
        u.name for u in model.geo.candidates
    ]
    written = write_maps(get_reference(), result, tmp_path, "md-wh")
    assert sorted(p.name for p in written) == sorted(
        f"md-wh-{k}.{ext}" for k in ("time", "change", "catchment") for ext in ("png", "svg")
    )
    for p in written:
        head = p.read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if p.suffix == ".png" else b"<svg" in head
    assert (
        "MD+WH: change in travel time against today" in (tmp_path / "md-wh-change.svg").read_text()
    )


def test_maps_mark_thrombectomy_sites_apart(model: StrokeModel) -> None:
    from stpkit.stroke import map_spec

    result = model.evaluate(model.configuration("MD+WH (MT: WH)", ["MD", "WH"], mt=["WH"]))
    spec = map_spec(get_reference(), result, "time")
    sites = next(
        rows
        for name, rows in spec["datasets"].items()
        if name != "lsoas" and rows and "role" in rows[0]
    )
    assert {r["short_code"]: r["role"] for r in sites} == {
        "MD": "HASU",
        "WH": "HASU with thrombectomy",
    }
    shape = spec["layer"][1]["encoding"]["shape"]
    assert shape["scale"]["domain"] == ["HASU", "HASU with thrombectomy"]
    assert len(set(shape["scale"]["range"])) == 2  # drawn with a shape of their own


def test_a_page_map_fetches_its_polygons_and_carries_only_figures(model: StrokeModel) -> None:
    import csv
    import io
    import json

    import vl_convert as vlc

    from stpkit.charts.geo import wound_features
    from stpkit.stroke.maps import map_spec, resident_lsoas
    from stpkit.stroke.model import Configuration

    result = model.evaluate(Configuration("MD+WH", (2, 6)))
    inline = map_spec(get_reference(), result, "catchment")
    linked = map_spec(get_reference(), result, "catchment", boundaries_url="/b.geojson")
    assert "lsoas" not in linked["datasets"]
    assert linked["layer"][0]["data"]["url"] == "/b.geojson"
    # the same unit for every LSOA as the self-contained map
    units = {u["u"]: u["unit"] for u in linked["datasets"]["units"]}
    figures = list(csv.DictReader(io.StringIO(linked["datasets"]["figures"])))
    linked_unit = {v["k"]: units[int(v["u"])] for v in figures}
    assert linked["datasets"]["figures"] == inline["datasets"]["figures"]
    inline_codes = sorted(f["properties"]["lsoa_code"] for f in inline["datasets"]["lsoas"])
    assert sorted(linked_unit) == inline_codes and len(linked_unit) == 1065
    residents = result.lsoa[result.lsoa.resident]
    assert linked_unit == dict(zip(residents.lsoa_code, residents.unit, strict=True))
    assert len(json.dumps(linked)) < len(json.dumps(inline)) / 5
    vlc.vegalite_to_vega(linked)  # a valid Vega-Lite spec (raises otherwise)
    features = wound_features(get_reference(), resident_lsoas(result), 5)
    assert [f["properties"]["lsoa_code"] for f in features] == inline_codes
    ring = features[0]["geometry"]["coordinates"][0]
    point = ring[0] if features[0]["geometry"]["type"] == "Polygon" else ring[0][0]
    assert all(len(repr(c).split(".")[1]) <= 5 for c in point)
