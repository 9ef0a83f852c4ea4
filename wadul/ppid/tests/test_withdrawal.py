"""A request withdrawn before its written notice — by the requester on WhatsApp ("tarik
<nomor>") or on the private page, or recorded by staff — closes, and the year's report
counts it as withdrawn, not undecided."""

from __future__ import annotations

from django.utils import timezone

from wadul import testing
from wadul.cases.models import Case, Status
from wadul.ppid import reports, services
from wadul.ppid.models import PpidRequest

from .test_intake import ask
from .test_portal import FORM

Stage = PpidRequest.Stage


def says(pigeon, citizen, text: str, **kwargs) -> str:
    pigeon.receive(citizen, text, **kwargs)
    return pigeon.last().text


def stage(request: PpidRequest) -> str:
    request.refresh_from_db()
    return request.stage


def test_the_requester_withdraws_on_whatsapp_and_the_report_counts_it(
    pigeon, citizen, kominfo, ppid_utama
):
    now = timezone.now()
    case = ask(pigeon, citizen, at=now)
    request = case.ppid
    assert "tarik 00001/PPID" in says(pigeon, citizen, "tarik", at=now)
    assert "tidak ditemukan" in says(pigeon, citizen, "tarik 99999/PPID/2020", at=now)
    assert stage(request) == Stage.RECEIVED
    reply = says(pigeon, citizen, f"Tarik {request.registration_number}", at=now)
    assert "telah dicabut" in reply
    assert stage(request) == Stage.WITHDRAWN
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
    assert case.events.filter(kind="ppid_withdrawn").exists()
    figures = reports.figures(request.year)
    assert (figures["requests"], figures["withdrawn"], figures["undecided"]) == (1, 1, 0)


def test_a_decided_request_cannot_be_withdrawn(pigeon, citizen, kominfo, ppid_utama):
    request = ask(pigeon, citizen).ppid
    services.decide(
        request, decision="not_held", holding_body="BPS Banyuwangi", actor=ppid_utama, via="inbox"
    )
    reply = says(pigeon, citizen, f"tarik {request.registration_number}")
    assert "tidak dapat dicabut" in reply and stage(request) == Stage.DECIDED


def test_the_requester_withdraws_from_the_private_page(client, kominfo):
    response = client.post("/informasi/permohonan/", FORM)
    request = PpidRequest.objects.get()
    assert "Cabut permohonan" in client.get(response["Location"]).content.decode()
    page = client.post(f"/k/{request.case.access_token}/cabut/", follow=True).content.decode()
    assert "telah dicabut" in page and "Cabut permohonan" not in page
    assert stage(request) == Stage.WITHDRAWN


def test_staff_record_a_withdrawal_and_the_requester_is_told(
    client, pigeon, citizen, ppid_utama, kominfo
):
    request = ask(pigeon, citizen).ppid
    testing.login(client, ppid_utama)
    assert "Catat pencabutan" in client.get(f"/inbox/ppid/{request.pk}/").content.decode()
    client.post(
        f"/inbox/ppid/{request.pk}/aksi/", {"action": "withdraw", "reason": "Surat pemohon"}
    )
    assert stage(request) == Stage.WITHDRAWN
    assert "telah dicabut" in pigeon.last().text
    event = request.case.events.get(kind="ppid_withdrawn")
    assert event.actor == ppid_utama and event.data["reason"] == "Surat pemohon"
