"""My tasks: what is due from each person, overdue first, in the areas they may see."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from stpkit.web.accounts.roles import Role
from stpkit.web.board.models import WorkstreamUpdate
from stpkit.web.core.clock import today
from stpkit.web.decisions import services
from stpkit.web.decisions.models import Programme, RoleHolder
from stpkit.web.tasks.duties import Task, sort_tasks, tasks_for
from tests.web.tasks.conftest import TODAY, login, person


def keys(tasks: list[Task]) -> list[str]:
    return [t.key for t in tasks]


def test_the_clock_follows_the_setting(settings: Any) -> None:
    assert today() == TODAY
    settings.STPKIT_TODAY = "2019-01-02"
    assert today() == date(2019, 1, 2)
    settings.STPKIT_TODAY = "not a date"
    with pytest.raises(ValueError, match="STPKIT_TODAY must be a date like"):
        today()


def test_a_lead_is_due_their_update_risk_reviews_and_actions(world: dict[str, Any]) -> None:
    tasks = tasks_for(world["lead"], TODAY)
    stroke = world["stroke"]
    assert keys(tasks) == [
        f"risk_review:{world['overdue_risk'].pk}",  # overdue (28 February) first
        f"risk_review:{world['soon_risk'].pk}",  # 10 March
        f"update:{stroke.pk}:2018-03",  # 31 March: the update for the current period
        f"action:{world['action'].pk}",  # 2 April, owner "Stroke workstream lead"
    ]
    assert tasks[0].is_overdue(TODAY) and not tasks[1].is_overdue(TODAY)
    assert tasks[1].is_due_soon(TODAY)
    assert tasks[2].due == date(2018, 3, 31)
    assert tasks[2].link == reverse("board:update_edit", args=["2018-03", "stroke"])


def test_a_submitted_update_is_no_longer_due_but_a_returned_one_is(
    world: dict[str, Any],
) -> None:
    update = WorkstreamUpdate.objects.create(
        workstream=world["stroke"], period=world["period"], confidence="green", status="submitted"
    )
    assert not [t for t in tasks_for(world["lead"], TODAY) if t.kind == "update"]
    update.status = "returned"
    update.save()
    (task,) = [t for t in tasks_for(world["lead"], TODAY) if t.kind == "update"]
    assert task.note == "Sent back by the programme office"


def test_the_office_reviews_submitted_updates_and_the_programme_wide_register(
    world: dict[str, Any],
) -> None:
    tasks = tasks_for(world["office"], TODAY)
    assert {t.kind for t in tasks} == {"review_update", "risk_review", "action"}
    (review,) = [t for t in tasks if t.kind == "review_update"]
    assert review.title == "Review the Digital update for March 2018"
    (risk,) = [t for t in tasks if t.kind == "risk_review"]
    assert risk.key == f"risk_review:{world['wide_risk'].pk}"
    # "programme office" owns an overdue action: it comes first
    assert tasks[0].key == f"action:{world['office_action'].pk}"


def test_people_with_nothing_due_and_areas_they_cannot_see(world: dict[str, Any]) -> None:
    assert tasks_for(world["board"], TODAY) == []
    # the data controller cannot see the programme, so owns nothing there even by name
    world["action"].owner = "Dora Lee"
    world["action"].save()
    assert tasks_for(world["controller"], TODAY) == []


def test_sort_puts_overdue_then_dated_then_undated() -> None:
    tasks = [
        Task("c", "sign_off", "C", "/"),
        Task("b", "action", "B", "/", date(2018, 3, 9)),
        Task("a", "action", "A", "/", date(2018, 3, 1)),
    ]
    assert keys(sort_tasks(tasks, TODAY)) == ["a", "b", "c"]


@pytest.fixture
def programme(world: dict[str, Any]) -> Programme:
    prog = services.create_programme(
        name="Stroke services", slug="stroke-services", process_key="stroke"
    )
    RoleHolder.objects.create(programme=prog, user=world["office"], role="sro")
    return prog


def test_the_signer_of_the_current_stage_is_asked_to_sign(
    world: dict[str, Any], programme: Programme
) -> None:
    (task,) = [t for t in tasks_for(world["office"], TODAY) if t.kind == "sign_off"]
    stage = services.current_stage(programme)
    assert stage is not None and task.key == f"sign_off:{stage.pk}"
    # with the conditions checked, the note says why it cannot be signed yet
    (checked,) = [
        t for t in tasks_for(world["office"], TODAY, check_conditions=True) if t.kind == "sign_off"
    ]
    assert checked.note.startswith("Not ready:")
    assert not [t for t in tasks_for(world["lead"], TODAY) if t.kind == "sign_off"]


def test_an_open_scoring_round_is_due_until_every_score_is_in(
    world: dict[str, Any], programme: Programme
) -> None:
    scorer = person("sam", Role.ANALYST, "Sam Field")
    rnd = programme.rounds.create(number=1)
    rnd.scorers.add(scorer)
    (task,) = tasks_for(scorer, TODAY)
    assert task.kind == "scoring" and task.link == reverse(
        "decisions:scoring", args=["stroke-services"]
    )
    rnd.is_open = False
    rnd.save()
    assert tasks_for(scorer, TODAY) == []


def test_the_tasks_page_and_the_header_count(world: dict[str, Any]) -> None:
    client = login(world["lead"])
    html = client.get(reverse("tasks:index")).content.decode()
    assert "1 overdue" in html
    assert html.index("Thrombectomy rota gaps") < html.index("Submit the Stroke update")
    assert "Overdue" in html and "Due soon" in html
    assert "My tasks (4" in html  # the header badge on every page
    home = client.get(reverse("core:home")).content.decode()
    assert "My tasks (4" in home
    board_html = login(world["board"]).get(reverse("tasks:index")).content.decode()
    assert "Nothing is due from you." in board_html and "My tasks (0)" in board_html


def test_the_header_count_is_cached_and_the_tasks_page_refreshes_it(
    world: dict[str, Any],
) -> None:
    client = login(world["lead"])
    assert "My tasks (4" in client.get(reverse("core:home")).content.decode()
    world["action"].status = "done"
    world["action"].save()
    # within half a minute other pages may show the old count; My tasks shows the new one
    assert "My tasks (3" in client.get(reverse("tasks:index")).content.decode()
    assert "My tasks (3" in client.get(reverse("core:home")).content.decode()
