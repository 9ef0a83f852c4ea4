"""Who is on duty in the demo: the officials who answer from their own WhatsApp."""

from __future__ import annotations

from wadul.duty.models import OnDutyShift
from wadul.organisation.models import Official, Unit

# (unit code, username): on duty every day, all day.
ON_DUTY = [
    ("DPU-CK-BM", "pu.jalan"),
    ("DPU-CK-CK", "pu.pju"),
    ("DINKES-YANKES", "dinkes.staf"),
    ("KEC-GENTENG", "genteng.staf"),
    ("DISPENDUKCAPIL", "dukcapil.staf"),
    ("DISHUB", "dishub.staf"),
    ("DLH", "dlh.staf"),
]


def load_duty(units: dict[str, Unit]) -> None:
    officials = {
        o.username: o for o in Official.objects.filter(username__in=[u for _, u in ON_DUTY])
    }
    for code, username in ON_DUTY:
        OnDutyShift.objects.get_or_create(unit=units[code], official=officials[username])
