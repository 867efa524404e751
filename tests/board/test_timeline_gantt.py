"""The programme's Gantt chart: the dependency path (engine), the chart spec's today line,
labels and baselines, and the timeline page on the demo clock."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.charts.programme import gantt
from stpkit.programme import driving_path
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role


def test_driving_path_follows_the_latest_predecessor_back_from_the_latest_end() -> None:
    forecast = {
        "design": date(2018, 1, 1),
        "funding": date(2018, 3, 1),
        "build": date(2018, 9, 1),
        "open": date(2019, 1, 1),
        "side": date(2018, 2, 1),
        "side-end": date(2018, 6, 1),
        "unknown": None,
    }
    edges = [
        ("design", "build"),
        ("funding", "build"),  # later than design: it drives the build
        ("build", "open"),
        ("side", "side-end"),
        ("unknown", "open"),
    ]
    assert driving_path(edges, forecast) == ["funding", "build", "open"]
    assert driving_path([], forecast) == []
    # A cycle (refused by the dependency rules) is never walked forever.
    assert driving_path([("build", "open"), ("open", "build")], forecast) == ["build", "open"]


def milestone(title: str, baseline: date, forecast: date) -> SimpleNamespace:
    return SimpleNamespace(
        workstream=SimpleNamespace(name="Hospital care"),
        title=title,
        start_date=date(2018, 1, 1),
        baseline_date=baseline,
        forecast_date=forecast,
        status="in_progress",
        slip_days=(forecast - baseline).days,
    )


def test_gantt_spec_has_labels_baselines_path_and_today() -> None:
    spec = gantt(
        [
            milestone("Consultation", date(2018, 3, 1), date(2018, 5, 1)),
            milestone("Decision", date(2018, 9, 1), date(2018, 9, 1)),
        ],
        today=date(2018, 3, 5),
        path=[("Hospital care", "Decision")],
        width=500,
    )
    text = json.dumps(spec)
    assert "Today, 5 Mar 2018" in text and '"2018-03-05"' in text
    assert spec["data"] == {"name": "milestones"}  # shared by the layers
    rows = spec["datasets"]["milestones"]
    assert [r["label"] for r in rows] == ["Hospital care: Consultation", "Hospital care: Decision"]
    assert [r["on_path"] for r in rows] == ["No", "Yes"]
    assert rows[0]["forecast_label"] == "1 May 2018" and rows[0]["slip_days"] == 61
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "tick", "text", "rule", "text"]
    assert spec["width"] == 500


@pytest.mark.django_db
def test_timeline_page_draws_on_the_demo_clock(client: Client, settings: object) -> None:
    from stpkit.demo import programme
    from stpkit.demo.clock import AS_AT
    from stpkit.demo.partnership import load_partnership

    load_partnership()
    programme.load()
    settings.STPKIT_TODAY = AS_AT  # type: ignore[attr-defined]
    reader = User.objects.create(username="board-reader", role=Role.BOARD_MEMBER.value)
    client.force_login(reader)
    page = client.get(reverse("programme:timeline"))
    html = page.content.decode()
    assert "The dashed line is today, 5 March 2018" in html
    assert "Today, 5 Mar 2018" in html  # inside the chart spec
    assert "Stroke unit estates works complete" in html  # the end of the dependency path


@pytest.mark.django_db
def test_the_kept_timeline_shows_a_milestone_changed_since(client: Client) -> None:
    """The Gantt spec is kept per data version (core.datacache): a write shows at once."""
    from stpkit.demo import programme
    from stpkit.demo.partnership import load_partnership
    from stpkit.web.programme.models import Milestone

    load_partnership()
    programme.load()
    client.force_login(User.objects.create(username="board-reader", role=Role.BOARD_MEMBER.value))
    first = client.get(reverse("programme:timeline")).content.decode()
    milestone = Milestone.objects.order_by("pk").first()
    assert milestone is not None and milestone.title in first
    assert "Renamed since the last view" not in first
    milestone.title = "Renamed since the last view"
    milestone.save()
    assert (
        "Renamed since the last view" in client.get(reverse("programme:timeline")).content.decode()
    )
