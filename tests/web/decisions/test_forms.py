"""Every POST goes through a form: input it cannot read is refused with a message that
names the field, and nothing changes; the action named must be one the page knows."""

from __future__ import annotations

from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.decisions.models import Stage, TimelineTask
from tests.web.decisions.helpers import logged_in, post_text, user
from tests.web.decisions.test_workflow import _programme


def test_stage_owner_without_its_version_is_refused(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    row = prog.stages.get(key="case_for_change")
    url = reverse("decisions:stage", args=[prog.slug, row.key])
    page = post_text(logged_in(people["sro"]), url, {"action": "owner", "owner": "Jo"})
    assert "The form is missing its version: reload the page" in page
    assert Stage.objects.get(pk=row.pk).owner == row.owner
    page = post_text(
        logged_in(people["sro"]), url, {"action": "owner", "owner": " Jo ", "version": row.version}
    )
    assert Stage.objects.get(pk=row.pk).owner == "Jo"


def test_an_unknown_action_is_refused(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    url = reverse("decisions:hurdles", args=[prog.slug])
    page = post_text(logged_in(people["sro"]), url, {"action": "shred"})
    assert "Unknown action 'shred'" in page


def test_a_bad_date_names_its_field(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    url = reverse("decisions:timeline", args=[prog.slug])
    post = {"action": "task", "key": "t1", "title": "Launch", "start": "31/02/2026"}
    page = post_text(logged_in(people["sro"]), url, post)
    assert "Start: '31/02/2026' is not a date (YYYY-MM-DD)" in page
    assert not TimelineTask.objects.filter(programme=prog).exists()


def test_readers_cannot_post_an_editors_action(people: dict[str, User]) -> None:
    prog = _programme(people, "case_for_change")
    url = reverse("decisions:programme", args=[prog.slug])
    reader = logged_in(user("reader", Role.BOARD_MEMBER))
    page = post_text(reader, url, {"kind": "document", "title": "A leaflet"})
    assert "Your role can read this programme but not change it" in page
    assert not prog.evidence.filter(title="A leaflet").exists()
