"""`stpkit.kid` and its zones: each name exported resolves, and importing kid stays cheap."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import stpkit.kid as kid


@pytest.mark.parametrize("zone", kid.ZONES)
def test_every_name_a_zone_exports_resolves(zone: str) -> None:
    module = importlib.import_module(f"stpkit.kid.{zone}")
    assert module.__all__
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


def test_every_name_kid_exports_is_its_zones_object() -> None:
    for name in kid.__all__:
        value = getattr(kid, name)
        if name in kid.ZONES:
            assert value is importlib.import_module(f"stpkit.kid.{name}")
            continue
        home = importlib.import_module(f"stpkit.kid.{kid._HOME[name]}")
        assert value is getattr(home, name), name
    with pytest.raises(AttributeError):
        _ = kid.no_such_name


def test_importing_kid_loads_no_zone_and_no_heavy_library() -> None:
    code = (
        "import sys; from stpkit.kid import KidError; "
        "heavy = [m for m in ('splink', 'pyspark', 'pandas', 'duckdb', 'stpkit.kid.pipeline') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_pipeline_loads_without_splink_or_pyspark() -> None:
    code = (
        "import sys; import stpkit.kid.pipeline, stpkit.kid.governed; "
        "print(','.join(m for m in ('splink', 'pyspark') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
