"""A request kind that exists only in this module — its own state machine, clock target,
intake and publication policy — runs through the conversation core, the inbox and the
clock with nothing edited elsewhere."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wadul import testing
from wadul.cases import kinds, services
from wadul.cases.kinds import (
    ClockTargets,
    DocumentSpec,
    IntakeField,
    InvalidAnswer,
    Publication,
    RequestKind,
)
from wadul.cases.models import Case, Status, Via
from wadul.portal import public

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=WIB)


def a_date(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    try:
        return datetime(int(match[3]), int(match[2]), int(match[1])).date().isoformat()
    except (TypeError, ValueError):
        raise InvalidAnswer("Tanggal tidak dikenali; tulis seperti 20-12-2026.") from None


# A crowd permit (izin keramaian): received → assigned → in progress → resolved → closed,
# no answered/waiting/referral; first answer within one working hour.
PERMIT = RequestKind(
    code="crowd_permit",
    label="izin keramaian",
    transitions={
        "received": frozenset({"assigned", "rejected"}),
        "assigned": frozenset({"in_progress", "rejected"}),
        "in_progress": frozenset({"resolved"}),
        "resolved": frozenset({"closed"}),
        "closed": frozenset(),
        "rejected": frozenset(),
    },
    open_statuses=frozenset({"received", "assigned", "in_progress"}),
    clock=ClockTargets(first_response_minutes=60, next_response_days=1, resolution_days=3),
    intake=(
        IntakeField("acara", "Acara apa yang akan diadakan?"),
        IntakeField("tanggal", "Tanggal berapa? (contoh: 20-12-2026)", check=a_date),
        IntakeField("surat", "Kirim foto surat pengantar RT/RW.", type="document"),
    ),
    publication=Publication(on_portal=False, in_open_data=False),
    documents=(DocumentSpec("permit", "Surat izin keramaian"),),
    menu_title="Izin keramaian",
    noun="permohonan izin",
)


@pytest.fixture
def permit_kind(db):
    kinds.register(PERMIT)
    yield PERMIT
    kinds.unregister(PERMIT.code)


def ask_for_a_permit(pigeon, citizen, at=MONDAY_9) -> Case:
    pigeon.receive(citizen, reply_id="kind:crowd_permit", at=at)
    pigeon.receive(citizen, "Pentas seni 17-an", at=at)
    pigeon.receive(citizen, "20-12-2026", at=at)
    return pigeon.receive(citizen, has_file=True, at=at).case


def test_the_intake_asks_one_question_at_a_time(pigeon, citizen, permit_kind):
    started = pigeon.receive(citizen, reply_id="kind:crowd_permit", at=MONDAY_9)
    assert started.outcome == "intake_started" and started.case is None
    assert "Acara apa" in pigeon.last().text and "batal" in pigeon.last().text
    assert pigeon.receive(citizen, "Pentas seni 17-an").outcome == "intake_answered"
    assert "Tanggal berapa" in pigeon.last().text

    wrong = pigeon.receive(citizen, "besok lusa")
    assert wrong.outcome == "intake_invalid"
    assert "Tanggal tidak dikenali" in pigeon.last().text
    assert "Tanggal berapa" in pigeon.last().text  # asked again, nothing lost

    pigeon.receive(citizen, "20-12-2026")
    assert "surat pengantar" in pigeon.last().text
    assert pigeon.receive(citizen, "ini").outcome == "intake_invalid"  # words, not a file
    opened = pigeon.receive(citizen, has_file=True)
    case = opened.case
    assert opened.outcome == "opened" and case.type == "crowd_permit"
    assert case.details == {
        "acara": "Pentas seni 17-an",
        "tanggal": "2026-12-20",
        "surat": "[berkas]",
    }
    assert case.tracking_number in pigeon.last().text


def test_batal_stops_the_intake_and_the_next_message_is_a_new_request(pigeon, citizen, permit_kind):
    pigeon.receive(citizen, reply_id="kind:crowd_permit")
    pigeon.receive(citizen, "Pentas seni")
    assert pigeon.receive(citizen, "Batal").outcome == "intake_cancelled"
    assert "dibatalkan" in pigeon.last().text
    assert not Case.objects.filter(type="crowd_permit").exists()
    assert pigeon.receive(citizen, "Jalan berlubang di Genteng").outcome == "opened"


def test_the_intake_resumes_after_hours_but_not_after_a_week(pigeon, citizen, permit_kind):
    pigeon.receive(citizen, reply_id="kind:crowd_permit", at=MONDAY_9)
    later = MONDAY_9 + timedelta(hours=20)
    assert pigeon.receive(citizen, "Pentas seni", at=later).outcome == "intake_answered"
    much_later = later + timedelta(days=8)
    complaint = "Jalan berlubang di depan pasar Genteng"
    assert pigeon.receive(citizen, complaint, at=much_later).outcome == "opened"
    assert Case.objects.get().type == "complaint"  # the old intake was forgotten


def test_the_kinds_clock_target_sets_the_deadline(pigeon, citizen, permit_kind):
    permit = ask_for_a_permit(pigeon, citizen)
    complaint = testing.create_case(unit=pigeon.unit, at=MONDAY_9)
    permit.refresh_from_db()
    assert permit.first_response_due_at == MONDAY_9 + timedelta(hours=1)
    assert complaint.first_response_due_at == MONDAY_9 + timedelta(hours=2)


def test_the_inbox_offers_only_the_moves_of_the_kinds_machine(
    client, pigeon, citizen, permit_kind, official_a
):
    permit = ask_for_a_permit(pigeon, citizen)
    assert permit.status == Status.ASSIGNED
    testing.login(client, official_a)
    page = client.get(f"/inbox/kasus/{permit.tracking_number}/").content.decode()
    assert 'value="answer"' in page
    for refused in ("clarify", "resolve", "refer", "transfer", "merge"):
        assert f'value="{refused}"' not in page, refused
    with pytest.raises(services.IllegalTransition):
        services.request_clarification(permit, text="?", actor=official_a, via=Via.INBOX)

    # An answer is recorded without a move the machine does not have.
    services.answer(permit, text="Sedang kami periksa", actor=official_a, via=Via.INBOX)
    permit.refresh_from_db()
    assert permit.status == Status.ASSIGNED and permit.first_response_at is not None
    services.start_work(permit, actor=official_a, via=Via.INBOX)
    page = client.get(f"/inbox/kasus/{permit.tracking_number}/").content.decode()
    assert 'value="resolve"' in page


def test_the_kinds_publication_policy_keeps_it_off_the_portal(client, pigeon, citizen, permit_kind):
    permit = ask_for_a_permit(pigeon, citizen)
    complaint = testing.create_case(unit=pigeon.unit, text="Jalan berlubang di Genteng")
    published = set(public.published_cases().values_list("pk", flat=True))
    assert complaint.pk in published and permit.pk not in published
    listing = client.get("/kasus/").content.decode()
    assert complaint.tracking_number in listing and permit.tracking_number not in listing
    assert client.get(f"/kasus/{permit.tracking_number}/").status_code == 404
