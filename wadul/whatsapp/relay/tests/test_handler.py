from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wadul import testing
from wadul.cases.models import CaseEvent, Message, Status, Via, Visibility
from wadul.whatsapp.relay.handler import handle, handle_media


@pytest.fixture
def now():
    return timezone.now()


def test_quoted_reply_answers_the_case_at_the_officials_time(case_a, official_a, now):
    sent_at = now - timedelta(minutes=3)
    outcome = handle(official_a, "Besok tim kami datang", quoted_case=case_a, at=sent_at)
    assert outcome.ok and case_a.tracking_number in outcome.reply
    case_a.refresh_from_db()
    assert case_a.status == Status.ANSWERED
    assert case_a.first_response_at == sent_at
    event = case_a.events.get(kind=CaseEvent.Kind.ANSWERED)
    assert (event.actor, event.via, event.at) == (official_a, Via.RELAY, sent_at)
    answer = case_a.messages.get(direction=Message.Direction.OUTBOUND)
    assert answer.text == "Besok tim kami datang" and answer.author == official_a


def test_hash_reply_answers_without_a_quote(case_a, official_a, now):
    number = case_a.tracking_number.lower().replace("-", "")
    outcome = handle(official_a, f"#{number} Sudah kami tambal", quoted_case=None, at=now)
    assert outcome.ok
    assert case_a.messages.filter(text="Sudah kami tambal").exists()


def test_an_official_cannot_answer_another_units_case(case_a, official_b, now):
    outcome = handle(official_b, f"#{case_a.tracking_number} halo", quoted_case=None, at=now)
    assert not outcome.ok
    assert "tidak ditemukan di unit Anda" in outcome.reply
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()
    # Even quoting a notification of the other unit's case does not let them act.
    outcome = handle(official_b, "halo", quoted_case=case_a, at=now)
    assert not outcome.ok
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()


def test_resolve_clarify_take_and_transfer(unit_a, unit_b, official_a, now):
    case = testing.create_case(unit=unit_a)
    assert handle(official_a, "ambil", quoted_case=case, at=now).ok
    case.refresh_from_db()
    assert case.assigned_to == official_a
    assert handle(official_a, "tanya Di RT berapa pak?", quoted_case=case, at=now).ok
    case.refresh_from_db()
    assert case.status == Status.WAITING
    other = testing.create_case(unit=unit_a)
    outcome = handle(
        official_a,
        f"alihkan {other.tracking_number} DINKES urusan kesehatan",
        quoted_case=None,
        at=now,
    )
    assert outcome.ok and "Dinas Kesehatan" in outcome.reply
    other.refresh_from_db()
    assert other.unit == unit_b
    third = testing.create_case(unit=unit_a)
    assert handle(official_a, f"selesai {third.tracking_number}", quoted_case=None, at=now).ok
    third.refresh_from_db()
    assert third.status == Status.RESOLVED
    assert third.events.get(kind=CaseEvent.Kind.RESOLVED).via == Via.RELAY


def test_wrong_commands_get_a_helpful_answer(case_a, official_a, now):
    cases = [
        ("halo pak", "tidak dimengerti"),
        ("alihkan XYZ123 salah", "Kasus mana?"),
        (f"alihkan {case_a.tracking_number} NOPE alasan", "Kode unit NOPE tidak dikenal"),
        ("selesai", "Kasus mana?"),
        (f"#{case_a.tracking_number}", "Tulis jawabannya"),
    ]
    for text, expected in cases:
        outcome = handle(official_a, text, quoted_case=None, at=now)
        assert not outcome.ok
        assert expected in outcome.reply, text
        assert "bantuan" in outcome.reply


def test_a_refused_transition_is_explained(case_a, official_a, now):
    handle(official_a, "selesai", quoted_case=case_a, at=now)
    outcome = handle(official_a, "Masih ada yang kurang?", quoted_case=case_a, at=now)
    assert not outcome.ok
    assert "tidak bisa" in outcome.reply.lower()


def test_units_and_my_cases_lists(case_a, official_a, unit_b, now):
    assert "DINKES" in handle(official_a, "unit kesehatan", quoted_case=None, at=now).reply
    reply = handle(official_a, "kasus", quoted_case=None, at=now).reply
    assert case_a.tracking_number in reply


def test_help_lists_commands(official_a, now):
    reply = handle(official_a, "bantuan", quoted_case=None, at=now).reply
    assert "#NOMOR" in reply and "alihkan" in reply


def test_confidential_case_stays_workable_by_the_unit(unit_a, official_a, citizen, now):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    assert handle(official_a, "Terima kasih, kami tindak lanjuti", quoted_case=case, at=now).ok


def test_a_file_is_an_answer_with_its_caption_or_a_placeholder(case_a, official_a, now):
    outcome = handle_media(official_a, "", placeholder="[foto]", quoted_case=case_a, at=now)
    assert outcome.ok and outcome.message.text == "[foto]" and outcome.case == case_a
    number = case_a.tracking_number
    outcome = handle_media(
        official_a, f"#{number} Hasil perbaikan", placeholder="[foto]", quoted_case=None, at=now
    )
    assert outcome.ok and outcome.message.text == "Hasil perbaikan"
    assert outcome.message.author == official_a and outcome.message.via == Via.RELAY


def test_a_file_needs_a_case_the_official_may_act_on(case_a, official_a, official_b, now):
    outcome = handle_media(official_a, "Foto", placeholder="[foto]", quoted_case=None, at=now)
    assert not outcome.ok and "untuk kasus mana" in outcome.reply
    for caption, quoted in ((f"#{case_a.tracking_number}", None), ("", case_a)):
        outcome = handle_media(
            official_b, caption, placeholder="[foto]", quoted_case=quoted, at=now
        )
        assert not outcome.ok and "tidak ditemukan di unit Anda" in outcome.reply
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()


def test_a_sticker_is_not_passed_on(case_a, official_a, now):
    outcome = handle_media(official_a, "", placeholder=None, quoted_case=case_a, at=now)
    assert not outcome.ok and "Stiker tidak diteruskan" in outcome.reply
    assert not case_a.messages.filter(direction=Message.Direction.OUTBOUND).exists()
