from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from wadul.organisation.models import Region


@pytest.mark.django_db
def test_import_regions_for_banyuwangi(capsys):
    call_command("import_regions", "35.10")
    assert Region.objects.filter(level=3, parent_id="35.10").count() == 25
    assert Region.objects.filter(level=4, code__startswith="35.10.").count() == 217
    sarongan = Region.objects.get(code="35.10.01.2001")
    assert (sarongan.name, sarongan.parent.name, sarongan.postal_code) == (
        "Sarongan",
        "Pesanggaran",
        "68488",
    )
    assert "25 kecamatan, 217 desa/kelurahan (244 created" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_regions_twice_changes_nothing(capsys):
    call_command("import_regions", "3510")
    before = list(Region.objects.values_list("code", "name", "parent_id", "postal_code"))
    call_command("import_regions", "35.10")
    assert "(0 created, 0 updated)" in capsys.readouterr().out
    assert list(Region.objects.values_list("code", "name", "parent_id", "postal_code")) == before


@pytest.mark.django_db
def test_import_regions_rejects_a_non_regency_code():
    with pytest.raises(CommandError):
        call_command("import_regions", "35.10.01")
    with pytest.raises(CommandError):
        call_command("import_regions", "99.99")


@pytest.mark.django_db
def test_import_regions_takes_any_regency_or_city(capsys):
    call_command("import_regions", "34.71")
    assert Region.objects.get(code="34.71").name == "Kota Yogyakarta"
    assert Region.objects.filter(level=3, parent_id="34.71").count() == 14
    assert Region.objects.filter(level=4, code__startswith="34.71.").count() == 45
    assert Region.objects.get(code="34").level == 1
