"""Browser tests: Debian's Chromium driven by Playwright against a live Django server.

Screenshots go to test-artifacts/screenshots/ so a person can look at every journey.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response

from stpkit.demo.partnership import load_partnership
from stpkit.settings import REPO_ROOT
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role

# Playwright's sync API runs an event loop in this thread; Django must allow ORM use here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a-long-test-password-1"


def chromium_path() -> str:
    found = os.environ.get("STPKIT_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is not installed: `make test` installs it (apt package chromium)")
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_user(transactional_db: None) -> Callable[[Role], User]:
    load_partnership()

    def make(role: Role) -> User:
        user, _ = User.objects.get_or_create(username=f"browser-{role.value}")
        user.role = role.value
        user.first_name, user.last_name = "Test", role.label
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def log_in(
    page: Page, live_server: Any, browser_user: Callable[[Role], User]
) -> Callable[[Role], None]:
    def go(role: Role) -> None:
        user = browser_user(role)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")

    return go


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page; return serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Every console error and uncaught exception the page raises, for a test to assert empty.

    Chromium reports a malformed SVG path (`<path> attribute d: Expected number, "M0,NaN"`)
    as a console error, so a map that cannot be projected fails here. A server error on any
    request, and a stylesheet, script, image or font that fails to load, count too (a page
    the test means to be refused, a 403 or 404 document, does not).
    """
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def failed(response: Response) -> None:
        asset = response.request.resource_type != "document"
        if response.status >= 500 or (asset and response.status >= 400):
            errors.append(f"{response.status} {response.url}")

    page.on("response", failed)
    return errors


def drawn_paths_with_nan(page: Page, selector: str) -> list[str]:
    """The `d` attributes under `selector` that hold NaN (a map that could not be projected)."""
    found: list[str] = page.eval_on_selector_all(
        f"{selector} path",
        "paths => paths.map(p => p.getAttribute('d') || '').filter(d => d.includes('NaN'))",
    )
    return [d[:60] for d in found]
