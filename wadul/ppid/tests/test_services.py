"""A request's legal steps through the services: forwarded, completion (clock paused),
extension once, the written notice of each kind, delivery, objection and the atasan's
decision — each with its numbered letter and its event — and deadlines across the
end-of-year cuti bersama."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from wadul.cases.models import Case, Status, Via
from wadul.ppid import letters, services
from wadul.ppid.models import Letter, LetterTemplate, PpidRequest

from .test_intake import ask

WIB = ZoneInfo("Asia/Jakarta")
# Monday before the end-of-year collective leave (24 Dec cuti bersama, 25 Dec Christmas).
DEC_14 = datetime(2026, 12, 14, 9, 0, tzinfo=WIB)
T1, T2, T3 = (DEC_14 + timedelta(hours=h) for h in (1, 2, 3))
Stage, Decision = PpidRequest.Stage, PpidRequest.Decision


def day(moment) -> str:
    return moment.astimezone(WIB).date().isoformat()


def codes(request) -> list[str]:
    return list(request.letters.values_list("code", flat=True))


def event_kinds(case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


@pytest.fixture
def request_(pigeon, citizen, kominfo, pelaksana, setda):
    case = ask(pigeon, citizen, at=DEC_14)
    return PpidRequest.objects.get(case=case)


def test_deadlines_skip_the_collective_leave_and_the_extension_adds_seven_days(
    request_, ppid_utama, official_a, pelaksana
):
    # 10 working days from Mon 14 Dec: 24 (cuti bersama) and 25 Dec are not counted.
    assert day(request_.notice_due_at) == "2026-12-30"
    assert day(Case.objects.get(pk=request_.case_id).resolution_due_at) == "2026-12-30"
    services.forward(request_, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX, at=T1)
    request_ = services.extend(
        request_, reason="Dokumen di arsip", actor=official_a, via="inbox", at=T2
    )
    # +7 whole working days, across New Year's Day and Isra Mikraj (5 Jan 2027).
    assert day(request_.notice_due_at) == "2027-01-12"
    assert request_.notice_due_at == Case.objects.get(pk=request_.case_id).resolution_due_at
    with pytest.raises(services.PpidError):
        services.extend(request_, reason="lagi", actor=official_a, via="inbox")
    assert codes(request_) == ["receipt", "extension"]


def test_forward_extend_partly_grant_with_a_redacted_file_and_deliver(
    pigeon, request_, ppid_utama, official_a, official_b, pelaksana
):
    with pytest.raises(PermissionDenied):
        services.forward(request_, to_unit=pelaksana, actor=official_b, via=Via.INBOX)
    request_ = services.forward(request_, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX, at=T1)
    assert request_.stage == Stage.FORWARDED and request_.case.unit == pelaksana
    services.extend(
        request_, reason="Data pribadi dihitamkan", actor=official_a, via="inbox", at=T2
    )
    with pytest.raises(services.PpidError):  # a partial grant says what is blacked out
        services.decide(
            request_,
            decision=Decision.PARTLY,
            exemption_basis="17h",
            consequence_test="Nama dan NIK penerima bantuan: rahasia pribadi, merugikan mereka.",
            actor=official_a,
            via="inbox",
        )
    redacted = ContentFile(b"%PDF-1.4 redacted", name="dpa-2026-disamarkan.pdf")
    request_ = services.decide(
        request_,
        decision=Decision.PARTLY,
        exemption_basis="17h",
        consequence_test="Lampiran DPA: nama dan NIK penerima hibah; Pasal 17 huruf h; "
        "membuka rahasia pribadi penerima.",
        redactions="Nama dan NIK penerima hibah (halaman 12-14).",
        cost="Salinan elektronik, tanpa biaya",
        file=redacted,
        actor=official_a,
        via="inbox",
        at=T3,
    )
    assert request_.stage == Stage.DECIDED and request_.on_time is True
    case = Case.objects.get(pk=request_.case_id)
    assert case.status == Status.RESOLVED
    files = [s.notice.attachment for s in pigeon.sent if s.notice.attachment is not None]
    assert files[-1].original_name == "dpa-2026-disamarkan.pdf"
    assert codes(request_) == ["receipt", "extension", "notice"]
    numbers = list(request_.letters.values_list("number", flat=True))
    assert numbers == ["0001/PPID/2026", "0002/PPID/2026", "0003/PPID/2026"]
    services.deliver(request_, actor=official_a, via="inbox", at=T3 + timedelta(hours=1))
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert {"ppid_forwarded", "ppid_decided", "ppid_delivered", "deadline_extended"} <= set(
        event_kinds(case)
    )


def test_a_refusal_needs_pasal_17_and_a_consequence_test_then_objection_and_atasan(
    pigeon, request_, ppid_utama, official_a, pelaksana, atasan, setda
):
    services.forward(request_, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX, at=T1)
    with pytest.raises(services.PpidError):
        services.decide(request_, decision=Decision.REFUSED, actor=official_a, via="inbox")
    at = DEC_14 + timedelta(days=2)
    request_ = services.decide(
        request_,
        decision=Decision.REFUSED,
        exemption_basis="17a",
        consequence_test="Berkas penyidikan kasus pengadaan 2026: membuka strategi penyidikan.",
        actor=official_a,
        via="inbox",
        at=at,
    )
    assert any("keberatan" in sent.text for sent in pigeon.sent)
    with pytest.raises(services.PpidError):
        services.lodge_objection(request_, grounds=["z"], text="", via="whatsapp")
    request_ = services.lodge_objection(
        request_, grounds=["a"], text="Informasi ini bukan rahasia", via="whatsapp", at=at
    )
    case = Case.objects.get(pk=request_.case_id)
    assert case.status == Status.ASSIGNED and case.unit == setda
    # 30 working days for the atasan, on the case's clock too.
    assert request_.objection_due_at == case.resolution_due_at
    assert day(request_.objection_due_at) == "2027-02-02"
    request_ = services.decide_objection(
        request_,
        outcome=PpidRequest.Outcome.DISMISSED,
        text="Penyidikan masih berjalan.",
        actor=atasan,
        via="inbox",
        at=at + timedelta(days=1),
    )
    assert request_.stage == Stage.OBJECTION_DECIDED
    # The requester's windows: 30 working days to object, 14 to go to the Komisi Informasi.
    assert day(request_.objection_until) == "2027-02-02"
    assert day(request_.dispute_until) == "2027-01-12"
    assert "Komisi Informasi" in [s for s in pigeon.sent if s.notice.attachment is None][-1].text
    assert codes(request_) == ["receipt", "notice", "objection_receipt", "atasan_decision"]
    assert Case.objects.get(pk=request_.case_id).status == Status.RESOLVED


def test_not_held_names_the_body_that_holds_it(request_, ppid_utama):
    with pytest.raises(services.PpidError):
        services.decide(request_, decision=Decision.NOT_HELD, actor=ppid_utama, via="inbox")
    request_ = services.decide(
        request_,
        decision=Decision.NOT_HELD,
        holding_body="Kantor Pertanahan (BPN) Kabupaten Banyuwangi",
        actor=ppid_utama,
        via="inbox",
        at=T1,
    )
    letter = request_.letters.get(code="notice")
    assert letter.context["holding_body"].startswith("Kantor Pertanahan")
    text = letters.body_text("notice", letter.context)
    assert "Kantor Pertanahan (BPN)" in text and "Banyuwangi, 14 Desember 2026" in text


def test_completion_pauses_the_clock_until_the_requester_answers(
    pigeon, citizen, request_, ppid_utama
):
    services.ask_completion(
        request_, text="Sebutkan tahun anggaran.", actor=ppid_utama, via="inbox", at=T1
    )
    case = Case.objects.get(pk=request_.case_id)
    assert case.status == Status.WAITING and case.resolution_due_at is None
    pigeon.receive(citizen, "Tahun anggaran 2026", at=DEC_14 + timedelta(days=1))
    request_.refresh_from_db()
    assert request_.stage == Stage.FORWARDED
    assert Case.objects.get(pk=request_.case_id).resolution_due_at is not None
    assert "completion" in codes(request_)


def test_a_letter_that_fails_to_render_keeps_its_number_and_can_be_retried(request_, ppid_utama):
    LetterTemplate.objects.create(code="completion", title="Kelengkapan", body="{% if %}")
    services.ask_completion(request_, text="Lampirkan KTP.", actor=ppid_utama, via="inbox", at=T1)
    letter = request_.letters.get(code="completion")
    assert letter.state == Letter.State.FAILED and letter.number and letter.attempts == 3
    assert "ppid_letter_failed" in event_kinds(request_.case)
    LetterTemplate.objects.filter(code="completion").update(body="Lengkapi: {{ body }}")
    letter = services.retry_letter(letter, actor=ppid_utama, via="inbox")
    assert letter.state == Letter.State.READY and letter.attachment is not None


def test_the_requester_objects_on_the_conversation(pigeon, citizen, request_, ppid_utama, setda):
    services.decide(
        request_,
        decision=Decision.REFUSED,
        exemption_basis="17h",
        consequence_test="Data NIK penerima bantuan: rahasia pribadi, merugikan penerima.",
        actor=ppid_utama,
        via="inbox",
        at=T1,
    )
    listed = pigeon.receive(citizen, "keberatan", at=T2)
    assert listed.outcome == "kind_follow_up" and "g. penyampaian informasi" in pigeon.last().text
    assert PpidRequest.objects.get(pk=request_.pk).stage == Stage.DECIDED
    lodged = pigeon.receive(citizen, "Keberatan a, Ini bukan data pribadi", at=T3)
    request_.refresh_from_db()
    assert request_.stage == Stage.OBJECTED and request_.objection_grounds == ["a"]
    assert request_.objection_text == "Ini bukan data pribadi"
    assert lodged.case.unit == setda and lodged.message is not None
    assert "objection_receipt" in codes(request_)
