"""Overdue risk reviews: flagged on the register and workstream page, counted on the
dashboard, filterable, and in the downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stpkit.demo import programme as demo
from stpkit.programme.risk import review_overdue
from stpkit.web.programme.models import Risk, Workstream

FLAG = "programme-review-overdue"


def _only_these_risks() -> tuple[Risk, Risk, Risk, Risk]:
    """Four prevention risks against today's date; every other risk reviewed in future."""
    today = timezone.localdate()
    Risk.objects.update(review_date=today + timedelta(days=30))
    prevention = Workstream.objects.get(slug="prevention")

    def make(title: str, days: int | None, status: str = "open") -> Risk:
        return Risk.objects.create(
            workstream=prevention,
            title=title,
            likelihood=2,
            consequence=2,
            status=status,
            review_date=None if days is None else today + timedelta(days=days),
        )

    return (
        make("Late review", -1),
        make("Review due today", 0),
        make("Closed with an old review", -100, status="closed"),
        make("No review date", None),
    )


def test_the_register_flags_and_filters_overdue_reviews(
    client_as: Callable[[str], Client],
) -> None:
    late, due_today, closed, undated = _only_these_risks()
    client = client_as("board")
    page = client.get(reverse("programme:risks"), {"status": "all"}).content.decode()
    assert page.count(FLAG) == 1
    row = page.split(late.title, 1)[1].split("</tr>", 1)[0]
    assert FLAG in row
    filtered = client.get(reverse("programme:risks"), {"status": "all", "overdue": "1"})
    text = filtered.content.decode()
    assert late.title in text
    for other in (due_today, closed, undated):
        assert other.title not in text
    assert "1 risks and issues" in text


def test_the_workstream_page_flags_and_counts_its_overdue_reviews(
    client_as: Callable[[str], Client],
) -> None:
    late, *_ = _only_these_risks()
    page = client_as("board").get(reverse("programme:workstream", args=["prevention"]))
    text = page.content.decode()
    assert "1 risk review overdue" in text
    assert "?workstream=prevention&amp;overdue=1" in text
    assert text.count(FLAG) == 1
    other = client_as("board").get(reverse("programme:workstream", args=["hospital-care"]))
    assert "risk review overdue" not in other.content.decode()
    assert late.title not in other.content.decode()


def test_the_dashboard_counts_overdue_reviews_and_links_to_them(
    client_as: Callable[[str], Client],
) -> None:
    _only_these_risks()
    prevention = Workstream.objects.get(slug="prevention")
    today = timezone.localdate()
    Risk.objects.create(
        workstream=prevention,
        title="Another late review",
        likelihood=1,
        consequence=1,
        review_date=today - timedelta(days=40),
    )
    text = client_as("board").get(reverse("programme:index")).content.decode()
    figure = text.split('id="overdue-reviews-total">', 1)[1]
    assert figure.startswith("2<")
    assert '?overdue=1">risk reviews overdue</a>' in figure


def test_the_register_download_says_whose_review_is_overdue(
    client_as: Callable[[str], Client],
) -> None:
    late, due_today, *_ = _only_these_risks()
    response = client_as("board").get(reverse("programme:risks"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_title = {r["Risk or issue"]: r for r in rows}
    assert by_title[late.title]["Review overdue"] == "Yes"
    assert by_title[due_today.title]["Review overdue"] == "No"


def test_the_demo_has_reviews_overdue_at_the_march_2018_board(programme_demo: None) -> None:
    """The demo's review dates are the papers' timeline: two reviews had fallen due before
    the 5 March 2018 board (the January Joint HOSC and the second Investment Committee on
    28 February, seed 004); on today's clock every open 2018 review date has passed."""
    overdue_then = {
        r.title for r in Risk.objects.all() if review_overdue(r.review_date, r.status, demo.AS_AT)
    }
    assert overdue_then == {
        "Scrutiny delays to the stroke consultation",
        "NHS England assurance needs a second Investment Committee meeting",
    }
