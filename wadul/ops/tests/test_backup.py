"""`wadul backup` then `wadul restore` into a fresh database and fresh directories: the same
rows, cases, messages, files and stored webhooks come back (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from wadul import testing
from wadul.cases.models import Attachment
from wadul.whatsapp.models import WebhookDelivery

from .snapshot import snapshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[str]:
    """The DATABASE_URL of a database nobody has used yet."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    admin = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db["USER"],
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = testing.database_url().rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wadul(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wadul", *args], env=env, capture_output=True, text=True
    )


def restored_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "WADUL_VAR_DIR": str(tmp_path / "restored-var"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "LOG_LEVEL": "WARNING",
    }


def make_installation(unit) -> None:
    """Cases with messages, a photo and a stored webhook."""
    for text in ("Jalan berlubang di Kemiren", "Lampu PJU mati", "Sampah menumpuk di pasar"):
        case = testing.create_case(unit=unit, text=text)
    Attachment.objects.create(
        case=case,
        message=case.messages.first(),
        file=ContentFile(b"\xff\xd8 a photo " * 100, name="foto.jpg"),
        kind="image",
        content_type="image/jpeg",
        size=1000,
        sha256="-",
    )
    WebhookDelivery.objects.create(body='{"object": "whatsapp_business_account"}')


def test_a_backup_restores_into_a_fresh_database_and_directories(
    unit_a, media, tmp_path, fresh_database
):
    make_installation(unit_a)
    original = snapshot()
    archive = tmp_path / "backups" / "wadul.tar.gz"
    call_command("backup", "-o", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Nothing left beside it: no .partial archive, no scratch copy of the database.
    assert list(archive.parent.iterdir()) == [archive]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert any(name.startswith("media/attachments/") for name in names)

    env = restored_env(fresh_database, tmp_path)
    result = wadul(env, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    shown = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wadul.ops.tests.snapshot"], env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    restored = json.loads(shown.stdout)

    assert restored["counts"] == original["counts"]
    assert restored["counts"]["cases.Case"] == 3
    assert restored["cases"] == json.loads(json.dumps(original["cases"]))
    assert restored["messages"] == json.loads(json.dumps(original["messages"]))
    assert restored["files"] == original["files"] and len(original["files"]) == 1


def test_a_restore_refuses_a_database_in_use(unit_a, media, tmp_path):
    make_installation(unit_a)
    archive = tmp_path / "wadul.tar.gz"
    call_command("backup", "-o", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    env = restored_env(testing.database_url(), tmp_path)
    result = wadul(env, "restore", str(archive))
    assert result.returncode != 0
    assert "already has" in result.stderr and "--force" in result.stderr
