"""One settings object for engines, CLI and web, read from environment variables.

Every setting has a safe default so that a new user can run `make demo` with nothing
configured; production deployments override them through the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _default_data_dir() -> Path:
    """Data lives beside the checkout (gitignored) so a demo is self-contained."""
    return REPO_ROOT / "var"


@dataclass(frozen=True)
class Settings:
    """What every part of stpkit needs to know about its environment."""

    data_dir: Path
    database_url: str
    environment: str
    secret_key: str | None
    pseudonym_key_file: Path
    anchor_key_file: Path
    audit_witness_file: Path | None
    engine: str
    reference_dir: Path
    # What a web process's store connection may use (DuckDB's memory limit and threads).
    store_memory_limit: str = "1GB"
    store_threads: int = 2

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def reference_cache(self) -> Path:
        """Where the reference DuckDB file is built (shared by every data directory)."""
        return self.reference_dir


def _optional_path(variable: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    return Path(value) if value else None


def load_settings() -> Settings:
    """Read settings from the environment (called afresh so tests can change it)."""
    data_dir = Path(os.environ.get("STPKIT_DATA_DIR", str(_default_data_dir()))).resolve()
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{data_dir / 'stpkit.sqlite3'}")
    key_default = Path.home() / ".config" / "stpkit" / "pseudonym.key"
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        environment=os.environ.get("STPKIT_ENV", "development"),
        secret_key=os.environ.get("STPKIT_SECRET_KEY"),
        pseudonym_key_file=Path(os.environ.get("STPKIT_PSEUDONYM_KEY_FILE", str(key_default))),
        anchor_key_file=Path(
            os.environ.get("STPKIT_ANCHOR_KEY_FILE", str(key_default.with_name("anchor.key")))
        ),
        audit_witness_file=(
            Path(os.environ["STPKIT_AUDIT_WITNESS"])
            if os.environ.get("STPKIT_AUDIT_WITNESS")
            else None
        ),
        engine=os.environ.get("STPKIT_ENGINE", "duckdb"),
        reference_dir=Path(
            os.environ.get("STPKIT_REFERENCE_DIR") or str(_default_data_dir() / "reference")
        ).resolve(),
        store_memory_limit=os.environ.get("STPKIT_STORE_MEMORY_LIMIT", "1GB"),
        store_threads=_int("STPKIT_STORE_THREADS", 2),
    )


def _int(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"environment variable {variable}={value!r}: not a whole number") from None
