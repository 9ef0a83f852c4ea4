"""A dispute (sengketa) at the Komisi Informasi is recorded on the request after an
objection, then its outcome; the year's report counts disputes and their outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wadul import testing
from wadul.ppid import reports, services
from wadul.ppid.models import PpidRequest

from .test_intake import ask

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def objected(pigeon, citizen, kominfo, setda, ppid_utama):
    request = services.decide(
        ask(pigeon, citizen).ppid,
        decision="refused",
        exemption_basis="17h",
        consequence_test="Data pribadi penerima hibah: rahasia pribadi, merugikan penerima.",
        actor=ppid_utama,
        via="inbox",
    )
    return services.lodge_objection(request, grounds=["a"], text="Bukan rahasia", via="whatsapp")


def test_the_atasan_records_the_dispute_and_its_outcome_from_the_request_page(
    client, objected, atasan
):
    services.decide_objection(
        objected, outcome="dismissed", text="Data pribadi.", actor=atasan, via="inbox"
    )
    testing.login(client, atasan)
    url = f"/inbox/ppid/{objected.pk}/"
    assert "Catat sengketa" in client.get(url).content.decode()
    refused = client.post(url + "aksi/", {"action": "dispute", "number": ""}, follow=True)
    assert "Tuliskan nomor register sengketa" in refused.content.decode()
    assert PpidRequest.objects.get(pk=objected.pk).dispute_at is None
    client.post(url + "aksi/", {"action": "dispute", "number": "012/REG-PSI/I/2027"})
    page = client.get(url).content.decode()
    assert "012/REG-PSI/I/2027" in page and "Putusan Komisi Informasi" in page
    client.post(url + "aksi/", {"action": "dispute_outcome", "outcome": "mediated"})
    request = PpidRequest.objects.get(pk=objected.pk)
    assert request.dispute_outcome == "mediated" and request.dispute_outcome_at is not None
    assert [e.kind for e in request.case.events.filter(kind__startswith="ppid_disput")] == [
        "ppid_disputed",
        "ppid_dispute_decided",
    ]
    figures = reports.figures(request.year)
    assert figures["disputes"] == 1 and figures["dispute_outcomes"] == {"mediated": 1}
    assert ("Sengketa ke Komisi Informasi", 1) in [
        (label, figures[key]) for key, label in reports.LABELS
    ]


def test_a_dispute_without_the_atasans_answer_and_only_once(objected, atasan):
    # The atasan has not answered: the requester may go to the Komisi Informasi anyway.
    request = services.record_dispute(objected, number="013/2027", actor=atasan, via="inbox")
    with pytest.raises(services.PpidError):
        services.record_dispute(request, number="014/2027", actor=atasan, via="inbox")
    with pytest.raises(services.PpidError):
        services.record_dispute_outcome(request, outcome="nonsense", actor=atasan, via="inbox")


def test_no_dispute_before_an_objection(pigeon, citizen, kominfo, ppid_utama):
    request = ask(pigeon, citizen).ppid
    with pytest.raises(services.PpidError):
        services.record_dispute(request, number="1/2027", actor=ppid_utama, via="inbox")


def test_the_dispute_file_has_its_own_section_with_the_register_number_and_outcome(
    client, objected, atasan
):
    testing.login(client, atasan)
    url = f"/inbox/ppid/{objected.pk}/berkas-sengketa.pdf"
    assert b"Sengketa di Komisi Informasi" not in client.get(url).content
    at = datetime(2027, 1, 11, 10, 0, tzinfo=WIB)
    request = services.record_dispute(
        objected,
        number="012/REG-PSI/I/2027",
        note="Sidang pertama 20 Januari",
        actor=atasan,
        via="inbox",
        at=at,
    )
    body = client.get(url).content
    for text in (
        "Sengketa di Komisi Informasi",
        "Didaftarkan: 11-01-2027 10:00 WIB",
        "Nomor register: 012/REG-PSI/I/2027",
        "Putusan: belum ada putusan",
        "Catatan: Sidang pertama 20 Januari",
    ):
        assert text.encode() in body, text
    services.record_dispute_outcome(
        request, outcome="partly_granted", actor=atasan, via="inbox", at=at + timedelta(days=30)
    )
    body = client.get(url).content
    assert b"Putusan: permohonan pemohon dikabulkan sebagian, 10-02-2027 10:00 WIB" in body
