from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest


def start(
    env: dict[str, str], code: str = "", unset: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with `env` (and none of the test run's own database,
    key, debug or host settings, nor the variables in `unset`), then run `code`."""
    own = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", *unset}
    base = {k: v for k, v in os.environ.items() if k not in own}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        env={**base, "DJANGO_SETTINGS_MODULE": "wadul.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"SECRET_KEY": "short"},
        {"DEBUG": "0", "SECRET_KEY": ""},
        # the development key DEBUG falls back to is not a real one
        {"SECRET_KEY": "insecure-development-key-do-not-use-in-production"},
    ],
)
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


def test_the_default_database_is_sqlite_in_wal_mode_under_the_var_directory(tmp_path):
    show = (
        "from django.conf import settings; from django.db import connection\n"
        "print(settings.DATABASES['default']['NAME'])\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = start({"SECRET_KEY": "k" * 50, "WADUL_VAR_DIR": str(tmp_path)}, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path / "wadul.sqlite3"), "wal"]
    # Without WADUL_VAR_DIR the file is var/wadul.sqlite3 in the project (not opened here).
    name = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = start({"SECRET_KEY": "k" * 50}, name, unset=("WADUL_VAR_DIR",))
    project = Path(__file__).resolve().parents[3]
    assert result.stdout.strip() == str(project / "var" / "wadul.sqlite3"), result.stderr


def test_database_url_and_allowed_hosts_come_from_the_environment():
    show = (
        "from django.conf import settings; db = settings.DATABASES['default']\n"
        "print(db['ENGINE'], db['NAME'], db['HOST'], db['PORT'], *settings.ALLOWED_HOSTS)"
    )
    env = {
        "SECRET_KEY": "k" * 50,
        "DATABASE_URL": "postgres://wadul@db.example:5433/wadul_prod",
        "ALLOWED_HOSTS": "wadul.banyuwangikab.go.id, 10.0.0.5",
    }
    result = start(env, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "wadul_prod",
        "db.example",
        "5433",
        "wadul.banyuwangikab.go.id",
        "10.0.0.5",
    ]


def test_debug_on_starts_without_a_secret_key():
    result = start({"DEBUG": "1"}, "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_wadul_console_script_is_manage_py():
    (script,) = entry_points(group="console_scripts", name="wadul")
    assert script.value == "wadul.cli:main"
    wadul = Path(sys.executable).parent / "wadul"
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603
        [str(wadul), "help", "import_regions"],
        env={**base, "SECRET_KEY": "k" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: wadul import_regions" in result.stdout
