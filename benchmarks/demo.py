"""`stpkit demo` on a fresh data directory: seconds until the first page is answered
(`demo.build`, the login page returning 200), and until every area has loaded.

Runs the installed entry point as `make demo` does, on a free port, in a temporary data
directory; stops the server it started when every area is loaded (or after 15 minutes).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _figures import figure

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def main() -> None:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="stpkit-demo-bench-") as data:
        env = {
            **os.environ,
            "STPKIT_DATA_DIR": data,
            "DATABASE_URL": f"sqlite:///{data}/app.db",
        }
        log = Path(data) / "demo.log"
        start = time.perf_counter()
        with log.open("w") as out:
            server = subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "stpkit"), "demo", "--port", str(port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                first_page = None
                while time.perf_counter() - start < 900 and server.poll() is None:
                    if first_page is None and _answers(f"http://127.0.0.1:{port}/accounts/login/"):
                        first_page = time.perf_counter() - start
                        figure("demo.build", first_page, "s")
                    if "every area is ready" in log.read_text():
                        figure("demo.all_areas", time.perf_counter() - start, "s")
                        break
                    time.sleep(0.5)
            finally:
                server.terminate()
                server.wait(timeout=30)
        print(log.read_text(), file=sys.stderr)


if __name__ == "__main__":
    main()
