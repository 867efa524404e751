"""`stpkit.reports` and `stpkit.charts` name their public API and load it on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import stpkit.charts
import stpkit.reports
from stpkit.charts.board import confidence_trend
from stpkit.reports.board_update import to_docx


@pytest.mark.parametrize("package", [stpkit.reports, stpkit.charts])
def test_every_public_name_resolves(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    assert names
    for name in names:
        assert getattr(package, name) is not None, name
    with pytest.raises(AttributeError):
        package.not_a_public_name  # type: ignore[attr-defined]  # noqa: B018


def test_public_names_are_the_module_objects() -> None:
    assert stpkit.reports.to_docx is to_docx
    assert stpkit.charts.confidence_trend is confidence_trend


def test_importing_the_packages_does_not_import_altair_or_docx() -> None:
    code = (
        "import sys, stpkit.reports, stpkit.charts; "
        "print(sorted(m for m in ('altair', 'docx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_confidence_trend_colours_each_rating() -> None:
    spec = confidence_trend(
        [
            {"workstream": "Digital", "month": "Mar 2018", "rating": "Amber"},
            {"workstream": "Estates", "month": "Mar 2018", "rating": "Green"},
        ]
    )
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"][0] == "Green"
    assert scale["range"][0] == "#007f3b"
    assert len(scale["domain"]) == len(scale["range"]) == 5
