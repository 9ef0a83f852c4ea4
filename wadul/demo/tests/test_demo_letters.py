"""The demo's village letters: every desa's catalogue and letter office, Desa Kemiren
staffed on WhatsApp; a second load changes nothing."""

from __future__ import annotations

import pytest

from wadul.demo.letters import load_letters
from wadul.demo.organisation import load_organisation
from wadul.desa.models import LetterOffice, Service
from wadul.organisation.models import Official, Unit, WhatsAppNumber


@pytest.mark.django_db
def test_every_desa_gets_the_standard_letters_once():
    units = load_organisation()
    assert load_letters(units) == 217
    services = list(Service.objects.order_by("pk").values())
    assert len(services) == 217 * 8
    assert {s["code"] for s in services} == {
        "domisili", "sktm", "skck", "sku", "kelahiran", "kematian", "nikah", "pindah"
    }  # fmt: skip
    kemiren = Unit.objects.get(region_id="35.10.15.2004")
    office = LetterOffice.objects.get(unit=kemiren)
    assert office.format_number(15, 2026) == "474/015/429.515.2004/2026"
    assert "DESA KEMIREN" in office.letterhead and "KECAMATAN GLAGAH" in office.letterhead
    assert Official.objects.get(username="kemiren.kades").role == "head"
    assert WhatsAppNumber.objects.get(unit=kemiren)
    lurah = Service.objects.filter(unit__name__startswith="Kelurahan").first()
    assert lurah.get_signer_display() == "Lurah"
    for service in Service.objects.filter(unit=kemiren):
        service.full_clean()  # every seeded template names only its own fields

    load_letters(load_organisation())
    assert list(Service.objects.order_by("pk").values()) == services
