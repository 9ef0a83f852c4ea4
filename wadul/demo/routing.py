"""Routing for the Banyuwangi demo: which unit handles each unit type, a few operator rules,
and a first trained model. Upserted by label / phrase: loading twice changes nothing."""

from __future__ import annotations

from wadul.organisation.models import Unit
from wadul.routing.models import RoutingModel, RoutingRule, Territorial, UnitTypeMapping

# label → (unit code or "", route by place)
MAPPINGS: dict[str, tuple[str, str]] = {
    "roads": ("DPU-CK-BM", Territorial.NO),
    "street_lighting_drainage": ("DPU-CK-CK", Territorial.NO),
    "water_irrigation": ("DPU-PENGAIRAN", Territorial.NO),
    "health": ("DINKES-YANKES", Territorial.NO),
    "hospital": ("RSUD-BLAMBANGAN", Territorial.NO),
    "population_registry": ("DISPENDUKCAPIL", Territorial.NO),
    "education": ("DISPENDIK", Territorial.NO),
    "social_welfare": ("DINSOS", Territorial.NO),
    "transport": ("DISHUB-LLAJ", Territorial.NO),
    "environment_waste": ("DLH", Territorial.NO),
    "public_order": ("SATPOLPP", Territorial.NO),
    "fire_rescue": ("DAMKAR", Territorial.NO),
    "disaster": ("BPBD", Territorial.NO),
    "agriculture": ("DISPERTAPANG", Territorial.NO),
    "fisheries": ("DISPERIKANAN", Territorial.NO),
    "trade_cooperatives": ("DISKOPUMDAG", Territorial.NO),
    "manpower": ("DISNAKERTRANSPERIN", Territorial.NO),
    "licensing": ("DPMPTSP", Territorial.NO),
    "tax_revenue": ("BAPENDA", Territorial.NO),
    "tourism_culture": ("DISBUDPAR", Territorial.NO),
    "youth_sports": ("DISPORA", Territorial.NO),
    # The camat supervises the desa: village matters go to the kecamatan of the place,
    # to DPMD when the place is unknown.
    "village_affairs": ("DPMD", Territorial.KECAMATAN),
    "kecamatan_service": ("", Territorial.KECAMATAN),
    "communication_info": ("DISKOMINFO", Territorial.NO),
    "civil_service": ("BKPP", Territorial.NO),
    "integrity": ("INSPEKTORAT", Territorial.NO),
    "ext_electricity": ("PLN", Territorial.NO),
    "ext_land": ("BPN", Territorial.NO),
    "ext_police": ("POLRESTA", Territorial.NO),
    "ext_national_road": ("BBPJN", Territorial.NO),
    "ext_provincial_road": ("UPT-PJJ-JATIM", Territorial.NO),
    "ext_health_insurance": ("BPJS-KES", Territorial.NO),
    "ext_water_utility": ("PDAM", Territorial.NO),
    "ext_vehicle_tax": ("SAMSAT", Territorial.NO),
    # Emergencies and doubtful spam stay with the command centre's operators.
    "emergency": ("", Territorial.NO),
    "spam": ("", Territorial.NO),
}

# (phrases, label, unit code, priority, note)
RULES: list[tuple[str, str, str, int, str]] = [
    ("rsud genteng\nrs genteng", "hospital", "RSUD-GENTENG", 20, "RSUD Genteng has its own desk"),
    ("gumitir\njalur pantura", "ext_national_road", "BBPJN", 10, "national road sections"),
    ("pdam\nperumda air minum", "ext_water_utility", "PDAM", 10, "water utility"),
]


def load_routing(units: dict[str, Unit]) -> None:
    for label, (code, territorial) in MAPPINGS.items():
        unit = units.get(code) if code else None
        UnitTypeMapping.objects.update_or_create(
            label=label, defaults={"unit": unit, "territorial": territorial}
        )
    for phrases, label, code, priority, note in RULES:
        if not RoutingRule.objects.filter(phrases=phrases).exists():
            RoutingRule.objects.create(
                phrases=phrases, label=label, unit=units[code], priority=priority, note=note
            )
    if not RoutingModel.objects.filter(is_active=True).exists():
        from wadul.routing.training import train

        train()
