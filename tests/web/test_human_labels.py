"""No internal value reaches people: rendered pages are scanned for RAG codes, ISO
timestamps, snake_case field names and counts with the wrong noun."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from stpkit.demo import programme as programme_demo
from stpkit.web.accounts.roles import Role
from stpkit.web.core.audit import record_change
from stpkit.web.programme.models import Milestone, Workstream

RAW = re.compile(
    r"amber_red|amber_green|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\bq\d+_[a-z]+\b|\b\d+\.0\b"
    r"|\b(?:ae|apc|op)\b|Recorded \d+ passes|\bnot_started\b|\bin_progress\b"
)


def visible_text(html: str) -> str:
    """What a person reads: no scripts, no chart specs, no tags."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r'data-vega-spec="[^"]*"', " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def with_history(demo_partnership: None) -> tuple[Workstream, Milestone]:
    programme_demo.load()
    ws = Workstream.objects.get(slug="hospital-care")
    record_change(
        None,
        ws,
        "update",
        {"delivery_confidence": "amber", "reviewed_at": "2018-02-05T10:00:00+00:00"},
        {"delivery_confidence": "amber_red", "reviewed_at": "2018-03-05T10:00:00+00:00"},
    )
    milestone = Milestone.objects.filter(workstream=ws).first()
    assert milestone is not None
    record_change(None, milestone, "update", {"status": "not_started"}, {"status": "in_progress"})
    return ws, milestone


def test_change_history_and_programme_pages_show_words_not_codes(
    with_history: tuple[Workstream, Milestone], client_for: Callable[[Role], Client]
) -> None:
    ws, milestone = with_history
    client = client_for(Role.PROGRAMME_OFFICE)
    pages = [
        f"/programme/workstreams/{ws.slug}/",
        f"/programme/milestones/{milestone.pk}/",
        "/programme/risks/",
        "/programme/milestones/",
        "/programme/",
        "/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = visible_text(response.content.decode())
        assert RAW.findall(text) == [], page
    workstream_page = visible_text(client.get(pages[0]).content.decode())
    assert "from “Amber” to “Amber/red”" in workstream_page
    assert "5 March 2018, 10:00" in workstream_page
    milestone_page = visible_text(client.get(pages[1]).content.decode())
    assert "Status from “Not started” to “In progress”" in milestone_page
