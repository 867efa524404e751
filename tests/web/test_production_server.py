"""The production server serves: gunicorn, collected static files, login, branded errors.

Started as an IT team would (`STPKIT_ENV=production`, a secret key, allowed hosts,
`migrate`, `collectstatic`, `stpkit web serve`) behind a simulated TLS proxy (the
`X-Forwarded-Proto: https` header), with its own data directory and SQLite database.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

STPKIT = str(Path(sys.executable).with_name("stpkit"))
PASSWORD = "a-long-production-test-password-7"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, str]]]:
    root = tmp_path_factory.mktemp("production")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("STPKIT_", "DJANGO_"))},
        "STPKIT_ENV": "production",
        "STPKIT_SECRET_KEY": "x" * 60,
        "STPKIT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STPKIT_SSL_REDIRECT": "0",
        "STPKIT_DATA_DIR": str(root / "data"),
        "STPKIT_STATIC_ROOT": str(root / "static"),
        "DATABASE_URL": f"sqlite:///{root / 'app.sqlite3'}",
        "STPKIT_WEB_WORKERS": "2",
    }
    (root / "data").mkdir()

    def run(*args: str) -> None:
        done = subprocess.run([STPKIT, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"

    run("web", "manage", "migrate", "--noinput")
    run("web", "manage", "collectstatic", "--noinput")
    run(
        "web",
        "manage",
        "shell",
        "-c",
        "from stpkit.web.accounts.models import User; "
        f"u = User.objects.create_user('po', password='{PASSWORD}', role='programme_office')",
    )
    port = _free_port()
    proc = subprocess.Popen(
        [STPKIT, "web", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 240  # generous: a loaded CI machine imports slowly
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            conn.close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the production server did not answer within 240 s")
    yield port, env
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    assert "Traceback" not in out, out


class Browser:
    """Just enough of a browser: keeps cookies itself (they are Secure, the test is plain HTTP)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        h = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        for header in resp.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        status, hdrs = resp.status, {k.lower(): v for k, v in resp.getheaders()}
        conn.close()
        return status, hdrs, text


def test_gunicorn_serves_login_static_files_and_pages(server: tuple[int, dict[str, str]]) -> None:
    port, _ = server
    browser = Browser(port)
    status, headers, page = browser.request("GET", "/accounts/login/")
    assert status == 200, page[:2000]
    assert "gunicorn" in headers.get("server", "").lower()
    css = re.search(r'href="(/static/nhsuk/nhsuk-frontend\.offline\.min\.[0-9a-f]{12}\.css)"', page)
    assert css, "the stylesheet is not served under its hashed (cacheable) name"
    status, headers, _ = browser.request("GET", css.group(1))
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert "max-age" in headers.get("cache-control", "")

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    form = f"csrfmiddlewaretoken={token.group(1)}&username=po&password={PASSWORD}"
    status, headers, _ = browser.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "https://127.0.0.1/accounts/login/",
        },
    )
    assert status == 302, "login through the production server failed"
    status, _, home = browser.request("GET", "/")
    assert status == 200
    assert "Kent and Medway" in home


def test_errors_are_branded_and_reveal_nothing(server: tuple[int, dict[str, str]]) -> None:
    port, _ = server
    browser = Browser(port)
    status, _, page = browser.request("GET", "/accounts/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    browser.request(
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token.group(1)}&username=po&password={PASSWORD}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "https://127.0.0.1/accounts/login/",
        },
    )
    status, _, page = browser.request("GET", "/no-such-page/")
    assert status == 404
    assert "Page not found" in page and "nhsuk-header" in page
    assert "URLconf" not in page and "Traceback" not in page


def test_each_gunicorn_worker_opens_the_reference_data_before_its_first_request() -> None:
    from stpkit.reference import data as reference_data
    from stpkit.web.config.gunicorn_hooks import post_fork
    from stpkit.web.config.production import plan

    args = plan("127.0.0.1", 8000).gunicorn_args()
    assert args[args.index("--config") + 1] == "python:stpkit.web.config.gunicorn_hooks"
    post_fork(None, None)
    assert reference_data._shared is not None
