"""Search across the areas: grouped by area, each result linking to its page, only in the
areas the person may read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import Paper
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Evidence, Option
from stpkit.web.programme.models import Milestone
from stpkit.web.tasks.search import PER_GROUP, search
from tests.web.tasks.conftest import login, person


@pytest.fixture
def searchable(world: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    Milestone.objects.create(
        workstream=world["stroke"],
        title="Stroke hyper acute units open",
        baseline_date=date(2019, 4, 1),
        forecast_date=date(2019, 6, 1),
    )
    prog = services.create_programme(name="Stroke services", slug="ss", process_key="stroke")
    Option.objects.create(programme=prog, code="DA+MD", name="Darent Valley and Maidstone")
    Evidence.objects.create(programme=prog, kind="document", title="Stroke case for change")
    paper = Paper(meeting=world["meeting"], title="Stroke workforce paper")
    paper.file.save("stroke.txt", ContentFile(b"paper"), save=True)
    return {**world, "prog": prog, "paper": paper}


def areas(groups: list[Any]) -> list[str]:
    return [g.area for g in groups]


def test_results_are_grouped_by_area_and_link_to_their_pages(
    searchable: dict[str, Any],
) -> None:
    groups = search(searchable["office"], "stroke")
    # no risk or option mentions stroke; the rest do
    assert areas(groups) == [
        "Workstreams",
        "Milestones",
        "Board actions",
        "Board papers",
        "Evidence",
    ]
    by_area = {g.area: g for g in groups}
    assert by_area["Workstreams"].results[0].link == reverse(
        "programme:workstream", args=["stroke"]
    )
    assert by_area["Board papers"].results[0].link == reverse(
        "board:paper", args=[searchable["paper"].pk]
    )
    assert by_area["Evidence"].results[0].title == "Stroke case for change"


def test_every_word_must_match_and_case_is_ignored(searchable: dict[str, Any]) -> None:
    groups = search(searchable["office"], "THROMBECTOMY gaps")
    assert [(g.area, [r.title for r in g.results]) for g in groups] == [
        ("Risks and issues", ["Thrombectomy rota gaps"])
    ]
    assert search(searchable["office"], "thrombectomy nowhere") == []
    assert search(searchable["office"], "   ") == []
    (opt,) = search(searchable["office"], "da+md")
    assert opt.results[0].link == reverse("decisions:option", args=["ss", "DA+MD"])


def test_only_areas_the_person_may_read(searchable: dict[str, Any]) -> None:
    # the data controller reads neither the programme nor decisions
    assert search(searchable["controller"], "stroke") == []
    html = login(searchable["controller"]).get(reverse("tasks:search"), {"q": "stroke"})
    assert "Nothing matches" in html.content.decode()


def test_a_long_group_shows_its_first_results_and_the_total(world: dict[str, Any]) -> None:
    for i in range(PER_GROUP + 5):
        Milestone.objects.create(
            workstream=world["stroke"],
            title=f"Recruit nurse {i}",
            baseline_date=date(2019, 1, 1),
            forecast_date=date(2019, 1, 1),
        )
    (group,) = search(world["office"], "recruit nurse")
    assert group.total == PER_GROUP + 5 and len(group.results) == PER_GROUP


def test_the_search_page_and_header_box(searchable: dict[str, Any]) -> None:
    client = login(searchable["office"])
    html = client.get(reverse("tasks:search"), {"q": "rota"}).content.decode()
    assert f'href="{reverse("programme:risk", args=[searchable["overdue_risk"].pk])}"' in html
    assert "Risks and issues" in html
    home = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("tasks:search")}"' in home
    assert login(person("x", Role.BOARD_MEMBER)).get(reverse("tasks:search")).status_code == 200
