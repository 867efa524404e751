"""Many users at once against the production server on PostgreSQL, all on this machine.

What a partnership's IT team would try before go-live: the demo loaded into a PostgreSQL
database, `stpkit web serve` in production mode (gunicorn, collected static files), then
USERS simulated people (threads) who each log in and read PAGES in turn for SECONDS.
Prints the requests made, the errors (any status other than 200, or a failed connection),
and the median and 95th percentile time of a request, overall and per page (so that one
slow page cannot hide in the pool). The load generator runs on the same two cores as the
server, so the figures are a floor on what a separate client machine would see.

Environment: STPKIT_LOAD_DATABASE (default postgres://postgres@127.0.0.1:5432/stpkit_load,
dropped and created afresh), STPKIT_LOAD_USERS (50), STPKIT_LOAD_SECONDS (60).
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure

ROOT = Path(__file__).resolve().parent.parent
STPKIT = str(ROOT / ".venv" / "bin" / "stpkit")
DATABASE = os.environ.get("STPKIT_LOAD_DATABASE", "postgres://postgres@127.0.0.1:5432/stpkit_load")
USERS = int(os.environ.get("STPKIT_LOAD_USERS", "50"))
SECONDS = float(os.environ.get("STPKIT_LOAD_SECONDS", "60"))
PAGES = {
    "home": "/",
    "programme": "/programme/",
    "risks": "/programme/risks/",
    "milestones": "/programme/milestones/",
    "decisions": "/decisions/",
    "productivity": "/productivity/",
}
LOGIN = ("office", "stpkit-demo-office")


def _fresh_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """One simulated person: their own connection and cookies (Secure cookies, plain HTTP)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "https://127.0.0.1/accounts/login/"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, ""
        for header in resp.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return resp.status, text

    def log_in(self) -> bool:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            return False
        form = f"csrfmiddlewaretoken={token.group(1)}&username={LOGIN[0]}&password={LOGIN[1]}"
        status, _ = self.request("POST", "/accounts/login/", form)
        return status == 302


def _user(port: int, stop: float, times: dict[str, list[float]], errors: list[str]) -> None:
    client = Client(port)
    if not client.log_in():
        errors.append("login")
        return
    names = list(PAGES)
    i = 0
    while time.monotonic() < stop:
        name = names[i % len(names)]
        i += 1
        start = time.perf_counter()
        status, _ = client.request("GET", PAGES[name])
        elapsed = (time.perf_counter() - start) * 1000
        times[name].append(elapsed)
        if status != 200:
            errors.append(f"{name}:{status}")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="stpkit-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("STPKIT_", "DJANGO_"))},
        "STPKIT_ENV": "production",
        "STPKIT_SECRET_KEY": "load-benchmark-" + "k" * 50,
        "STPKIT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STPKIT_SSL_REDIRECT": "0",
        "STPKIT_DATA_DIR": str(work / "data"),
        "STPKIT_STATIC_ROOT": str(work / "static"),
        "STPKIT_ANCHOR_KEY_FILE": str(work / "keys" / "anchor.key"),
        "STPKIT_PSEUDONYM_KEY_FILE": str(work / "keys" / "pseudonym.key"),
        "DATABASE_URL": DATABASE,
    }
    _fresh_database(DATABASE)
    for args in (
        ["web", "manage", "collectstatic", "--noinput"],
        ["demo", "--no-serve"],
    ):
        done = subprocess.run([STPKIT, *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    port = _free_port()
    server = subprocess.Popen(
        [STPKIT, "web", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if Client(port).request("GET", "/accounts/login/")[0] == 200:
                break
            time.sleep(0.5)
        else:
            sys.exit("the production server did not answer within 240 s")
        times: dict[str, list[float]] = {name: [] for name in PAGES}
        errors: list[str] = []
        stop = time.monotonic() + SECONDS
        users = [
            threading.Thread(target=_user, args=(port, stop, times, errors)) for _ in range(USERS)
        ]
        for user in users:
            user.start()
        for user in users:
            user.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    every = sorted(t for page in times.values() for t in page)
    print(f"# {USERS} users, {SECONDS:.0f} s, production server on {urlparse(DATABASE).path}")
    figure("web.load_requests", len(every), "count")
    figure("web.load_errors", len(errors), "count")
    if every:
        figure("web.load_median", statistics.median(every), "ms")
        figure("web.load_p95", every[int(0.95 * (len(every) - 1))], "ms")
    for name, page in times.items():
        if page:
            page.sort()
            figure(f"web.load_median.{name}", statistics.median(page), "ms")
            figure(f"web.load_p95.{name}", page[int(0.95 * (len(page) - 1))], "ms")
    if errors:
        print("# errors: " + ", ".join(sorted(set(errors))))


if __name__ == "__main__":
    main()
