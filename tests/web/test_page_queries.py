"""The six pages the load benchmark reads make a bounded number of queries, whatever the
amount of data: an N+1 (a query per workstream, risk, programme or working group) fails
here before it shows as a slow page under load. Counted, not timed.

Each page is counted with an empty figures cache (the work a first reader does; the
header's per-person task count kept warm, as it is for 30 s at a time) on the
demo data, then again after more workstreams, milestones, risks, working groups and
programmes are added: the count must not grow. A second reader, with the cache warm,
makes fewer queries still, and a write anywhere makes the next reader see the change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stpkit.web.accounts.roles import Role
from stpkit.web.core.datacache import data_version, writes_table

PAGES = {
    "home": "/",
    "programme": "/programme/",
    "risks": "/programme/risks/",
    "milestones": "/programme/milestones/",
    "decisions": "/decisions/",
    "productivity": "/productivity/",
}
# Upper bounds with a cold cache: session, user, then the page's own reads.
MOST_QUERIES = {
    "home": 10,
    "programme": 16,
    "risks": 12,
    "milestones": 8,
    "decisions": 12,
    "productivity": 14,
}


@pytest.fixture
def demo_pages(demo_partnership: None) -> None:
    from stpkit.demo import decisions, productivity, programme

    programme.load()
    productivity.load()
    decisions.load_east_kent()


def _count(client: Client, path: str, *, cold: bool) -> int:
    if cold:
        cache.clear()
        _warm_header(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries.captured_queries)


def _warm_header(client: Client) -> None:
    """Keep the header's task count (its own per-person cache, renewed every 30 s and
    bounded by the tasks tests) out of each page's own count."""
    from stpkit.web.accounts.models import User
    from stpkit.web.tasks.header import remember

    user = User.objects.get(pk=client.session["_auth_user_id"])
    remember(user, tasks=0, unread=0)


def _more_of_everything() -> None:
    """Five more of each thing the pages list, each with its own related rows."""
    from stpkit.web.decisions.models import Programme
    from stpkit.web.productivity import models as pm
    from stpkit.web.programme.models import Milestone, Risk, Workstream

    for i in range(5):
        ws = Workstream.objects.create(name=f"Extra {i}", slug=f"extra-{i}", kind="enabling")
        Milestone.objects.create(
            workstream=ws,
            title=f"Extra milestone {i}",
            baseline_date=date(2018, 1, 1),
            forecast_date=date(2018, 6, 1),
        )
        Risk.objects.create(workstream=ws, title=f"Extra risk {i}", likelihood=5, consequence=5)
        group = pm.WorkingGroup.objects.create(slug=f"extra-{i}", name=f"Extra group {i}")
        pm.Target.objects.create(working_group=group, plan_year="2020/21", amount=1000)
        Programme.objects.create(name=f"Extra programme {i}", slug=f"extra-programme-{i}")


def test_query_counts_are_bounded_and_do_not_grow_with_the_data(
    demo_pages: None, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    client.get("/")  # the session's first renewal is not a page's work
    before = {page: _count(client, path, cold=True) for page, path in PAGES.items()}
    _more_of_everything()
    after = {page: _count(client, path, cold=True) for page, path in PAGES.items()}
    over = {p: n for p, n in before.items() if n > MOST_QUERIES[p]}
    assert not over, f"more queries than the bound: {over}"
    grew = {p: (before[p], after[p]) for p in PAGES if after[p] != before[p]}
    assert not grew, f"queries grew with five more of each (before, after): {grew}"


def test_a_second_reader_reuses_the_computed_figures(
    demo_pages: None, client_for: Callable[[Role], Client]
) -> None:
    client = client_for(Role.PROGRAMME_OFFICE)
    client.get("/")
    for page in ("home", "programme", "decisions", "productivity"):
        cold = _count(client, PAGES[page], cold=True)
        warm = _count(client, PAGES[page], cold=False)
        assert warm <= 3 < cold, f"{page}: {cold} queries cold, {warm} warm"


def test_any_write_shows_on_the_next_dashboard(
    demo_pages: None, client_for: Callable[[Role], Client]
) -> None:
    from stpkit.web.programme.models import Workstream

    client = client_for(Role.PROGRAMME_OFFICE)
    assert "Cancer waits" not in client.get("/programme/").content.decode()
    Workstream.objects.create(name="Cancer waits", slug="cancer-waits", kind="transformation")
    assert "Cancer waits" in client.get("/programme/").content.decode()
    # A queryset update (no save signal) is seen too.
    Workstream.objects.filter(slug="cancer-waits").update(name="Cancer waiting times")
    assert "Cancer waiting times" in client.get("/programme/").content.decode()
    version = data_version()
    client.get("/programme/risks/")  # reading (and the session) leave the version alone
    assert data_version() == version


def test_writes_are_told_from_reads() -> None:
    assert writes_table('INSERT INTO "programme_risk" ("title") VALUES (%s)') == "programme_risk"
    assert writes_table('UPDATE "django_session" SET "x" = 1') == "django_session"
    assert writes_table('DELETE FROM "core_site" WHERE id = 1') == "core_site"
    assert writes_table('TRUNCATE "a", "b"') == "a"
    assert writes_table('SELECT "x" FROM "programme_risk"') is None
    assert writes_table("  update programme_milestone set title = 'x'") == "programme_milestone"
