"""Smart Kampung letters in the demo: the standard catalogue (domisili, SKTM, pengantar
SKCK, SKU, kelahiran, kematian, pengantar nikah, pindah) with a letterhead and number format
for every desa and kelurahan, and Desa Kemiren (Kec. Glagah) staffed with an operator and
its kepala desa on WhatsApp. Idempotent."""

from __future__ import annotations

from wadul.demo.organisation import DemoOfficial, _upsert_official
from wadul.desa import catalogue
from wadul.organisation.models import Unit, WhatsAppNumber

# The demo's model desa: its own WhatsApp number, an operator and the kepala desa.
MODEL_DESA = "35.10.15.2004"  # Kemiren, Kec. Glagah
MODEL_DESA_NUMBER = ("110000000000020", "+62 811-3500-620")
MODEL_DESA_PEOPLE = [
    DemoOfficial(
        "kemiren.operator",
        "Dewi",
        "Lestari",
        "",
        "staff",
        "Operator Desa Kemiren",
        "6281100000621",
    ),
    DemoOfficial(
        "kemiren.kades",
        "Slamet",
        "Riyadi",
        "",
        "head",
        "Kepala Desa Kemiren",
        "6281100000622",
    ),
]


def load_letters(units: dict[str, Unit]) -> int:
    """The catalogue for every desa; returns how many desa have one."""
    count = 0
    for unit in units.values():
        if unit.kind != Unit.Kind.DESA or unit.region_id is None:
            continue
        # Kemendagri 35.10.15.2004 → 429.515.2004 (429: Banyuwangi's regional code).
        _, _, kecamatan, desa = unit.region_id.split(".")
        catalogue.install(unit, number_code=f"429.5{kecamatan}.{desa}")
        count += 1
    model = next((u for u in units.values() if u.region_id == MODEL_DESA), None)
    if model is not None:
        for person in MODEL_DESA_PEOPLE:
            _upsert_official(person, model)
        phone_number_id, display = MODEL_DESA_NUMBER
        WhatsAppNumber.objects.update_or_create(
            phone_number_id=phone_number_id,
            defaults={"display_number": display, "unit": model, "label": model.name},
        )
    return count
