"""A question's theme framework on the web: import (every bad row listed), edits audited,
proposals accepted, several themes per answer counted once in each, the review page
(most uncertain first, labels stored, learning measured on held-back reviews), search."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from stpkit.consultation.importing import import_responses
from stpkit.consultation.statistics import publish
from stpkit.consultation.survey import survey_to_dict
from stpkit.consultation.synthetic import (
    FRAMEWORK,
    OPEN_QUESTION,
    STROKE_SURVEY,
    SyntheticResponse,
    generate,
    to_csv,
)
from stpkit.disclosure import DEFAULT_POLICY
from stpkit.web.accounts.roles import Role
from stpkit.web.consultation.models import (
    AnswerTheme,
    AssignmentRun,
    Consultation,
    ReviewLabel,
    TextAnswer,
    Theme,
    ThemeProposal,
)
from stpkit.web.consultation.services import store_responses, themes_per_response
from stpkit.web.core.models import ChangeRecord

Q = OPEN_QUESTION


def framework_csv(rows: list[dict[str, str]]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "framework.csv"
    return upload


GOOD = [
    {"key": t.key, "name": t.name, "description": t.description, "position": t.position}
    for t in FRAMEWORK
]


def make_consultation(n: int, slug: str = "fw") -> tuple[Consultation, list[SyntheticResponse]]:
    consultation = Consultation.objects.create(
        title="Framework test", slug=slug, survey=survey_to_dict(STROKE_SURVEY)
    )
    synthetic = generate(n, 11)
    result = import_responses(to_csv(synthetic), STROKE_SURVEY, "responses.csv")
    store_responses(consultation=consultation, responses=result.responses)
    return consultation, synthetic


def url(name: str, consultation: Consultation, **kwargs: str) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


@pytest.fixture
def small(db: None) -> tuple[Consultation, list[SyntheticResponse]]:
    return make_consultation(80)


def import_good(client: Client, consultation: Consultation) -> None:
    response = client.post(
        url("framework", consultation, code=Q), {"action": "import", "file": framework_csv(GOOD)}
    )
    assert response.status_code == 302


def test_import_lists_every_bad_row_and_a_good_file_replaces_the_themes(
    small: tuple[Consultation, list[SyntheticResponse]], client_for: Callable[[Role], Client]
) -> None:
    consultation, _ = small
    client = client_for(Role.ANALYST)
    bad = [
        {"name": "Travel", "description": "far", "position": ""},
        {"name": "", "description": "no name", "position": ""},
        {"name": "Staff", "description": "nurses", "position": "maybe"},
    ]
    page = client.post(
        url("framework", consultation, code=Q), {"action": "import", "file": framework_csv(bad)}
    ).content.decode()
    assert "The framework was not loaded" in page
    assert page.count("data-problem") == 2  # both bad rows, not just the first
    assert "every theme needs a name" in page and "support, oppose or neutral" in page
    assert '<td class="nhsuk-table__cell">3</td>' in page  # row numbers as a spreadsheet shows
    assert '<td class="nhsuk-table__cell">position</td>' in page
    assert not Theme.objects.filter(consultation=consultation).exists()  # nothing changed

    import_good(client, consultation)
    themes = Theme.objects.filter(consultation=consultation, question_code=Q)
    assert sorted(themes.values_list("key", flat=True)) == sorted(t.key for t in FRAMEWORK)
    assert all(t.framework and t.description for t in themes)
    assert ChangeRecord.objects.filter(
        action="create", reason__contains="framework.csv"
    ).count() == (len(FRAMEWORK))
    carried = AnswerTheme.objects.filter(answer__respondent__consultation=consultation)
    assert carried.exists() and carried.exclude(sentence="").exists()
    per_answer: dict[int, int] = {}
    for answer_id in carried.values_list("answer_id", flat=True):
        per_answer[answer_id] = per_answer.get(answer_id, 0) + 1
    assert max(per_answer.values()) >= 2  # several themes per answer

    # JSON works the same way, and the framework downloads for editing
    upload = io.BytesIO(json.dumps({"themes": GOOD[:3]}).encode())
    upload.name = "framework.json"
    client.post(url("framework", consultation, code=Q), {"action": "import", "file": upload})
    assert Theme.objects.filter(consultation=consultation, question_code=Q).count() == 3
    download = client.get(url("framework", consultation, code=Q) + "?format=csv")
    assert download.content.decode("utf-8-sig").splitlines()[0].startswith("key,name,description")

    board = client_for(Role.BOARD_MEMBER)
    assert board.get(url("framework", consultation, code=Q)).status_code == 200
    refused = board.post(url("framework", consultation, code=Q), {"action": "delete", "key": "x"})
    assert refused.status_code == 403


def test_add_rename_describe_and_delete_are_audited(
    small: tuple[Consultation, list[SyntheticResponse]], client_for: Callable[[Role], Client]
) -> None:
    consultation, _ = small
    client = client_for(Role.ANALYST)
    page = url("framework", consultation, code=Q)
    client.post(
        page,
        {
            "action": "add",
            "name": "Parking",
            "description": "Parking at the hospital costs too much.",
        },
    )
    added = Theme.objects.get(consultation=consultation, label="Parking")
    assert added.framework and added.key == "T1"
    client.post(page, {"action": "add", "name": "parking"})  # names are unique
    assert Theme.objects.filter(consultation=consultation).count() == 1
    client.post(
        page,
        {
            "action": "edit",
            "key": "T1",
            "name": "Parking and visiting",
            "description": "Car parks, charges and visiting hours.",
            "position": "oppose",
            "version": str(added.version),
        },
    )
    added.refresh_from_db()
    assert (added.label, added.position) == ("Parking and visiting", "oppose")
    change = ChangeRecord.objects.filter(object_id=str(added.pk), action="update").first()
    assert change is not None and change.changes["label"] == ["Parking", "Parking and visiting"]
    # an edit made from a page opened before that change is refused, not applied
    stale = client.post(
        page,
        {"action": "edit", "key": "T1", "name": "Old", "description": "", "version": "1"},
        follow=True,
    ).content.decode()
    assert "was changed" in stale
    added.refresh_from_db()
    assert added.label == "Parking and visiting"
    client.post(page, {"action": "delete", "key": "T1"})
    assert not Theme.objects.filter(pk=added.pk).exists()
    assert ChangeRecord.objects.filter(object_id=str(added.pk), action="delete").exists()


def test_discovery_proposes_and_the_analyst_accepts(
    small: tuple[Consultation, list[SyntheticResponse]], client_for: Callable[[Role], Client]
) -> None:
    consultation, _ = small
    client = client_for(Role.ANALYST)
    page = url("framework", consultation, code=Q)
    client.post(page, {"action": "propose", "k": "6"})
    proposals = list(ThemeProposal.objects.filter(consultation=consultation))
    assert len(proposals) == 6
    assert not Theme.objects.filter(consultation=consultation).exists()  # not yet accepted
    client.post(page, {"action": "accept", "proposal": str(proposals[0].pk)})
    client.post(page, {"action": "dismiss", "proposal": str(proposals[1].pk)})
    theme = Theme.objects.get(consultation=consultation)
    assert theme.label == proposals[0].name and theme.framework
    assert theme.description == proposals[0].description
    assert ThemeProposal.objects.filter(consultation=consultation).count() == 4
    assert AnswerTheme.objects.filter(theme_key=theme.key).exists()  # answers assigned


def test_an_answer_with_two_themes_counts_once_in_each(
    db: None, client_for: Callable[[Role], Client]
) -> None:
    consultation, _ = make_consultation(20, slug="two")
    client = client_for(Role.ANALYST)
    rows = [
        {"key": "A", "name": "Travel and access", "description": "Journeys are too long."},
        {"key": "B", "name": "Specialist care", "description": "Specialist units save lives."},
    ]
    client.post(
        url("framework", consultation, code=Q), {"action": "import", "file": framework_csv(rows)}
    )
    answered = list(
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=Q)
        .exclude(text="")
        .order_by("respondent__response_id")
        .values_list("respondent__response_id", flat=True)
    )
    assert len(answered) >= 18
    # the analyst's reviews fix each answer's themes: ten carry both themes
    wanted = {
        rid: (["A", "B"] if i < 10 else ["A"] if i % 2 else ["B"]) for i, rid in enumerate(answered)
    }
    review = url("review", consultation, code=Q)
    for rid, keys in wanted.items():
        client.post(
            review, {"action": "review", "response_id": rid, "themes": keys, "stance": "agree"}
        )
    client.post(review, {"action": "relearn"})  # re-running keeps reviewed answers' themes
    expect = {k: sum(k in keys for keys in wanted.values()) for k in ("A", "B")}
    assert expect["A"] + expect["B"] == len(answered) + 10

    stored = themes_per_response(consultation, Q)  # blank answers carry none
    assert {r: sorted(k) for r, k in stored.items()} == {r: sorted(k) for r, k in wanted.items()}
    csv_text = client.get(url("themes", consultation, code=Q) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    table = {r["Theme"]: int(r["Responses"]) for r in csv.DictReader(io.StringIO(csv_text))}
    assert table == {"Travel and access": expect["A"], "Specialist care": expect["B"]}

    search = client.get(url("responses", consultation, code=Q) + "?theme=A&format=csv")
    found = list(csv.DictReader(io.StringIO(search.content.decode("utf-8-sig"))))
    assert len(found) == expect["A"]
    assert sum("; " in r["Themes"] for r in found) == 10  # both themes listed on those rows

    html = client.get(url("report_html", consultation)).content.decode()
    # published counts are rounded to 5 (OpenSAFELY); counting only each answer's first
    # theme would leave Specialist care the few answers carrying it alone (suppressed)
    for label, key in (("Travel and access", "A"), ("Specialist care", "B")):
        shown = publish(expect[key], DEFAULT_POLICY)
        assert shown is not None and shown >= 10
        assert f"<h3>{label} ({shown})</h3>" in html


def test_review_offers_the_most_uncertain_first_and_measures_what_reviews_gain(
    small: tuple[Consultation, list[SyntheticResponse]], client_for: Callable[[Role], Client]
) -> None:
    consultation, synthetic = small
    client = client_for(Role.ANALYST)
    import_good(client, consultation)
    review = url("review", consultation, code=Q)
    page = client.get(review).content.decode()
    offered = [chunk.split('"', 1)[0] for chunk in page.split('data-response="')[1:]]
    assert len(offered) == 5
    margin = dict(
        TextAnswer.objects.filter(respondent__consultation=consultation, question_code=Q)
        .exclude(text="")
        .values_list("respondent__response_id", "margin")
    )
    listed = [m if (m := margin[r]) is not None else float("inf") for r in offered]
    assert listed == sorted(listed)  # most uncertain (smallest margin) first
    rest = [m for r, m in margin.items() if r not in offered and m is not None]
    assert max(listed) <= min(rest)
    assert "No agreement figure yet" in page

    known = {s.row["response_id"]: s for s in synthetic}
    reviewed = [rid for rid in margin if known[rid].themes][:15]
    for rid in reviewed:
        client.post(
            review,
            {
                "action": "review",
                "response_id": rid,
                "themes": list(known[rid].themes),
                "stance": known[rid].stance,
            },
        )
    labels = ReviewLabel.objects.filter(consultation=consultation)
    assert labels.count() == 15 and labels.filter(held_back=True).count() == 3
    first = labels.get(response_id=reviewed[0])
    assert first.theme_keys == list(known[reviewed[0]].themes) and first.by is not None
    assert ChangeRecord.objects.filter(object_id=str(first.pk), action="create").exists()

    client.post(review, {"action": "relearn"})
    run = AssignmentRun.objects.filter(consultation=consultation).first()
    assert run is not None and (run.learned_from, run.held_back) == (12, 3)
    assert run.themes_before is not None and run.themes_after is not None
    assert 0 <= run.themes_after <= 1 and run.stance_after is not None
    page = client.get(review).content.decode()
    assert "data-gain-themes" in page and "Learning from 12 reviews" in page
    assert not any(f'data-response="{rid}"' in page for rid in reviewed)  # not offered again
    # a reviewed answer keeps the analyst's themes after re-running
    stored = AnswerTheme.objects.filter(answer__respondent__response_id=reviewed[1])
    assert sorted(stored.values_list("theme_key", flat=True)) == sorted(known[reviewed[1]].themes)
    assert set(stored.values_list("confidence", flat=True)) == {1.0}


def test_search_filters_and_one_respondents_answers(
    small: tuple[Consultation, list[SyntheticResponse]], client_for: Callable[[Role], Client]
) -> None:
    consultation, synthetic = small
    client = client_for(Role.BOARD_MEMBER)
    import_good(client_for(Role.ANALYST), consultation)
    search = url("responses", consultation, code=Q)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(search + "?q=bus&format=csv").content.decode("utf-8-sig"))
        )
    )
    expected = [s for s in synthetic if "bus" in s.row[Q].lower()]
    assert rows and len(rows) == len(expected)
    assert all("bus" in r["Answer"].lower() for r in rows)

    area = next(s.row for s in synthetic if s.row[Q].strip())
    respondent = consultation.respondents.get(response_id=area["response_id"])
    by_area = client.get(search + f"?area={respondent.area}&format=csv").content.decode("utf-8-sig")
    areas = {r["Area"] for r in csv.DictReader(io.StringIO(by_area))}
    assert areas == {respondent.area}
    name, value = next(iter(respondent.demographics.items()))
    page = client.get(search + f"?d_{name}={value}").content.decode()
    count = (
        TextAnswer.objects.filter(
            respondent__consultation=consultation,
            question_code=Q,
            **{f"respondent__demographics__{name}": value},
        )
        .exclude(text="")
        .count()
    )
    assert f"{count} answers match" in page

    one = client.get(url("respondent", consultation, response_id=respondent.response_id))
    text = one.content.decode()
    assert one.status_code == 200 and respondent.response_id in text
    for question in STROKE_SURVEY.questions:
        assert question.text in text
    answer = respondent.text_answers.get(question_code=Q)  # type: ignore[attr-defined]
    assert answer.text.split(".")[0] in text
    missing = client.get(url("respondent", consultation, response_id="NOPE"))
    assert missing.status_code == 404
