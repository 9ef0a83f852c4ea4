"""Files under var/ are the service user's alone: directories 0700, files 0600."""

from __future__ import annotations

import stat

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from wadul.core.tests.test_settings import start


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_var_directory_and_the_sqlite_file_are_private(tmp_path):
    var = tmp_path / "var"
    result = start(
        {
            "DEBUG": "1",
            "WADUL_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'wadul.sqlite3'}",
        },
        "from django.db import connection; connection.cursor().execute('CREATE TABLE t (x)')",
    )
    assert result.returncode == 0, result.stderr
    assert _mode(var) == 0o700
    assert _mode(var / "wadul.sqlite3") == 0o600
    for leftover in var.glob("wadul.sqlite3-*"):
        assert _mode(leftover) & 0o077 == 0, leftover


def test_uploads_are_private(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("attachments/2026/12/a.jpg", ContentFile(b"x"))
    path = tmp_path / "media" / name
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
