from __future__ import annotations

import os
import subprocess
import sys

import pytest


def start(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, "DJANGO_SETTINGS_MODULE": "wadul.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("env", [{}, {"SECRET_KEY": "short"}, {"DEBUG": "0", "SECRET_KEY": ""}])
def test_it_refuses_to_start_without_a_real_secret_key(env):
    result = start(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_starts_with_a_real_secret_key():
    assert start({"SECRET_KEY": "k" * 50}).returncode == 0


def test_it_refuses_a_malformed_boolean():
    result = start({"SECRET_KEY": "k" * 50, "DEBUG": "maybe"})
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_defaults(settings):
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
