"""Shared by the clock's benchmarks: a throw-away PostgreSQL database, the machine, a
small regency (units, officials) to hang generated cases on."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


@contextmanager
def bench_database(name: str, *, keep: bool = False):
    """Create database `name` on the server of $DATABASE_URL, point Django at it, migrate;
    drop it at the end (unless keep)."""
    import psycopg

    server = urlparse(os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    if not server.scheme.startswith("postgres"):
        raise SystemExit("The clock's benchmarks need PostgreSQL: set DATABASE_URL=postgres://…")
    admin_url = urlunparse(server._replace(path="/postgres"))
    bench_url = urlunparse(server._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        yield bench_url
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def machine() -> str:
    from django.db import connection

    model = "?"
    try:
        for line in subprocess.run(  # noqa: S603
            ["lscpu"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            memory = f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory} RAM, {platform.system()} "
        f"{platform.release()}, PostgreSQL {version} (shared_buffers {buffers}, "
        f"work_mem {work_mem}), Python {platform.python_version()}"
    )


def regency(opds: int = 30, bidang_per_opd: int = 2):
    """A regency with OPDs, bidang, a command centre, heads, staff and supervisors."""
    from wadul import testing
    from wadul.organisation.models import Official, Unit

    root = testing.create_unit("Pemkab Bench", kind=Unit.Kind.REGENCY, code="PEMKAB")
    testing.create_unit("Command Centre", kind=Unit.Kind.CENTRAL_DESK, parent=root, code="CC")
    units = []
    for n in range(opds):
        opd = testing.create_unit(f"Dinas {n}", parent=root, code=f"OPD{n}")
        units.append(opd)
        _people(opd, head=True, staff=2, tag=f"o{n}")
        for b in range(bidang_per_opd):
            bidang = testing.create_unit(
                f"Bidang {n}.{b}", kind=Unit.Kind.BIDANG, parent=opd, code=f"OPD{n}-B{b}"
            )
            units.append(bidang)
            _people(bidang, head=False, staff=1, tag=f"o{n}b{b}")
    for n in range(3):
        testing.create_official(
            f"supervisor{n}",
            unit=root,
            role=Official.Role.SUPERVISOR,
            whatsapp_number=f"62811000009{n:02d}",
        )
    return root, units


def _people(unit, *, head: bool, staff: int, tag: str) -> None:
    from wadul import testing
    from wadul.organisation.models import Official

    if head:
        testing.create_official(
            f"head-{tag}", unit=unit, role=Official.Role.HEAD, whatsapp_number="6281100000001"
        )
    for n in range(staff):
        testing.create_official(f"staff-{tag}-{n}", unit=unit, whatsapp_number="6281100000002")


def fast_passwords() -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
