"""The PCBC chapter and DMBC summary open with python-docx and hold the ranked table."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from stpkit.demo import decisions as demo
from stpkit.web.accounts.roles import Role
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Programme


@pytest.mark.slow
def test_packs_open_and_hold_the_ranked_table(
    demo_partnership: None, client_for: Callable[[Role], Client]
) -> None:
    demo.load()
    client = client_for(Role.PROGRAMME_OFFICE)
    response = client.get(reverse("decisions:pack", args=[demo.STROKE_SLUG, "pcbc"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('options-appraisal-chapter.docx"')
    doc = Document(io.BytesIO(response.content))
    headings = [
        p.text for p in doc.paragraphs if p.style and str(p.style.name).startswith("Heading")
    ]
    assert "Evaluation of the short list" in headings
    assert any("Scenario 2" in h for h in headings)
    ranked = next(t for t in doc.tables if t.rows[0].cells[0].text == "Rank")
    first = [c.text for c in ranked.rows[1].cells]
    preferred = Programme.objects.get(slug=demo.STROKE_SLUG)
    ev = services.evaluation(preferred)
    assert ev is not None
    assert first[0] == "1" and first[1].startswith(f"{ev.preferred.name}: HASUs at ")
    assert len(ranked.rows) == 7  # header + the five consulted configurations and today
    rejected = next(t for t in doc.tables if t.rows[0].cells[0].text == "Option")
    assert any("below the minimum 0.95" in r.cells[2].text for r in rejected.rows[1:])
    assert len(doc.inline_shapes) >= 3  # funnel, ranking and the equality map as PNG
    # the leader's equality and access impact, with its map and tables
    assert f"Equality and access impact: {ev.preferred.name}: HASUs at " in " ".join(headings)
    assert any(t.rows[0].cells[0].text == "IMD 2019 quintile" for t in doc.tables)
    # downloading the chapter as an editor records it for the PCBC stage's exit condition
    assert Programme.objects.get(slug=demo.STROKE_SLUG).pcbc_generated_at is not None

    response = client.get(reverse("decisions:pack", args=[demo.STROKE_SLUG, "dmbc"]))
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert "No decision has been recorded yet." in texts
    assert any(t.rows[0].cells[0].text == "Rank" for t in doc.tables)
    assert (
        client.get(reverse("decisions:pack", args=[demo.STROKE_SLUG, "other"])).status_code == 404
    )
