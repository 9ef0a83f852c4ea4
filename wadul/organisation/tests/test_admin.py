"""The admin for units, officials, WhatsApp numbers and regions speaks Indonesian."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wadul import testing
from wadul.organisation.models import Official


@pytest.fixture
def admin_user(regency):
    return testing.create_official(
        "root", unit=regency, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, admin_user, unit_a, central_desk):
    testing.create_region("35.10", "Banyuwangi")
    testing.create_number(central_desk, is_central=True)
    testing.login(client, admin_user)
    return client


def page_text(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_units(admin_client, unit_a):
    listing = page_text(admin_client, "admin:organisation_unit_changelist")
    assert "Pilih unit untuk diubah" in listing
    assert "Nama Kode singkat Jenis Unit induk Aktif" in listing
    assert "instansi luar" in listing  # the kind filter
    form = page_text(admin_client, "admin:organisation_unit_change", unit_a.pk)
    assert "Ubah unit" in form and "Teks rujukan:" in form and "Wilayah:" in form
    assert "ID nomor telepon Nomor tampilan Nomor pusat Koeksistensi" in form  # numbers inline


def test_officials(admin_client, admin_user):
    listing = page_text(admin_client, "admin:organisation_official_changelist")
    assert "Pilih petugas untuk diubah" in listing
    assert "Nama pengguna Nama Unit Peran Aktif" in listing
    assert "operator (pusat pengaduan)" in listing  # the role filter
    for name, args in [
        ("admin:organisation_official_change", (admin_user.pk,)),
        ("admin:organisation_official_add", ()),
    ]:
        form = page_text(admin_client, name, *args)
        assert "Peran:" in form and "Jabatan:" in form and "Nomor WhatsApp pribadi:" in form


def test_whatsapp_numbers(admin_client):
    listing = page_text(admin_client, "admin:organisation_whatsappnumber_changelist")
    assert "Pilih nomor WhatsApp untuk diubah" in listing
    assert "Nomor tampilan ID nomor telepon Unit Nomor pusat Koeksistensi" in listing
    form = page_text(admin_client, "admin:organisation_whatsappnumber_add")
    assert "Tambahkan nomor WhatsApp" in form
    assert "Pesan ke nomor ini diteruskan ke unit terkait." in form


def test_regions(admin_client):
    listing = page_text(admin_client, "admin:organisation_region_changelist")
    assert "Pilih wilayah untuk diubah" in listing
    assert "Kode Kemendagri Nama Jenis Tingkat Induk Kode pos" in listing
    assert "desa/kelurahan" in listing  # the level filter
    form = page_text(admin_client, "admin:organisation_region_change", "35.10")
    assert "Ubah wilayah" in form and "Lintang:" in form and "Bujur:" in form


@pytest.mark.parametrize(
    "name",
    [
        "admin:organisation_unit_changelist",
        "admin:organisation_official_changelist",
        "admin:organisation_whatsappnumber_changelist",
        "admin:organisation_region_changelist",
    ],
)
def test_officials_without_admin_rights_are_refused(client, official_a, name):
    testing.login(client, official_a)
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
