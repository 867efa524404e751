"""While `stpkit demo` serves and its other areas load, each area's pages answer and say
that the area is still loading (or that it did not load), instead of erroring or looking
silently empty."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from jinja2 import ChainableUndefined as Undefined

from stpkit.demo import AREAS, FIRST_AREAS
from stpkit.demo import programme as programme_demo
from stpkit.web.accounts.roles import Role
from stpkit.web.core import demo_loading

REST = tuple(a for a in AREAS if a not in FIRST_AREAS)
# each background area's first page, and a role that may see it
AREA_PAGES = {
    "board": ("/programme/board/", Role.PROGRAMME_OFFICE),
    "data": ("/data/", Role.ANALYST),
    "decisions": ("/decisions/", Role.PROGRAMME_OFFICE),
    "consultation": ("/consultation/", Role.PROGRAMME_OFFICE),
    "productivity": ("/productivity/", Role.PROGRAMME_OFFICE),
    "enablers": ("/programme/enablers/", Role.PROGRAMME_OFFICE),
    "system": ("/programme/system/", Role.PROGRAMME_OFFICE),
}


@pytest.fixture(autouse=True)
def nothing_pending() -> Iterator[None]:
    demo_loading.start(())
    yield
    demo_loading.start(())


def test_every_background_area_has_a_label_and_a_page() -> None:
    assert set(REST) == set(demo_loading.AREA_LABELS) == set(AREA_PAGES)


def test_pending_areas_are_named_on_their_pages_until_each_is_done() -> None:
    assert demo_loading.loading("/decisions/") is None
    demo_loading.start(("decisions", "consultation"))
    here = demo_loading.loading("/decisions/options/3/")
    assert here is not None and here.here == "Decisions" and not here.failed
    assert here.areas == ("Decisions", "Consultation")
    elsewhere = demo_loading.loading("/programme/")
    assert elsewhere is not None and elsewhere.here is None
    # an error page is rendered without a request: the general line, no failure
    assert demo_loading.loading(Undefined()) == elsewhere
    demo_loading.done("decisions")
    assert demo_loading.loading("/decisions/") == demo_loading.Loading(None, ("Consultation",))
    demo_loading.done("consultation")
    assert demo_loading.loading("/consultation/") is None


def test_when_loading_stops_the_rest_are_named_as_not_loaded() -> None:
    demo_loading.start(("decisions", "consultation", "system"))
    demo_loading.done("decisions")
    demo_loading.fail("consultation")
    assert demo_loading.pending() == ()
    stopped = demo_loading.loading("/programme/system/")
    assert stopped == demo_loading.Loading("System view", ("Consultation", "System view"), True)


@pytest.mark.usefixtures("demo_partnership")
def test_with_only_the_first_areas_in_every_other_area_answers_and_says_it_is_loading(
    client_for: Callable[[Role], Client],
) -> None:
    programme_demo.load()
    demo_loading.start(REST)
    for area, (page, role) in AREA_PAGES.items():
        response = client_for(role).get(page)
        assert response.status_code == 200, (area, response.status_code)
        html = response.content.decode()
        assert f"{demo_loading.AREA_LABELS[area]} is still loading" in html, area
    home = client_for(Role.PROGRAMME_OFFICE).get("/").content.decode()
    assert "Still loading: Programme board, Data, Decisions" in home
    assert "is still loading" not in home
    demo_loading.fail("board")
    html = client_for(Role.PROGRAMME_OFFICE).get("/programme/board/").content.decode()
    assert "Programme board did not load" in html
    demo_loading.start(())
    html = client_for(Role.PROGRAMME_OFFICE).get("/programme/board/").content.decode()
    assert "still loading" not in html and "did not load" not in html


def test_the_server_error_page_renders_while_areas_load(rf: Any) -> None:
    from stpkit.web.config.errors import server_error

    demo_loading.start(REST)
    response = server_error(rf.get("/decisions/"))
    assert response.status_code == 500
    assert "Still loading: Programme board" in response.content.decode()
