"""Each scorer gives a short rationale with each score: hidden from the other scorers (page
and audit trail) while the round is open, like the scores; shown beside the spread once it
closes, and on the audit trail."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stpkit.web.accounts.models import User
from stpkit.web.decisions import services
from stpkit.web.decisions.history import programme_history
from stpkit.web.decisions.models import PanelScore, ScoringRound
from tests.web.decisions.helpers import get_text, logged_in, post_text
from tests.web.decisions.test_workflow import _programme


def _form(who: str, base: int) -> dict[str, object]:
    form: dict[str, object] = {"action": "score"}
    for i, code in enumerate(("BAU", "X", "Y")):
        for key in ("quality", "access"):
            form[f"s-{code}-{key}"] = str(base + i)
            form[f"r-{code}-{key}"] = f"{who} on {code}/{key}: reason {base + i}"
    return form


def _every_page(client: Client, url: str) -> str:
    """The text of every page of a paged table (the audit trail shows 50 changes a page)."""
    pages, page = [get_text(client, url)], 1
    while 'rel="next"' in pages[-1]:
        page += 1
        pages.append(get_text(client, f"{url}?page={page}"))
    return "".join(pages)


def test_rationales_are_asked_hidden_while_open_and_shown_after(people: dict[str, User]) -> None:
    prog = _programme(people, "evaluation")
    url = reverse("decisions:scoring", args=[prog.slug])
    trail_url = reverse("decisions:history", args=[prog.slug])
    office, ann, bob = (logged_in(people[n]) for n in ("sro", "ann", "bob"))
    post_text(office, url, {"action": "open", "scorers": ["ann", "bob"]})
    rnd = ScoringRound.objects.get(programme=prog)
    page = get_text(ann, url)
    assert 'name="r-X-quality"' in page and "short rationale" in page  # the form asks

    # too long: refused with its message, nothing recorded
    page = post_text(ann, url, {**_form("ann", 5), "r-Y-access": "x" * 501})
    assert "The rationale for Y on Access is 501 characters: keep it to 500" in page
    assert not PanelScore.objects.filter(round=rnd).exists()

    post_text(ann, url, _form("ann", 5))
    assert PanelScore.objects.get(
        round=rnd, scorer=people["ann"], option__code="X", criterion__key="access"
    ).rationale == ("ann on X/access: reason 6")
    page = get_text(ann, url)
    assert "ann on X/access: reason 6" in page  # a scorer sees their own
    # nobody else does, on the scoring page or the audit trail, while the round is open
    for other in (bob, office):
        assert "ann on X/access" not in get_text(other, url)
        assert "ann on X/access" not in _every_page(other, trail_url)
    assert "ann on X/access" not in str(programme_history(prog, people["bob"]))
    assert "ann on X/access" in _every_page(ann, trail_url)

    # scorer bob leaves one rationale out (optional), then the round closes
    post_text(bob, url, {**_form("bob", 6), "r-BAU-quality": ""})
    post_text(office, url, {"action": "close"})
    page = get_text(bob, url)
    assert "Round 1 is closed" in page.replace("<strong>", "").replace("</strong>", "")
    # beside the spread: each scorer's score and rationale for the cell
    cell = page.split('data-rationales="X|access"')[1].split("</td>")[0]
    assert "ann on X/access: reason 6" in cell and "bob on X/access: reason 7" in cell
    assert "<strong>6</strong>" in cell and "<strong>7</strong>" in cell
    cell = page.split('data-rationales="BAU|quality"')[1].split("</td>")[0]
    assert "(no rationale given)" in cell and "ann on BAU/quality: reason 5" in cell
    csv = office.get(url, {"format": "csv"}).content.decode()
    assert "Scores and rationales" in csv and "ann: 6 (ann on X/access: reason 6)" in csv
    # and on the audit trail: who gave which rationale, for everyone now
    rows = [r for r in programme_history(prog, people["bob"]) if r["field"] == "rationale"]
    assert {(r["who"], r["after"]) for r in rows} >= {
        ("ann", "ann on X/access: reason 6"),
        ("bob", "bob on X/access: reason 7"),
    }
    assert "ann on X/access: reason 6" in _every_page(office, trail_url)
    # the round is closed: no new rationales
    page = post_text(ann, url, _form("ann", 5))
    assert "Scoring round 1 is closed" in page
    assert services.latest_round(prog) == rnd and rnd.scores.count() == 12
