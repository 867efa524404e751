"""The Kent and Medway seed data and the synthetic benchmarks are consistent and usable."""

from __future__ import annotations

import io

import pytest
from docx import Document

from stpkit.productivity import (
    Basis,
    by_working_group,
    opportunities,
    provider_totals,
    read_catalogue,
    read_metrics,
    read_peer_groups,
    summarise,
    waterfall,
)
from stpkit.productivity import kent_medway as km
from stpkit.reports.productivity import GroupLine, board_summary_docx


def test_seed_targets_in_page_order() -> None:
    targets = {w.name: w.target for w in km.WORKING_GROUPS}
    assert len(targets) == 8
    assert targets["Temporary staffing"] is None
    assert targets["Pathology"] == 48e6 and targets["Medicines"] == 50e6
    assert targets["Supplies and services"] == 35e6
    assert targets["Corporate and back office"] == 6e6
    assert targets["Accident and emergency"] == 7e6
    assert targets["Care of the elderly"] == 12e6 and targets["Trauma and orthopaedics"] == 9e6
    assert sum(t for t in targets.values() if t) == 167e6  # short of 190m: more groups needed


def test_synthetic_metrics_are_deterministic_and_import_cleanly() -> None:
    assert km.synthetic_metrics() == km.synthetic_metrics()
    groups = read_peer_groups(km.to_csv(km.peer_group_rows()), "peers.csv")
    assert len(groups) == 4 * 11 and len(set(groups.values())) == 4
    catalogue = read_catalogue(km.to_csv(km.catalogue_rows()), "catalogue.csv")
    assert catalogue == km.catalogue()
    data = read_metrics(km.to_csv(km.synthetic_metrics()), groups, catalogue, "metrics.csv")
    trusts = [name for name, _ in km.KM_TRUSTS]
    totals = provider_totals(opportunities(data, catalogue, Basis.MEDIAN, providers=trusts))
    assert {t.provider for t in totals} == set(trusts)
    assert all(t.cash > 0 and t.overlap_excluded >= 0 for t in totals)
    # The synthetic trusts sit near the seed's 190m at the peer median (same order).
    assert 100e6 < sum(t.cash for t in totals) < 300e6


@pytest.mark.slow
def test_board_summary_opens_with_python_docx() -> None:
    schemes = by_working_group(km.demo_schemes())
    lines = [
        GroupLine(w.name, "", w.status, summarise(schemes.get(w.slug, []), w.target))
        for w in km.WORKING_GROUPS
    ]
    content = board_summary_docx(
        partnership="Kent and Medway",
        plan_year="2020/21",
        programme_target=190e6,
        groups=lines,
        providers=[],
        basis=Basis.MEDIAN,
        bridge=waterfall(list(km.BRIDGE)),
        as_at=km.ACTUALS_TO,
    )
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "productivity programme" in text
    assert "Temporary staffing still to be confirmed" in text
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 9
    assert len(doc.inline_shapes) == 1  # the waterfall picture
