"""One archive that restores a whole installation: the database and uploaded media.

    wadul-backup-<time>.tar.gz
      manifest.json          format, vendor, time, what is inside
      database.sqlite3       SQLite's online backup (a consistent copy of a live database)
      database.pgdump        or pg_dump's custom format (PostgreSQL)
      media/…                MEDIA_ROOT

Media are copied after the database: a file referenced by the database was written before
its row, so it is in the media copy. (Every acknowledged webhook is a database row.)
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1
MEDIA = "media"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def create(target: Path) -> Path:
    """Write a backup archive to `target` (a file, or a directory to put one in)."""
    if target.is_dir():
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
        target = target / f"wadul-backup-{stamp}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    # The dump is as large as the database: it goes beside the archive, not into /tmp.
    with tempfile.TemporaryDirectory(prefix=".wadul-backup-", dir=target.parent) as scratch:
        database = Path(scratch) / _database_name(connection.vendor)
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            _dump_database(database)
            archive.add(database, database.name)
            _add_tree(archive, Path(settings.MEDIA_ROOT), MEDIA)
            manifest = {
                "format": FORMAT,
                "vendor": connection.vendor,
                "created_at": datetime.now(tz=UTC).isoformat(),
                "database": database.name,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    # Only a complete archive gets the name: a crash leaves a .partial, never a bad backup.
    os.replace(partial, target)
    return target


def restore(source: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore `source` into the configured database and MEDIA_ROOT.
    Without `force` the database must be empty and the directories absent or empty."""
    with tarfile.open(source, "r:*") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"this backup is of a {manifest['vendor']} database; the configured "
                f"DATABASE_URL is {connection.vendor}"
            )
        media = Path(settings.MEDIA_ROOT)
        if not force:
            _require_empty(media)
        with tempfile.TemporaryDirectory(prefix="wadul-restore-") as scratch:
            archive.extract(manifest["database"], scratch, filter="data")
            _load_database(Path(scratch) / manifest["database"], force=force)
        _extract_tree(archive, MEDIA, media, force=force)
    return manifest


# --- database --------------------------------------------------------------------------------


def _database_name(vendor: str) -> str:
    if vendor == "sqlite":
        return "database.sqlite3"
    if vendor == "postgresql":
        return "database.pgdump"
    raise BackupError(f"backups of {vendor} databases are not supported")


def _dump_database(path: Path) -> None:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The online backup API copies a consistent snapshot while others keep writing.
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        return
    _run(["pg_dump", "--format=custom", "--file", str(path), *_pg_args(db)], db)


def _load_database(path: Path, *, force: bool) -> None:
    db = connection.settings_dict
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            f"the database {db['NAME']} already has {len(tables)} tables; restore into an "
            "empty database, or pass --force to replace its contents"
        )
    connections.close_all()
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as source, sqlite3.connect(db["NAME"]) as target:
            source.backup(target)
        return
    clean = ["--clean", "--if-exists"] if tables else []
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            *clean,
            *_pg_args(db),
            str(path),
        ],
        db,
    )


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _run(argv: list[str], db: dict[str, Any]) -> None:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # not on the command line, where ps shows it
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{argv[0]} is not installed (apt-get install postgresql-client)"
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-2000:]}")


# --- files -----------------------------------------------------------------------------------


def _add_tree(archive: tarfile.TarFile, folder: Path, prefix: str) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            try:
                archive.add(path, f"{prefix}/{path.relative_to(folder).as_posix()}")
            except FileNotFoundError:
                continue  # removed meanwhile (an attachment deleted by retention)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(data)
        buffer.seek(0)
        archive.addfile(info, buffer)


def _require_empty(*folders: Path) -> None:
    for folder in folders:
        if folder.is_dir() and any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty; restore into an empty directory, or --force")


def _extract_tree(archive: tarfile.TarFile, prefix: str, folder: Path, *, force: bool) -> None:
    members = [m for m in archive.getmembers() if m.name.startswith(prefix + "/")]
    if force and folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for member in members:
        member.name = member.name[len(prefix) + 1 :]
        # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
        archive.extract(member, folder, filter="data")
