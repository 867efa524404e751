"""Many users at once against the production server on PostgreSQL, all on this machine.

What a partnership's IT team would try before go-live: the demo loaded into a PostgreSQL
database, `stpkit web serve` in production mode (gunicorn, collected static files), then
USERS simulated people (threads) who each log in and read PAGES in turn for SECONDS.
People arrive over the first RAMP seconds (a spawn rate, as load tools such as Locust
use) and pause between pages for a think time drawn from THINK seconds (default 1 to 5 s,
a person reading a page); THINK=0 makes every user a tight loop, a stress test of
throughput rather than of 50 people, and is printed as such.
Prints the requests made, the errors (any status other than 200, or a failed connection),
and the median and 95th percentile time of a request, overall and per page (so that one
slow page cannot hide in the pool). The load generator runs on the same two cores as the
server, so the figures are a floor on what a separate client machine would see.

Logging in is part of the run: every user logs in on arrival (Django's default password
hasher, PBKDF2 with 1,000,000 iterations, about 0.4 s of CPU each), so the first seconds
carry 50 logins beside the first page reads. The login form and the login itself count
as requests in the overall figures and are printed on their own too; the page p95 is also
printed for the requests made after the last login
(`web.load_p95_after_logins`), so a reader can see how much of the tail the logins cause.

Environment: STPKIT_LOAD_DATABASE (default postgres://postgres@127.0.0.1:5432/stpkit_load,
dropped and created afresh), STPKIT_LOAD_USERS (50), STPKIT_LOAD_SECONDS (60),
STPKIT_LOAD_REUSE=DIR (keep the work directory there; a later run with the same DIR and
STPKIT_LOAD_DATABASE reuses the loaded database and skips the demo load when tuning),
STPKIT_LOAD_RAMP (seconds over which users arrive, default 10),
STPKIT_LOAD_THINK ("1-5": seconds between a user's pages, uniform; "0": no pause),
STPKIT_LOAD_TIMELINE=1 (print the p95 of each second of the run), STPKIT_WEB_* (passed to
the server: workers, threads).
"""

from __future__ import annotations

import http.client
import os
import random
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
RAMP = float(os.environ.get("STPKIT_LOAD_RAMP", "10"))


def _think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


THINK = _think_range(os.environ.get("STPKIT_LOAD_THINK", "1-5"))
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
        # A kept-alive connection the server closed while the person read a page fails on
        # its next use; like a browser, open a new one and send the request again, once.
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    return 0, ""
        for header in resp.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return resp.status, text

    def log_in(self, start: float, results: Results) -> bool:
        """The login form, then the login itself: both requests are timed as pages too."""
        at, began = time.monotonic() - start, time.perf_counter()
        status, page = self.request("GET", "/accounts/login/")
        results.add("login form", at, began, status, 200)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            return False
        form = f"csrfmiddlewaretoken={token.group(1)}&username={LOGIN[0]}&password={LOGIN[1]}"
        at, began = time.monotonic() - start, time.perf_counter()
        status, _ = self.request("POST", "/accounts/login/", form)
        results.add("login", at, began, status, 302)
        return status == 302


class Results:
    """Every request's page, start (seconds into the run) and time (ms), and the logins."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, float, float]] = []
        self.logins: list[tuple[float, float]] = []  # (finished at, ms)
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def add(self, name: str, at: float, began: float, status: int, expected: int) -> None:
        """One request made `at` seconds into the run, begun at perf_counter `began`."""
        elapsed = (time.perf_counter() - began) * 1000
        with self.lock:
            self.pages.append((name, at, elapsed))
            if status != expected:
                self.errors.append(f"{name}:{status}")


def _user(number: int, port: int, start: float, stop: float, results: Results) -> None:
    pace = random.Random(number)
    arrive = start + RAMP * number / max(USERS, 1)
    time.sleep(max(0.0, arrive - time.monotonic()))
    client = Client(port)
    began = time.perf_counter()
    if not client.log_in(start, results):
        return
    with results.lock:
        results.logins.append((time.monotonic() - start, (time.perf_counter() - began) * 1000))
    names = list(PAGES)
    i = 0
    while time.monotonic() < stop:
        name = names[i % len(names)]
        i += 1
        at, began = time.monotonic() - start, time.perf_counter()
        status, _ = client.request("GET", PAGES[name])
        results.add(name, at, began, status, 200)
        if THINK[1] > 0:
            time.sleep(pace.uniform(*THINK))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def _report(results: Results) -> None:
    every = [ms for _, _, ms in results.pages]
    think = "no pause (stress)" if THINK[1] == 0 else f"{THINK[0]:g}-{THINK[1]:g} s between pages"
    print(
        f"# {USERS} users arriving over {RAMP:g} s, {think}, {SECONDS:.0f} s, "
        f"production server on {urlparse(DATABASE).path}; load average {os.getloadavg()[0]:.1f}"
    )
    figure("web.load_requests", len(every), "count")
    figure("web.load_errors", len(results.errors), "count")
    if every:
        figure("web.load_median", statistics.median(every), "ms")
        figure("web.load_p95", _p95(every), "ms")
    for name in ("login form", "login", *PAGES):
        page = [ms for n, _, ms in results.pages if n == name]
        if page:
            figure(f"web.load_median.{name.replace(' ', '_')}", statistics.median(page), "ms")
            figure(f"web.load_p95.{name.replace(' ', '_')}", _p95(page), "ms")
    if results.logins:
        login_ms = [ms for _, ms in results.logins]
        figure("web.load_login_median", statistics.median(login_ms), "ms")
        figure("web.load_login_p95", _p95(login_ms), "ms")
        last_login = max(at for at, _ in results.logins)
        figure("web.load_last_login_at", last_login, "s")
        after = [ms for _, at, ms in results.pages if at > last_login]
        if after:
            figure("web.load_p95_after_logins", _p95(after), "ms")
    if results.errors:
        print("# errors: " + ", ".join(sorted(set(results.errors))))


def _prepare(env: dict[str, str]) -> None:
    """A fresh database with the demo loaded and the static files collected."""
    _fresh_database(DATABASE)
    for args in (
        ["web", "manage", "collectstatic", "--noinput"],
        ["demo", "--no-serve"],
    ):
        done = subprocess.run([STPKIT, *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def main() -> None:
    reuse = os.environ.get("STPKIT_LOAD_REUSE")
    work = Path(reuse) if reuse else Path(tempfile.mkdtemp(prefix="stpkit-load-"))
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
        **{k: v for k, v in os.environ.items() if k.startswith("STPKIT_WEB_")},
    }
    if not (work / "static").exists():  # a reuse folder a previous run left is loaded already
        work.mkdir(parents=True, exist_ok=True)
        _prepare(env)
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
        results = Results()
        start = time.monotonic()
        stop = start + SECONDS
        users = [
            threading.Thread(target=_user, args=(n, port, start, stop, results))
            for n in range(USERS)
        ]
        for user in users:
            user.start()
        for user in users:
            user.join()
    finally:
        server.terminate()  # gunicorn finishes the requests in flight, then exits
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    _report(results)
    if os.environ.get("STPKIT_LOAD_TIMELINE"):
        for second in range(int(SECONDS) + 1):
            window = [ms for _, at, ms in results.pages if second <= at < second + 1]
            if window:
                print(f"# t={second:3d}s n={len(window):4d} p95={_p95(window):7.0f} ms")


if __name__ == "__main__":
    main()
