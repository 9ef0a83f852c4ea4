"""Shared personas, after healthchecks' alice/bob/charlie.

regency ─┬─ dpu (OPD A) ── dpu_roads (bidang)     official_a: staff of dpu; head_a: head of dpu
         ├─ dinkes (OPD B)                        official_b: dinkes staff, refused A's cases
         └─ central desk                           operator; supervisor sits in the regency
PLN is an external institution.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from wadul import testing
from wadul.organisation.models import Official, Unit


@pytest.fixture
def regency(db) -> Unit:
    return testing.create_unit("Pemkab Banyuwangi", kind=Unit.Kind.REGENCY, code="PEMKAB")


@pytest.fixture
def unit_a(regency) -> Unit:
    return testing.create_unit("Dinas PU", parent=regency, code="DPU")


@pytest.fixture
def subunit_a(unit_a) -> Unit:
    return testing.create_unit(
        "Bidang Bina Marga", kind=Unit.Kind.BIDANG, parent=unit_a, code="DPU-BM"
    )


@pytest.fixture
def unit_b(regency) -> Unit:
    return testing.create_unit("Dinas Kesehatan", parent=regency, code="DINKES")


@pytest.fixture
def central_desk(regency) -> Unit:
    return testing.create_unit(
        "Command Centre", kind=Unit.Kind.CENTRAL_DESK, parent=regency, code="PENGADUAN"
    )


@pytest.fixture
def pln(db) -> Unit:
    return testing.create_unit(
        "PLN UP3 Banyuwangi", kind=Unit.Kind.EXTERNAL, code="PLN", referral_text="Hubungi PLN 123."
    )


@pytest.fixture
def official_a(unit_a) -> Official:
    return testing.create_official("alice", unit=unit_a)


@pytest.fixture
def head_a(unit_a) -> Official:
    return testing.create_official("hadi", unit=unit_a, role=Official.Role.HEAD)


@pytest.fixture
def official_b(unit_b) -> Official:
    return testing.create_official("bob", unit=unit_b)


@pytest.fixture
def operator(central_desk) -> Official:
    return testing.create_official("olga", unit=central_desk, role=Official.Role.OPERATOR)


@pytest.fixture
def supervisor(regency) -> Official:
    return testing.create_official("sekda", unit=regency, role=Official.Role.SUPERVISOR)


@pytest.fixture
def citizen(db):
    return testing.create_contact("Siti Rahayu", wa_id="6281234567890")


@pytest.fixture
def case_a(unit_a, citizen):
    return testing.create_case(unit=unit_a, contact=citizen)


@pytest.fixture(autouse=True)
def _plain_static_files(settings, tmp_path):
    # The manifest storage needs `collectstatic`; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    # The language middleware activates the request's language on the thread and leaves it
    # there (harmless in a server, where every request sets its own); a test that chose
    # English must not make the next test's code outside a request speak English.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's million rounds dominate tests that create officials and log them in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
