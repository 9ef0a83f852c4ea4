"""Portal fixtures: a small regency map and published cases."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via
from wadul.testing import bomb_bytes, jpeg_with_gps_bytes


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A tiny valid PNG, made here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x0b\x6e\x4f" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def png_file(name: str = "foto.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def bomb_file(width: int = 10_000, height: int = 10_000):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bom.png", bomb_bytes(width, height), content_type="image/png")


def jpeg_with_gps(name: str = "foto.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg_with_gps_bytes(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas get passwords; the production hasher costs most of a test's time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached map counts live in the cache; each test starts empty.

    cache.clear()


@pytest.fixture
def regions(db):
    regency = testing.create_region("35.10", "Banyuwangi")
    glagah = testing.create_region("35.10.12", "Glagah", parent=regency)
    genteng = testing.create_region("35.10.08", "Genteng", parent=regency)
    kemiren = testing.create_region("35.10.12.2006", "Kemiren", parent=glagah)
    for region, (lat, lng) in {
        regency: (-8.36, 114.2),
        glagah: (-8.21, 114.33),
        genteng: (-8.37, 114.15),
        kemiren: (-8.2, 114.32),
    }.items():
        region.latitude, region.longitude = lat, lng
        region.save()
    return {"glagah": glagah, "genteng": genteng, "kemiren": kemiren}


@pytest.fixture
def published_case(unit_a, citizen, official_a, regions):
    case = testing.create_case(
        unit=unit_a,
        contact=citizen,
        text="Jalan depan SD Kemiren berlubang. Hubungi saya Siti Rahayu di 0812-3456-7890.",
        region=regions["kemiren"],
        latitude=-8.201234,
        longitude=114.321987,
    )
    services.answer(
        case,
        text="Bu Siti, tim kami sudah survei; penambalan minggu ini. Info: 0333 421234",
        actor=official_a,
        via=Via.INBOX,
    )
    services.add_note(case, text="Catatan internal: rumah bu Siti", actor=official_a, via=Via.INBOX)
    return case


@pytest.fixture
def photo(published_case):
    return services.add_attachment(
        published_case, file=png_file(), content_type="image/png", actor=None, via=Via.WEB
    )


__all__ = ["io", "png_bytes", "png_file"]
