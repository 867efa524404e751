"""The PCBC chapter carries the chosen option's equality tables and its change map.

Two real configurations of the Kent and Medway stroke model: each pack holds its own map
(the PNG bytes are in the .docx), the map is coloured from the data (many colours, and a
different picture for a different option), and the tables hold the model's figures.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from docx import Document
from PIL import Image

from stpkit.reference import get_reference
from stpkit.reports.decision_packs import DecisionPack, EqualitySection, write_pcbc_chapter
from stpkit.reports.stroke_equality import equality_section
from stpkit.stroke import StrokeModel, load_geography
from stpkit.stroke.business_case import BusinessCaseModel

pytestmark = pytest.mark.slow  # renders two maps (seconds)


@pytest.fixture(scope="module")
def sections() -> tuple[EqualitySection, EqualitySection, BusinessCaseModel]:
    ref = get_reference()
    model = StrokeModel(load_geography(ref, "Kent and Medway"))
    business = BusinessCaseModel(model)
    west = model.evaluate(model.configuration("West", ["DA", "MW", "TU"]))
    east = model.evaluate(model.configuration("East", ["DA", "QM", "WH"]))
    return (
        equality_section(business, west, ref),
        equality_section(business, east, ref),
        business,
    )


def _pack(section: EqualitySection) -> DecisionPack:
    return DecisionPack(
        programme="Stroke",
        summary="",
        process="Stroke",
        stages=[],
        funnel=[],
        rejected=[],
        criteria=[],
        option_names={},
        equality=section,
    )


def _images(docx: bytes) -> list[bytes]:
    doc = Document(io.BytesIO(docx))
    return [p.blob for p in doc.part.package.iter_parts() if p.content_type == "image/png"]


def _colours(png: bytes) -> dict[tuple[int, ...], int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = image.getcolors(maxcolors=1 << 20)
    assert counts is not None
    return {c: n for n, c in counts}


def test_the_pack_holds_the_map_and_the_tables(
    sections: tuple[EqualitySection, EqualitySection, BusinessCaseModel],
) -> None:
    west, _, _ = sections
    docx = write_pcbc_chapter(_pack(west))
    assert west.map_png in _images(docx)
    doc = Document(io.BytesIO(docx))
    headings = [p.text for p in doc.paragraphs if str(p.style.name).startswith("Heading")]
    assert "Equality and access impact: West" in headings
    quintiles = next(t for t in doc.tables if t.rows[0].cells[0].text == "IMD 2019 quintile")
    assert len(quintiles.rows) == 6  # header + five quintiles
    losers = next(t for t in doc.tables if t.rows[0].cells[0].text == "LSOA")
    assert len(losers.rows) > 1
    # without a section the chapter has no such heading and no extra picture
    bare = Document(io.BytesIO(write_pcbc_chapter(replace(_pack(west), equality=None))))
    assert not any("Equality" in p.text for p in bare.paragraphs)
    assert west.map_png not in _images(write_pcbc_chapter(replace(_pack(west), equality=None)))


def test_the_map_is_coloured_by_the_options_change(
    sections: tuple[EqualitySection, EqualitySection, BusinessCaseModel],
) -> None:
    west, east, _ = sections
    assert west.map_png != east.map_png
    a, b = _colours(west.map_png), _colours(east.map_png)
    # a continuous scale over ~1,000 LSOAs: many fill colours, not a flat picture
    assert len(a) > 50 and len(b) > 50

    # the west-only option lengthens east Kent's journeys (red); the east one far less so
    def reds(c: dict[tuple[int, ...], int]) -> int:
        return sum(n for (r, g, bl), n in c.items() if r > 150 and g < 80 and bl < 80)

    assert reds(a) > 2 * reds(b)
    # the tables agree with the model's own figures for the option
    change = [row[-1] for row in west.tables[0][2]]
    assert max(change) > 10  # the most affected quintile loses over ten minutes
