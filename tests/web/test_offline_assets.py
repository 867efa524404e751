"""Every asset a page asks for is served by the app itself: no fonts, scripts or styles from
another host (the NHS.UK stylesheet used to fetch Frutiger from assets.nhs.uk)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from stpkit.web.accounts.roles import Role
from stpkit.web.core.offline_css import OFFLINE_CSS, offline_css, references_external_host

RESOURCE = re.compile(r"<(?:link|script|img|source|iframe)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"")
PAGES = ["/", "/programme/", "/decisions/", "/data/", "/productivity/"]


def _fetch(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


@pytest.mark.usefixtures("demo_partnership")
def test_no_page_or_stylesheet_asks_another_host_for_anything(
    client_for: Callable[[Role], Client],
) -> None:
    client = client_for(Role.ADMINISTRATOR)
    stylesheets: set[str] = set()
    for page in PAGES:
        html = _fetch(client, page)
        for url in RESOURCE.findall(html):
            assert url.startswith("/") and not url.startswith("//"), (page, url)
            if url.endswith(".css"):
                stylesheets.add(url)
        assert "fonts.googleapis" not in html and "assets.nhs.uk" not in html, page
    assert any(OFFLINE_CSS in url for url in stylesheets)
    for url in stylesheets:
        css = _fetch(client, url)
        assert not references_external_host(css), url
        for ref in re.findall(r"url\(([^)]+)\)", css):
            ref = ref.strip("'\"")
            if ref.startswith("data:"):
                continue
            target = url.rsplit("/", 1)[0] + "/" + ref  # relative to the stylesheet
            assert client.get(target).status_code == 200, target


def test_the_rewrite_drops_external_font_faces_and_keeps_local_ones() -> None:
    source = (
        "@font-face{font-family:Frutiger W01;src:url(https://assets.nhs.uk/f.woff2)}"
        '@font-face{font-family:Local;src:url("fonts/l.woff2")}'
        "a{background:url(/assets/images/i.svg)}"
    )
    out = offline_css(source)
    assert "assets.nhs.uk" not in out and "Frutiger" not in out
    assert 'url("fonts/l.woff2")' in out and "url(assets/images/i.svg)" in out
    assert not references_external_host(out)
    assert references_external_host(source)


def test_the_installed_nhsuk_stylesheet_needed_the_rewrite() -> None:
    source = Path(settings.NODE_MODULES) / "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css"
    assert references_external_host(source.read_text(encoding="utf-8"))
