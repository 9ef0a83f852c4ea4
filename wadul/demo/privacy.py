"""The demo's data protection officer: the unit that handles citizens' personal-data
requests (round the clock, no days off: 3 × 24 clock hours) and its head, the DPO."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Permission

from wadul.demo.organisation import DEMO_PASSWORD
from wadul.organisation.models import Official, Unit
from wadul.sla.models import Schedule, UnitSchedule

DPO_USERNAME = "pdp"


def load_privacy(units: dict[str, Unit]) -> Official:
    """Idempotent: a second run changes nothing. Adds the unit to `units` (it gets the
    common canned answers like every answering unit)."""
    pdp, _created = Unit.objects.get_or_create(
        code=settings.PRIVACY_DPO_UNIT,
        defaults={
            "name": "Pejabat Pelindungan Data Pribadi",
            "kind": Unit.Kind.BIDANG,
            "parent": units.get("DISKOMINFO"),
        },
    )
    units[pdp.code] = pdp
    always, _created = Schedule.objects.get_or_create(
        name="24 jam", defaults={"always_open": True, "observes_holidays": False}
    )
    UnitSchedule.objects.get_or_create(unit=pdp, defaults={"schedule": always})
    dpo = Official.objects.filter(username=DPO_USERNAME).first()
    if dpo is None:
        dpo = Official(
            username=DPO_USERNAME,
            first_name="Ratna",
            last_name="Pejabat PDP",
            unit=pdp,
            role=Official.Role.HEAD,
            position="Pejabat Pelindungan Data Pribadi",
        )
        dpo.set_password(DEMO_PASSWORD)
        dpo.save()
    dpo.user_permissions.add(Permission.objects.get(codename="act_as_dpo"))
    return dpo
