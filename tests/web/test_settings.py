"""Production settings are safe: `check --deploy` is clean and secrets are required."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stpkit.web.config.settings", **env}
    full_env.pop("DATABASE_URL", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        STPKIT_ENV="production",
        STPKIT_SECRET_KEY="x" * 20 + "a-real-looking-secret-key-with-entropy-9f8e7d6c5b4a",
        STPKIT_ALLOWED_HOSTS="stpkit.example.nhs.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check", STPKIT_ENV="production", STPKIT_ALLOWED_HOSTS="x.nhs.uk")
    assert result.returncode != 0
    assert "STPKIT_SECRET_KEY" in result.stderr


def test_sessions_expire_when_idle_and_passwords_need_twelve_characters() -> None:
    from django.conf import settings
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    assert "stpkit.web.config.sessions.RenewIdleSession" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    with pytest.raises(ValidationError):
        validate_password("short-pw-1")
    validate_password("a-long-enough-passphrase")
