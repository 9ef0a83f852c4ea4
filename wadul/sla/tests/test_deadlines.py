"""Deadlines on the case follow every state change, in the same transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, CaseEvent, CaseType, Channel, Message, Via
from wadul.organisation.models import Unit
from wadul.sla import services as clock
from wadul.sla.models import Escalation, Schedule, Target, UnitSchedule
from wadul.whatsapp.models import OutboundMessage

WIB = ZoneInfo("Asia/Jakarta")
FRIDAY = datetime(2026, 1, 9, 15, 30, tzinfo=WIB)


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def open_at(unit, at, **fields) -> Case:
    return testing.create_case(unit=unit, at=at, **fields)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_case_opened_friday_afternoon_is_due_monday_nine(unit_a):
    case = open_at(unit_a, FRIDAY)
    # The caller's instance is updated too, not only the row.
    assert case.first_response_due_at == wib(2026, 1, 12, 9, 0)
    case = fresh(case)
    assert case.first_response_due_at == wib(2026, 1, 12, 9, 0)
    # Complaint: 5 working days (Friday 16 January is Isra Mi'raj).
    assert case.resolution_due_at == wib(2026, 1, 19, 15, 30)
    assert case.next_response_due_at is None


def test_case_opened_before_idul_fitri_2026_is_due_after_the_cuti_bersama(unit_a):
    case = open_at(unit_a, wib(2026, 3, 17, 15, 30))
    assert fresh(case).first_response_due_at == wib(2026, 3, 25, 9, 0)


def test_answer_clears_the_first_response_and_a_citizen_message_starts_the_next(unit_a, official_a):
    case = open_at(unit_a, FRIDAY)
    services.answer(case, text="Kami cek", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 12, 8))
    case = fresh(case)
    assert case.first_response_due_at is None
    assert case.next_response_due_at is None
    services.receive_message(case, text="Kapan?", at=wib(2026, 1, 12, 10, 0))
    # One working day (510 minutes) later.
    assert fresh(case).next_response_due_at == wib(2026, 1, 13, 10, 0)
    # A second message does not push the running deadline later.
    services.receive_message(case, text="Halo?", at=wib(2026, 1, 12, 11, 0))
    assert fresh(case).next_response_due_at == wib(2026, 1, 13, 10, 0)
    services.answer(case, text="Besok", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 12, 12))
    assert fresh(case).next_response_due_at is None


def test_clarification_pauses_the_resolution_clock_and_the_reply_resumes_it(unit_a, official_a):
    opened = wib(2026, 1, 19, 8, 0)  # Monday
    case = open_at(unit_a, opened)
    assert fresh(case).resolution_due_at == wib(2026, 1, 26, 8, 0)
    services.request_clarification(
        case, text="Di RT berapa?", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 19, 9, 0)
    )
    case = fresh(case)
    assert case.resolution_due_at is None  # paused: nothing can breach
    assert case.first_response_due_at is None  # the question was the first response
    assert not Escalation.objects.filter(case=case, state=Escalation.State.PENDING).exists()
    # The citizen answers two working days later (Wednesday 09:00): the deadline moves
    # by the paused working time, and their reply needs an answer within a working day.
    services.receive_message(case, text="RT 3", at=wib(2026, 1, 21, 9, 0))
    case = fresh(case)
    assert case.resolution_due_at == wib(2026, 1, 28, 8, 0)
    assert case.next_response_due_at == wib(2026, 1, 22, 9, 0)


def test_ending_a_case_clears_every_deadline_and_reopening_sets_new_ones(unit_a, official_a):
    case = open_at(unit_a, FRIDAY)
    services.resolve(case, actor=official_a, via=Via.INBOX, at=wib(2026, 1, 12, 8, 0))
    case = fresh(case)
    assert (case.first_response_due_at, case.next_response_due_at, case.resolution_due_at) == (
        None,
        None,
        None,
    )
    assert not Escalation.objects.filter(case=case, state=Escalation.State.PENDING).exists()
    services.reopen(case, actor=None, via=Via.WHATSAPP, at=wib(2026, 1, 13, 10, 0))
    case = fresh(case)
    assert case.next_response_due_at == wib(2026, 1, 14, 10, 0)
    # 5 new working days (Friday 16 January is Isra Mi'raj).
    assert case.resolution_due_at == wib(2026, 1, 21, 10, 0)


@pytest.mark.parametrize("verb", ["reject", "refer", "merge"])
def test_rejecting_referring_or_merging_clears_the_deadlines(verb, regency, unit_a, operator, pln):
    case = testing.create_case(unit=None, at=FRIDAY)
    assert fresh(case).first_response_due_at is not None
    if verb == "reject":
        services.reject(case, reason="spam", actor=operator, via=Via.INBOX)
    elif verb == "refer":
        services.refer_outside(case, institution=pln, actor=operator, via=Via.INBOX)
    else:
        other = testing.create_case(unit=unit_a)
        services.mark_duplicate(case, of=other, actor=operator, via=Via.INBOX)
    case = fresh(case)
    assert (case.first_response_due_at, case.resolution_due_at) == (None, None)


def test_triage_uses_the_central_desks_round_the_clock_calendar(central_desk, unit_a, operator):
    UnitSchedule.objects.create(unit=central_desk, schedule=Schedule.objects.get(name="24 jam"))
    case = testing.create_case(unit=None, at=FRIDAY)
    assert fresh(case).first_response_due_at == wib(2026, 1, 9, 17, 30)
    # Assigned to an office-hours unit, the same clock is measured in its office hours.
    services.assign(case, unit=unit_a, actor=operator, via=Via.INBOX, at=wib(2026, 1, 9, 15, 45))
    assert fresh(case).first_response_due_at == wib(2026, 1, 12, 9, 0)


def test_a_unit_override_of_targets_applies_to_its_sub_units(unit_a, subunit_a, unit_b):
    Target.objects.create(
        case_type=CaseType.COMPLAINT, unit=unit_a, first_response_minutes=60, resolution_days=3
    )
    case = open_at(subunit_a, FRIDAY)
    assert fresh(case).first_response_due_at == wib(2026, 1, 12, 8, 0)
    assert fresh(case).resolution_due_at == wib(2026, 1, 14, 15, 30)
    assert fresh(open_at(unit_b, FRIDAY)).first_response_due_at == wib(2026, 1, 12, 9, 0)


def test_transfer_applies_the_new_units_targets_from_the_original_opening(
    unit_a, unit_b, official_a
):
    Target.objects.create(case_type=CaseType.COMPLAINT, unit=unit_b, first_response_minutes=240)
    case = open_at(unit_a, FRIDAY)
    services.transfer(
        case,
        to_unit=unit_b,
        reason="urusan kesehatan",
        actor=official_a,
        via=Via.INBOX,
        at=wib(2026, 1, 9, 15, 45),
    )
    assert fresh(case).first_response_due_at == wib(2026, 1, 12, 11, 0)


def test_a_camat_office_can_be_open_round_the_clock_but_closed_on_holidays(regency):
    camat = testing.create_unit("Kecamatan Genteng", kind=Unit.Kind.KECAMATAN, parent=regency)
    desa = testing.create_unit("Desa Kembiritan", kind=Unit.Kind.DESA, parent=camat)
    schedule = Schedule.objects.create(name="Camat 24 jam", always_open=True)
    UnitSchedule.objects.create(unit=camat, schedule=schedule)
    # The desa inherits its kecamatan's schedule.
    case = open_at(desa, wib(2026, 3, 17, 23, 0))
    assert fresh(case).first_response_due_at == wib(2026, 3, 25, 1, 0)


def test_historical_imports_get_deadlines_but_no_alerts_for_the_past(unit_a):
    with services.historical_import():
        case = open_at(unit_a, FRIDAY)
    case = fresh(case)
    assert case.first_response_due_at == wib(2026, 1, 12, 9, 0)
    escalations = Escalation.objects.filter(case=case)
    assert escalations.exists()
    assert not escalations.filter(state=Escalation.State.PENDING).exists()


def test_information_request_extension_once_by_seven_working_days(unit_a, official_a):
    case = open_at(unit_a, wib(2026, 1, 19, 8, 0), type=CaseType.INFORMATION_REQUEST)
    # 10 whole working days (UU 14/2008 counts days): the close of business of the 10th.
    assert fresh(case).resolution_due_at == wib(2026, 2, 2, 16, 0)
    clock.extend_information_request(
        case,
        actor=official_a,
        via=Via.INBOX,
        reason="Dokumen di arsip kecamatan",
        at=wib(2026, 1, 28, 9, 0),
    )
    # 7 more working days from the old deadline.
    assert fresh(case).resolution_due_at == wib(2026, 2, 11, 16, 0)
    event = case.events.get(kind=CaseEvent.Kind.DEADLINE_EXTENDED)
    assert event.actor == official_a and event.data["days"] == 7
    # The applicant is told the new date and why, and the event carries that message.
    notice = event.message
    assert notice.direction == Message.Direction.OUTBOUND and notice.author is None
    assert notice.created_at == wib(2026, 1, 28, 9, 0)
    assert f"Permohonan informasi Anda nomor {case.tracking_number} diperpanjang" in notice.text
    assert "7 hari kerja" in notice.text
    assert "paling lambat Rabu, 11 Februari 2026 pukul 16.00 WIB" in notice.text
    assert "Alasan perpanjangan: Dokumen di arsip kecamatan" in notice.text
    # A status message, not an answer: no status change.
    assert fresh(case).status == case.status
    with pytest.raises(clock.ClockError):
        clock.extend_information_request(
            case, actor=official_a, via=Via.INBOX, reason="lagi", at=wib(2026, 1, 29, 9)
        )


def test_the_extension_notice_goes_over_whatsapp_like_any_message_to_the_citizen(
    unit_a, official_a, citizen
):
    case = open_at(
        unit_a,
        wib(2026, 1, 19, 8, 0),
        type=CaseType.INFORMATION_REQUEST,
        channel=Channel.WHATSAPP,
        channel_number=testing.create_number(unit_a),
        contact=citizen,
        text="Mohon salinan dokumen APBDes & RKPDes 2025",
    )
    clock.extend_information_request(
        case,
        actor=official_a,
        via=Via.INBOX,
        reason="Data 3 desa & 1 kelurahan",
        at=wib(2026, 1, 28, 9),
    )
    notice = case.events.get(kind=CaseEvent.Kind.DEADLINE_EXTENDED).message
    row = OutboundMessage.objects.get(message=notice)
    assert row.case == case and row.recipient == "6281234567890"
    assert row.state == OutboundMessage.State.QUEUED
    assert row.content["text"] == notice.text
    assert notice.text.endswith("Alasan perpanjangan: Data 3 desa & 1 kelurahan")
    # Outside the 24-hour window it goes as the answer template: number and the text.
    assert row.content["template_params"][0] == case.tracking_number
    assert "Rabu, 11 Februari 2026 pukul 16.00 WIB" in row.content["template_params"][1]


def test_an_extension_while_waiting_for_the_applicant_says_the_date_follows(unit_a, official_a):
    case = open_at(unit_a, wib(2026, 1, 19, 8, 0), type=CaseType.INFORMATION_REQUEST)
    services.request_clarification(
        case, text="Dokumen tahun berapa?", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 20)
    )
    clock.extend_information_request(
        case, actor=official_a, via=Via.INBOX, reason="Arsip", at=wib(2026, 1, 21, 9)
    )
    notice = case.events.get(kind=CaseEvent.Kind.DEADLINE_EXTENDED).message
    assert "diperpanjang 7 hari kerja" in notice.text
    assert "dihitung kembali setelah Anda membalas" in notice.text


def test_extension_is_refused_for_other_types_late_or_by_outsiders(unit_a, official_a, official_b):
    complaint = open_at(unit_a, wib(2026, 1, 19, 8, 0))
    with pytest.raises(clock.ClockError):
        clock.extend_information_request(
            complaint, actor=official_a, via=Via.INBOX, reason="x", at=wib(2026, 1, 20)
        )
    request = open_at(unit_a, wib(2026, 1, 19, 8, 0), type=CaseType.INFORMATION_REQUEST)
    with pytest.raises(PermissionDenied):
        clock.extend_information_request(
            request, actor=official_b, via=Via.INBOX, reason="x", at=wib(2026, 1, 20)
        )
    with pytest.raises(clock.ClockError):
        clock.extend_information_request(
            request, actor=official_a, via=Via.INBOX, reason="x", at=wib(2026, 2, 3)
        )
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.DEADLINE_EXTENDED).exists()
    # (An information request's registration receipt is outbound too: no extension notice.)
    outbound = Message.objects.filter(direction=Message.Direction.OUTBOUND)
    assert not outbound.filter(text__contains="diperpanjang").exists()
