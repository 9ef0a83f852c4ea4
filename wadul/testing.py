"""Factories for tests: small, explicit objects instead of a prepopulated database."""

from __future__ import annotations

import functools
import io
import itertools
import os
import struct
import zlib

from wadul.cases import services
from wadul.cases.models import Case, CaseType, Channel, Contact, ContactIdentity, Via, Visibility
from wadul.organisation.models import Official, Region, Unit, WhatsAppNumber

PASSWORD = "correct-horse-battery"  # noqa: S105 (test accounts)
_serial = itertools.count(1)


def create_unit(
    name: str,
    *,
    kind: str = Unit.Kind.DINAS,
    parent: Unit | None = None,
    code: str | None = None,
    **fields,
) -> Unit:
    code = code or f"U{next(_serial)}"
    return Unit.objects.create(code=code, name=name, kind=kind, parent=parent, **fields)


def create_official(
    username: str, *, unit: Unit | None, role: str = Official.Role.STAFF, **fields
) -> Official:
    official = Official(
        username=username, unit=unit, role=role, first_name=username.title(), **fields
    )
    official.set_password(PASSWORD)
    official.save()
    return official


def create_contact(name: str = "Siti Rahayu", *, wa_id: str | None = None) -> Contact:
    contact = Contact.objects.create(display_name=name)
    ContactIdentity.objects.create(
        contact=contact,
        kind=ContactIdentity.Kind.WA_ID,
        value=wa_id or f"62812{next(_serial):08d}",
    )
    return contact


def create_case(
    *,
    unit: Unit | None,
    contact: Contact | None = None,
    text: str = "Jalan depan SD Kemiren berlubang parah",
    visibility: str = Visibility.PUBLIC,
    channel: str = Channel.WEB,
    type: str = CaseType.COMPLAINT,
    **fields,
) -> Case:
    return services.open_case(
        channel=channel,
        text=text,
        via=Via.WEB if channel == Channel.WEB else Via.WHATSAPP,
        contact=contact if contact is not None else create_contact(),
        unit=unit,
        visibility=visibility,
        type=type,
        **fields,
    )


def create_region(code: str, name: str, *, parent: Region | None = None) -> Region:
    level = len(code.split("."))
    kind = {1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa"}[level]
    return Region.objects.create(code=code, name=name, level=level, kind=kind, parent=parent)


def create_number(unit: Unit, phone_number_id: str = "100100100", **fields) -> WhatsAppNumber:
    fields.setdefault("display_number", "+62 811-0000-000")
    return WhatsAppNumber.objects.create(phone_number_id=phone_number_id, unit=unit, **fields)


def login(client, official: Official) -> None:
    """Log `official` in on a Django test client. Roles that must pass a second factor
    (admins, supervisors) get a confirmed authenticator and a verified session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert client.login(username=official.username, password=PASSWORD)
    if official.role in {Official.Role.ADMIN, Official.Role.SUPERVISOR}:
        device, _created = TOTPDevice.objects.get_or_create(
            user=official, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


# Debian's Chromium (never a downloaded one), with the switches that keep it quiet and
# working as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright):
    """A Chromium browser for Playwright's sync API (`CHROMIUM` overrides the path)."""
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def database_url() -> str:
    """DATABASE_URL of the database the tests run on, for processes the test starts."""
    from django.db import connection  # the test database is set up after this module loads

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@functools.cache
def bomb_bytes(width: int = 10_000, height: int = 10_000) -> bytes:
    """A PNG of a few kB that decodes to width × height grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def jpeg_with_gps_bytes() -> bytes:
    """A JPEG whose EXIF names its author and the place it was taken."""
    from PIL import Image

    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Siti Rahayu"  # Artist
    exif[0x8825] = {1: "S", 2: (8.0, 12.0, 30.0), 3: "E", 4: (114.0, 20.0, 5.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def uploaded_jpeg(name: str = "foto.jpg"):
    """A small JPEG upload, as a form or a service receives one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg_with_gps_bytes(), content_type="image/jpeg")
