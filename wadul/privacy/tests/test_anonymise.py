"""Erasure: a person anonymised across every case while cases and statistics stay; refused
with reasons while a case is open or held."""

from __future__ import annotations

from django.core.files.base import ContentFile

from wadul import testing
from wadul.cases import services as cases
from wadul.cases.models import Attachment, Case, CaseEvent, Via
from wadul.privacy import services
from wadul.sla.models import StatsSnapshot

NIK = "3510012345678901"


def _statistics(client) -> list[tuple]:
    StatsSnapshot.objects.all().delete()  # computed afresh, not the stored figures
    rows = client.get("/statistik/").context["rows"]
    return sorted(
        (r["unit_code"], r["received"], r["answered"], r["resolved"], r["rating_count"])
        for r in rows
    )


def _closed_case(unit, contact, official, text: str) -> Case:
    case = testing.create_case(unit=unit, contact=contact, text=text)
    cases.answer(case, text="Baik Bu Siti, segera kami tangani", actor=official, via=Via.INBOX)
    cases.resolve(case, actor=official, via=Via.INBOX)
    cases.close(case, actor=official, via=Via.INBOX)
    return case


def test_a_deletion_anonymises_a_citizen_across_three_cases_and_statistics_stay(
    client, unit_a, official_a, citizen, dpo
):
    texts = [
        f"Saya Siti Rahayu NIK {NIK}, jalan di depan rumah rusak",
        "Lampu jalan mati, hubungi saya di 0812-3456-7890",
        "Selokan mampet, Siti Rahayu RT 02",
    ]
    three = [_closed_case(unit_a, citizen, official_a, text) for text in texts]
    photo = Attachment(case=three[0], kind="image", content_type="image/jpeg", size=3)
    photo.sha256 = "0" * 64
    photo.file.save("ktp.jpg", ContentFile(b"jpg"), save=True)
    before = _statistics(client)
    events_before = CaseEvent.objects.exclude(kind=services.ANONYMISED).count()

    testing.login(client, dpo)
    response = client.post(
        f"/inbox/privasi/warga/{citizen.pk}/", {"action": "anonymise", "reason": "permintaan"}
    )
    assert response.status_code == 302

    citizen.refresh_from_db()
    assert citizen.display_name == "" and not citizen.identities.exists()
    for case in Case.objects.filter(pk__in=[c.pk for c in three]):
        body = case.description + " ".join(case.messages.values_list("text", flat=True))
        assert "Siti" not in body and "Rahayu" not in body
        assert NIK not in body and "3456" not in body
    assert not Attachment.objects.exists()
    assert CaseEvent.objects.filter(kind=services.ANONYMISED).count() == 3
    assert CaseEvent.objects.exclude(kind=services.ANONYMISED).count() == events_before
    client.logout()
    assert _statistics(client) == before


def test_erasure_is_refused_with_reasons_for_an_open_case_or_a_legal_hold(
    unit_a, official_a, citizen, dpo
):
    open_case = testing.create_case(unit=unit_a, contact=citizen)
    closed = _closed_case(unit_a, citizen, official_a, "Jalan rusak")
    services.place_legal_hold(closed, reason="Pemeriksaan Inspektorat", actor=dpo)
    try:
        services.anonymise_contact(citizen, actor=dpo, via=Via.INBOX)
    except services.ErasureRefused as refused:
        reasons = refused.reasons
    else:
        raise AssertionError("erasure went ahead")
    assert len(reasons) == 2
    assert open_case.tracking_number in reasons[0]
    assert closed.tracking_number in reasons[1] and "Pemeriksaan Inspektorat" in reasons[1]
    citizen.refresh_from_db()
    assert citizen.display_name == "Siti Rahayu"
