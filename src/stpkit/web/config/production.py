"""How `stpkit web serve` runs the app: gunicorn in production, Django's server otherwise.

Production is gunicorn (a pre-fork WSGI server) with threaded workers: WhiteNoise serves
the collected static files from the same process, so a reverse proxy only terminates TLS
and forwards `X-Forwarded-Proto`. Before it starts, the command checks the deployment
(`check --deploy`) and that `collectstatic` has been run, and says what to do if not,
rather than starting a server whose every page would fail.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path


class ServeError(RuntimeError):
    """The production server cannot start; the message says what to run or set."""


@dataclass(frozen=True)
class ServerPlan:
    host: str
    port: int
    workers: int
    threads: int
    timeout: int

    def gunicorn_args(self) -> list[str]:
        return [
            "stpkit.web.config.wsgi:application",
            "--config",
            "python:stpkit.web.config.gunicorn_hooks",
            "--bind",
            f"{self.host}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread",
            "--preload",
            "--timeout",
            str(self.timeout),
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("STPKIT_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]


def plan(host: str, port: int, workers: int | None = None) -> ServerPlan:
    """Workers default to 2 per core plus one (gunicorn's advice), at most 9."""
    cores = os.cpu_count() or 1
    default_workers = min(9, 2 * cores + 1)
    return ServerPlan(
        host=host,
        port=port,
        workers=workers or int(os.environ.get("STPKIT_WEB_WORKERS", default_workers)),
        threads=int(os.environ.get("STPKIT_WEB_THREADS", "4")),
        timeout=int(os.environ.get("STPKIT_WEB_TIMEOUT", "120")),
    )


def check_static_collected(static_root: Path) -> None:
    manifest = static_root / "staticfiles.json"
    if not manifest.is_file():
        raise ServeError(
            f"No collected static files in {static_root}: run "
            "`stpkit web manage collectstatic --noinput` first (or set STPKIT_STATIC_ROOT)."
        )


def exec_gunicorn(server: ServerPlan) -> None:
    """Replace this process with gunicorn, so signals from systemd or a supervisor reach it."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
        "gunicorn"
    )
    if gunicorn is None:
        raise ServeError("gunicorn is not installed in this environment: run `make install`.")
    os.execv(gunicorn, [gunicorn, *server.gunicorn_args()])
