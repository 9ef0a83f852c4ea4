"""`wadul breach_notice` lists exactly the people whose cases an account opened in the
window, drafts their notices and the letter, and opens the DPO case with its clock."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management import call_command

from wadul import testing
from wadul.cases.models import Case
from wadul.privacy import services
from wadul.privacy.models import AccessLog, BreachIncident

WIB = ZoneInfo("Asia/Jakarta")
NINE = datetime(2026, 12, 5, 9, 0, tzinfo=WIB)


def _opened(official, case, at) -> None:
    services.log_access(official, case, AccessLog.Surface.CASE_PAGE)
    AccessLog.objects.filter(pk=AccessLog.objects.latest("pk").pk).update(at=at)


def test_breach_notice_lists_the_people_whose_cases_an_official_opened_in_the_window(
    unit_a, official_a, head_a, regency
):
    testing.create_unit("Pejabat PDP", parent=regency, code="PDP")
    ani, budi, citra, dedi = (
        testing.create_contact(name) for name in ("Ani", "Budi", "Citra", "Dedi")
    )
    a1, a2 = (testing.create_case(unit=unit_a, contact=ani) for _ in range(2))
    b, c, d = (testing.create_case(unit=unit_a, contact=x) for x in (budi, citra, dedi))
    _opened(official_a, a1, NINE + timedelta(minutes=5))
    _opened(official_a, a2, NINE + timedelta(minutes=10))
    _opened(official_a, b, NINE + timedelta(hours=1))
    _opened(official_a, c, NINE - timedelta(minutes=1))  # before the window
    _opened(head_a, d, NINE + timedelta(minutes=30))  # another account

    out = io.StringIO()
    call_command(
        "breach_notice",
        "--since=2026-12-05T09:00",
        "--until=2026-12-05T11:00",
        "--what=Akun petugas dipakai orang lain",
        "--official=alice",
        stdout=out,
    )

    incident = BreachIncident.objects.get()
    assert {p["contact"] for p in incident.affected} == {ani.pk, budi.pk}
    by_contact = {p["contact"]: p for p in incident.affected}
    assert sorted(by_contact[ani.pk]["cases"]) == sorted([a1.tracking_number, a2.tracking_number])
    assert "data saya" in by_contact[budi.pk]["notice"]
    assert "People affected: 2" in out.getvalue()
    assert incident.letter.read().startswith(b"%PDF")
    dpo_case = Case.objects.get(pk=incident.case_id)
    assert dpo_case.unit.code == "PDP" and dpo_case.type == "personal_data"
    assert dpo_case.resolution_due_at is not None
