"""A whole complaint through the conversation core on a channel that is not WhatsApp:
open, acknowledgement, answer, `status`, rating request, rating."""

from __future__ import annotations

from wadul.cases import services
from wadul.cases.channels import Purpose
from wadul.cases.models import Case, Status, Via


def test_a_complaint_from_open_to_rating(
    pigeon, citizen, official_a, django_capture_on_commit_callbacks
):
    opened = pigeon.receive(citizen, "Lampu PJU mati di depan SDN 2 Rogojampi")
    case = opened.case
    assert opened.outcome == "opened" and case.channel == "pigeon"
    assert case.unit_id == pigeon.unit.pk and case.status == Status.ASSIGNED
    ack = pigeon.last()
    assert ack.notice.purpose == Purpose.ACKNOWLEDGEMENT
    assert case.tracking_number in ack.text and ack.case == case
    assert "Privasi" in ack.text  # first contact: the privacy notice comes along

    follow_up = pigeon.receive(citizen, "Sudah tiga malam gelap")
    assert follow_up.outcome == "appended" and follow_up.case == case

    answer = services.answer(
        case, text="Petugas PJU datang besok pagi", actor=official_a, via=Via.INBOX
    )
    assert pigeon.last().text == answer.text
    assert pigeon.last().notice.purpose == Purpose.ANSWER

    status = pigeon.receive(citizen, f"status {case.tracking_number}")
    assert status.outcome == "status_asked"
    assert pigeon.last().to == citizen.pk and pigeon.last().case is None
    assert case.tracking_number in pigeon.last().text
    assert "Petugas PJU datang besok pagi" in pigeon.last().text

    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(case, actor=official_a, via=Via.INBOX)
    question = pigeon.last()
    assert question.notice.purpose == Purpose.RATING_REQUEST
    assert [b.id for b in question.notice.buttons] == [
        f"rate:{case.tracking_number}:{score}" for score in (5, 3, 1)
    ]

    rated = pigeon.receive(citizen, "Puas", reply_id=f"rate:{case.tracking_number}:5")
    assert rated.outcome == "rated"
    assert Case.objects.get(pk=case.pk).rating == 5
    assert "Terima kasih" in pigeon.last().text


def test_a_message_after_the_end_reopens_within_the_grace_period(pigeon, citizen, official_a):
    case = pigeon.receive(citizen, "Sampah menumpuk di pasar").case
    services.resolve(case, actor=official_a, via=Via.INBOX)
    again = pigeon.receive(citizen, "Sampahnya datang lagi")
    assert again.outcome == "reopened" and again.case == case
    assert Case.objects.get(pk=case.pk).status == Status.REOPENED
    assert "buka kembali" in pigeon.last().text


def test_status_of_a_case_that_is_not_the_citizens(pigeon, citizen, unit_b):
    from wadul import testing

    someone_else = testing.create_case(unit=unit_b)
    pigeon.receive(citizen, f"status {someone_else.tracking_number}")
    assert "tidak kami temukan" in pigeon.last().text


def test_a_pin_sets_the_location(pigeon, citizen):
    from wadul.conversation.messages import Location

    case = pigeon.receive(citizen, "Pohon tumbang").case
    pigeon.receive(citizen, "[lokasi]", location=Location(-8.2135, 114.3712))
    case.refresh_from_db()
    assert (round(case.latitude, 4), round(case.longitude, 4)) == (-8.2135, 114.3712)
