from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from wadul import testing
from wadul.cases import channels, events, services
from wadul.cases.models import (
    Case,
    CaseEvent,
    Channel,
    Message,
    Priority,
    Status,
    Via,
    Visibility,
)

E = CaseEvent.Kind


def kinds(case: Case) -> list[str]:
    return list(case.events.order_by("at", "pk").values_list("kind", flat=True))


def test_open_case_with_a_unit_is_assigned_with_two_events(unit_a, citizen):
    case = testing.create_case(unit=unit_a, contact=citizen, text="Lampu PJU mati di Rogojampi")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == unit_a
    assert kinds(case) == [E.OPENED, E.ASSIGNED]
    opened = case.events.get(kind=E.OPENED)
    assert opened.to_status == Status.RECEIVED
    assert opened.message.text == "Lampu PJU mati di Rogojampi"
    assert case.subject == "Lampu PJU mati di Rogojampi"


def test_open_case_without_a_unit_goes_to_triage(citizen):
    case = testing.create_case(unit=None, contact=citizen)
    assert case.status == Status.TRIAGE
    assert kinds(case) == [E.OPENED, E.TRIAGED]


def test_open_case_refuses_an_external_institution(pln, citizen):
    with pytest.raises(services.CaseError):
        testing.create_case(unit=pln, contact=citizen)
    assert Case.objects.count() == 0


def test_first_answer_sets_first_response_time_once(case_a, official_a):
    first_at = timezone.now() + timedelta(minutes=30)
    services.answer(case_a, text="Sudah kami cek", actor=official_a, via=Via.INBOX, at=first_at)
    services.answer(
        case_a,
        text="Perbaikan besok",
        actor=official_a,
        via=Via.RELAY,
        at=first_at + timedelta(hours=1),
    )
    case_a.refresh_from_db()
    assert case_a.status == Status.ANSWERED
    assert case_a.first_response_at == first_at
    answers = case_a.events.filter(kind=E.ANSWERED).order_by("at")
    assert [e.via for e in answers] == [Via.INBOX, Via.RELAY]
    assert all(e.actor == official_a for e in answers)


def test_answer_on_a_closed_case_is_refused(case_a, official_a):
    services.resolve(case_a, actor=official_a, via=Via.INBOX)
    with pytest.raises(services.IllegalTransition):
        services.answer(case_a, text="halo", actor=official_a, via=Via.INBOX)
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()


def test_clarification_pauses_and_the_citizens_reply_resumes(case_a, official_a):
    services.request_clarification(case_a, text="Di RT berapa?", actor=official_a, via=Via.INBOX)
    assert case_a.status == Status.WAITING
    services.receive_message(case_a, text="RT 3 RW 1", via=Via.WHATSAPP)
    case_a.refresh_from_db()
    assert case_a.status == Status.IN_PROGRESS
    resumed = case_a.events.filter(kind=E.MESSAGE_RECEIVED).get()
    assert (resumed.from_status, resumed.to_status) == (Status.WAITING, Status.IN_PROGRESS)


def test_note_is_internal_and_does_not_count_as_a_response(case_a, official_a):
    services.add_note(case_a, text="Cek anggaran dulu", actor=official_a, via=Via.INBOX)
    case_a.refresh_from_db()
    assert case_a.first_response_at is None
    assert case_a.status == Status.ASSIGNED
    assert case_a.messages.filter(direction=Message.Direction.NOTE).count() == 1


def test_transfer_records_units_and_reason(case_a, unit_a, unit_b, official_a):
    services.transfer(
        case_a, to_unit=unit_b, reason="urusan kesehatan", actor=official_a, via=Via.INBOX
    )
    event = case_a.events.get(kind=E.TRANSFERRED)
    assert (event.from_unit, event.to_unit) == (unit_a, unit_b)
    assert event.data["reason"] == "urusan kesehatan"
    case_a.refresh_from_db()
    assert case_a.unit == unit_b and case_a.assigned_to is None


def test_transfer_needs_a_reason(case_a, unit_b, official_a):
    with pytest.raises(services.CaseError):
        services.transfer(case_a, to_unit=unit_b, reason=" ", actor=official_a, via=Via.INBOX)


def test_referral_sends_the_institutions_text_and_counts_as_response(citizen, pln, operator):
    case = testing.create_case(unit=None, contact=citizen, text="Listrik padam")
    services.refer_outside(case, institution=pln, actor=operator, via=Via.INBOX)
    case.refresh_from_db()
    assert case.status == Status.REFERRED and case.referred_to == pln
    assert case.first_response_at is not None
    assert case.messages.get(direction=Message.Direction.OUTBOUND).text == "Hubungi PLN 123."


def test_referral_to_a_regency_unit_is_refused(citizen, unit_a, operator):
    case = testing.create_case(unit=None, contact=citizen)
    with pytest.raises(services.CaseError):
        services.refer_outside(case, institution=unit_a, actor=operator, via=Via.INBOX)


def test_merging_follows_the_chain_to_the_surviving_case(unit_a, operator):
    first, second, third = (testing.create_case(unit=unit_a) for _ in range(3))
    services.mark_duplicate(second, of=first, actor=operator, via=Via.INBOX)
    services.mark_duplicate(third, of=second, actor=operator, via=Via.INBOX)
    third.refresh_from_db()
    assert third.duplicate_of == first
    with pytest.raises(services.CaseError):
        services.mark_duplicate(first, of=first, actor=operator, via=Via.INBOX)


def test_rating_is_recorded_once_and_only_for_resolved_cases(case_a, official_a):
    with pytest.raises(services.IllegalTransition):
        services.rate(case_a, rating=5, via=Via.WHATSAPP)
    services.resolve(case_a, actor=official_a, via=Via.INBOX)
    services.rate(case_a, rating=4, via=Via.WHATSAPP)
    with pytest.raises(services.CaseError):
        services.rate(case_a, rating=1, via=Via.WHATSAPP)
    case_a.refresh_from_db()
    assert case_a.rating == 4
    assert case_a.events.filter(kind=E.RATED).count() == 1
    with pytest.raises(services.CaseError):
        services.rate(testing.create_case(unit=case_a.unit), rating=9, via=Via.WHATSAPP)


def test_reopen_clears_resolution_times(case_a, official_a):
    services.resolve(case_a, actor=official_a, via=Via.INBOX)
    services.close(case_a, actor=None, via=Via.SYSTEM)
    services.reopen(case_a, actor=None, via=Via.WHATSAPP, reason="belum diperbaiki")
    case_a.refresh_from_db()
    assert case_a.status == Status.REOPENED
    assert case_a.resolved_at is None and case_a.closed_at is None
    assert kinds(case_a)[-3:] == [E.RESOLVED, E.CLOSED, E.REOPENED]


def test_an_official_of_another_unit_cannot_change_the_case(case_a, official_b):
    with pytest.raises(PermissionDenied):
        services.answer(case_a, text="bukan urusan saya", actor=official_b, via=Via.INBOX)
    with pytest.raises(PermissionDenied):
        services.resolve(case_a, actor=official_b, via=Via.INBOX)
    assert case_a.events.count() == 2


def test_supervisors_read_but_do_not_act(case_a, supervisor):
    with pytest.raises(PermissionDenied):
        services.resolve(case_a, actor=supervisor, via=Via.INBOX)


def test_assign_to_an_official_outside_the_unit_is_refused(case_a, official_b, operator):
    with pytest.raises(services.CaseError):
        services.assign(case_a, official=official_b, actor=operator, via=Via.INBOX)


def test_assign_from_triage_to_an_official_of_the_subunit(citizen, unit_a, subunit_a, operator):
    worker = testing.create_official("agus", unit=subunit_a)
    case = testing.create_case(unit=None, contact=citizen)
    services.assign(case, unit=subunit_a, official=worker, actor=operator, via=Via.INBOX)
    case.refresh_from_db()
    assert (case.status, case.unit, case.assigned_to) == (Status.ASSIGNED, subunit_a, worker)


def test_location_needs_both_coordinates(case_a, official_a):
    with pytest.raises(services.CaseError):
        services.set_location(case_a, latitude=-8.2, actor=official_a, via=Via.INBOX)
    services.set_location(
        case_a, latitude=-8.21, longitude=114.37, actor=official_a, via=Via.WHATSAPP
    )
    case_a.refresh_from_db()
    assert (case_a.latitude, case_a.longitude) == (-8.21, 114.37)
    assert case_a.events.filter(kind=E.LOCATION_SET).count() == 1


def test_attachment_type_and_size_are_checked(case_a, official_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 1024
    photo = services.add_attachment(
        case_a,
        file=ContentFile(b"\xff\xd8\xff" + b"0" * 100, name="jalan.jpg"),
        content_type="image/jpeg",
        actor=None,
        via=Via.WHATSAPP,
    )
    assert photo.kind == "image" and photo.size == 103 and len(photo.sha256) == 64
    assert "jalan" not in photo.file.name  # stored under a random name
    with pytest.raises(ValidationError):
        services.add_attachment(
            case_a,
            file=ContentFile(b"MZ" * 10, name="x.exe"),
            content_type="application/x-msdownload",
            actor=None,
            via=Via.WHATSAPP,
        )
    with pytest.raises(ValidationError):
        services.add_attachment(
            case_a,
            file=ContentFile(b"0" * 2048, name="big.jpg"),
            content_type="image/jpeg",
            actor=None,
            via=Via.WHATSAPP,
        )
    with pytest.raises(ValidationError):
        services.add_attachment(
            case_a,
            file=ContentFile(b"", name="kosong.pdf"),
            content_type="application/pdf",
            actor=None,
            via=Via.WHATSAPP,
        )
    assert case_a.attachments.count() == 1
    assert case_a.events.filter(kind=E.ATTACHMENT_ADDED).count() == 1


class RecordingChannel:
    code = Channel.WHATSAPP

    def __init__(self) -> None:
        self.delivered: list = []

    def deliver(self, message, notice) -> None:
        self.delivered.append(message)


def test_outbound_messages_go_to_the_channels_deliverer(unit_a, official_a, monkeypatch):
    channel = RecordingChannel()
    delivered = channel.delivered
    monkeypatch.setitem(channels._CHANNELS, Channel.WHATSAPP, channel)
    case = testing.create_case(unit=unit_a, channel=Channel.WHATSAPP)
    message = services.answer(case, text="Siap", actor=official_a, via=Via.INBOX)
    assert delivered == [message]
    assert message.delivery == Message.Delivery.PENDING
    with services.historical_import():
        old = services.answer(case, text="Arsip", actor=official_a, via=Via.INBOX)
    assert delivered == [message]
    assert old.delivery == Message.Delivery.READ


def test_a_verb_that_fails_part_way_changes_nothing(
    case_a, official_a, citizen, unit_a, monkeypatch
):
    # A listener of the event log fails after the message and the status change were
    # written: the verb's transaction must take all of it back.
    def refuse(case, event):
        if event.kind in {E.ANSWERED, E.ASSIGNED}:
            raise RuntimeError("listener failed")

    monkeypatch.setattr(events, "RECORDED_HOOKS", [*events.RECORDED_HOOKS, refuse])
    with pytest.raises(RuntimeError):
        services.answer(case_a, text="Sudah kami cek", actor=official_a, via=Via.INBOX)
    case_a.refresh_from_db()
    assert case_a.status == Status.ASSIGNED and case_a.first_response_at is None
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()
    assert kinds(case_a) == [E.OPENED, E.ASSIGNED]

    with pytest.raises(RuntimeError):
        testing.create_case(unit=unit_a, contact=citizen, text="Sampah menumpuk di pasar")
    assert Case.objects.count() == 1
    assert not Message.objects.filter(text="Sampah menumpuk di pasar").exists()


def test_every_attribute_change_writes_one_event_and_no_change_writes_none(
    case_a, official_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    services.set_visibility(case_a, visibility=Visibility.PRIVATE, actor=official_a, via=Via.INBOX)
    services.set_visibility(case_a, visibility=Visibility.PRIVATE, actor=official_a, via=Via.INBOX)
    services.set_priority(case_a, priority=Priority.HIGH, actor=official_a, via=Via.INBOX)
    services.set_priority(case_a, priority=Priority.HIGH, actor=official_a, via=Via.INBOX)
    services.set_location(case_a, actor=official_a, via=Via.INBOX)  # nothing given
    photo = services.add_attachment(
        case_a,
        file=ContentFile(b"\xff\xd8\xff" + b"0" * 10, name="lubang.jpg"),
        content_type="image/jpeg",
        actor=None,
        via=Via.WHATSAPP,
    )
    assert kinds(case_a) == [
        E.OPENED,
        E.ASSIGNED,
        E.VISIBILITY_CHANGED,
        E.PRIORITY_CHANGED,
        E.ATTACHMENT_ADDED,
    ]
    visibility, priority, attached = case_a.events.order_by("pk")[2:]
    assert (visibility.data, visibility.actor) == ({"old": "public", "new": "private"}, official_a)
    assert priority.data == {"old": "normal", "new": "high"}
    assert attached.data == {"attachment": photo.pk, "media": "image"}
    case_a.refresh_from_db()
    assert (case_a.visibility, case_a.priority) == (Visibility.PRIVATE, Priority.HIGH)
