"""The letter's life in the services: prepared from the template, sent for signature,
signed (number, PDF, hash), refused with a reason, revoked — each in the case's event log."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wadul import testing
from wadul.cases import services as case_services
from wadul.cases.models import Status, Via
from wadul.core.schedule import EVERY_MINUTE
from wadul.desa import catalogue, services, tasks
from wadul.desa.models import Letter, LetterSequence
from wadul.desa.tests.conftest import add_ktp_photo, request_letter
from wadul.organisation.models import Official, Unit

INBOX = Via.INBOX


def signed_letter(case, operator, kepala) -> Letter:
    letter = services.prepare(case, actor=operator, via=INBOX)
    services.send_for_signature(letter, actor=operator, via=INBOX)
    return services.approve(letter, actor=kepala, via=INBOX)


def test_the_letter_is_prepared_from_the_template_with_the_request_data(desa, desa_operator):
    case = request_letter(desa)
    letter = services.prepare(case, actor=desa_operator, via=INBOX)
    assert "Nama : Siti Rahayu" in letter.body and "NIK : 3510015708900001" in letter.body
    assert "Yang bertanda tangan di bawah ini, Kepala Desa Kemiren, menerangkan" in letter.body
    assert "keperluan melamar pekerjaan" in letter.body
    assert letter.state == Letter.State.DRAFT and letter.masked_name == "S*** R*****"
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    edited = services.prepare(case, actor=desa_operator, via=INBOX, body="Isi yang diubah")
    assert edited.pk == letter.pk and edited.body == "Isi yang diubah"


def test_approval_numbers_signs_renders_and_delivers(desa, other_desa, desa_operator, kepala_desa):
    year = timezone.localtime().year
    first = signed_letter(request_letter(desa), desa_operator, kepala_desa)
    second = signed_letter(request_letter(desa), desa_operator, kepala_desa)
    assert first.number == f"474/001/429.501.01/{year}"
    assert second.number == f"474/002/429.501.01/{year}"
    other = signed_letter(
        request_letter(other_desa),
        testing.create_official("tono", unit=other_desa),
        testing.create_official("kades2", unit=other_desa, role=Official.Role.HEAD),
    )
    assert other.number == f"474/001/429.501.02/{year}"  # each desa its own sequence
    assert first.signer_name == "Slamet Riyadi" and first.signer_position == "Kepala Desa Kemiren"
    with first.pdf.open("rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == first.sha256
    assert len(first.verification_code) >= 20
    case = first.case
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    kinds = list(case.events.values_list("kind", flat=True))
    for kind in ("letter_prepared", "letter_sent_for_signature", "letter_signed", "resolved"):
        assert kind in kinds
    pdf = case.attachments.get(content_type="application/pdf")
    assert pdf.sha256 == first.sha256  # the citizen's copy is the signed file


def test_the_citizen_downloads_the_letter_from_the_private_link(
    client, desa, desa_operator, kepala_desa
):
    letter = signed_letter(request_letter(desa), desa_operator, kepala_desa)
    link = f"/k/{letter.case.access_token}/surat.pdf"
    answer = letter.case.messages.filter(direction="outbound", text__contains="Unduh lagi").get()
    assert link in answer.text and letter.verification_code in answer.text
    response = client.get(link)
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == letter.sha256
    services.revoke(letter, reason="Data palsu", actor=kepala_desa, via=INBOX)
    assert client.get(link).status_code == 404


def test_only_the_units_head_signs_and_other_units_cannot_touch_it(
    desa, desa_operator, kepala_desa, official_a
):
    case = request_letter(desa)
    with pytest.raises(PermissionDenied):
        services.prepare(case, actor=official_a, via=INBOX)
    letter = services.prepare(case, actor=desa_operator, via=INBOX)
    services.send_for_signature(letter, actor=desa_operator, via=INBOX)
    with pytest.raises(PermissionDenied):
        services.approve(letter, actor=desa_operator, via=INBOX)
    assert not Letter.objects.get(pk=letter.pk).number


def test_a_refused_letter_goes_back_with_its_reason_and_takes_no_number(
    desa, desa_operator, kepala_desa
):
    case = request_letter(desa)
    letter = services.prepare(case, actor=desa_operator, via=INBOX)
    services.send_for_signature(letter, actor=desa_operator, via=INBOX)
    with pytest.raises(services.LetterError, match="alasan"):
        services.reject(letter, reason=" ", actor=kepala_desa, via=INBOX)
    services.reject(letter, reason="Alamat tidak lengkap", actor=kepala_desa, via=INBOX)
    letter.refresh_from_db()
    assert letter.state == Letter.State.REJECTED and letter.seq is None
    event = case.events.get(kind="letter_rejected")
    assert event.data["reason"] == "Alamat tidak lengkap"
    with pytest.raises(services.LetterError):  # not waiting for a signature any more
        services.approve(letter, actor=kepala_desa, via=INBOX)
    again = services.prepare(case, actor=desa_operator, via=INBOX)
    services.send_for_signature(again, actor=desa_operator, via=INBOX)
    assert services.approve(again, actor=kepala_desa, via=INBOX).seq == 1


def test_a_correction_pauses_the_clock_and_corrected_data_is_checked(desa, desa_operator):
    case = request_letter(desa, nik="3510011708900001")
    services.ask_correction(
        case, text="NIK tidak sesuai KTP, mohon kirim ulang", actor=desa_operator, via=INBOX
    )
    case.refresh_from_db()
    assert case.status == Status.WAITING
    with pytest.raises(services.LetterError, match="NIK"):
        services.correct_details(case, values={"nik": "123"}, actor=desa_operator, via=INBOX)
    with pytest.raises(services.LetterError, match="tidak ada"):
        services.correct_details(case, values={"umur": "30"}, actor=desa_operator, via=INBOX)
    details = services.correct_details(
        case, values={"nik": "3510015708900001"}, actor=desa_operator, via=INBOX
    )
    assert details["nik"] == "3510015708900001"
    assert case.events.filter(kind="letter_details_corrected").exists()


def test_a_revoked_letter_says_so(desa, desa_operator, kepala_desa):
    letter = signed_letter(request_letter(desa), desa_operator, kepala_desa)
    services.revoke(letter, reason="Data palsu", actor=kepala_desa, via=INBOX)
    assert Letter.objects.get(pk=letter.pk).revoked
    with pytest.raises(services.LetterError):
        services.revoke(letter, reason="lagi", actor=kepala_desa, via=INBOX)
    assert letter.case.events.filter(kind="letter_revoked").exists()


def test_identity_photos_are_deleted_after_the_retention_time(
    settings, desa, desa_operator, kepala_desa
):
    settings.DESA_PHOTO_RETENTION_DAYS = 30
    case = request_letter(desa)
    photo = add_ktp_photo(case)
    path = photo.file.path
    case_services.add_attachment(  # the KK sent as a scanned PDF
        case,
        file=ContentFile(b"%PDF-1.4 scan of a KK", name="kk.pdf"),
        content_type="application/pdf",
        actor=None,
        via=Via.WHATSAPP,
    )
    letter = signed_letter(case, desa_operator, kepala_desa)
    assert services.delete_identity_photos(now=letter.issued_at + timedelta(days=29)) == 0
    assert services.delete_identity_photos(now=letter.issued_at + timedelta(days=31)) == 2
    assert not case.attachments.filter(content_type="image/jpeg").exists()
    assert list(case.attachments.values_list("sha256", flat=True)) == [letter.sha256]
    assert not os.path.exists(path)
    assert case.events.get(kind="identity_photos_deleted").data["count"] == 2
    assert services.delete_identity_photos(now=letter.issued_at + timedelta(days=60)) == 0


def test_the_scheduler_and_the_command_delete_expired_photos(desa, desa_operator, kepala_desa):
    case = request_letter(desa)
    add_ktp_photo(case)
    letter = signed_letter(case, desa_operator, kepala_desa)
    Letter.objects.filter(pk=letter.pk).update(issued_at=timezone.now() - timedelta(days=31))
    assert tasks.delete_expired_photos in EVERY_MINUTE
    out = io.StringIO()
    call_command("delete_letter_photos", stdout=out)
    assert "1 photos deleted (retention 30 days)" in out.getvalue()
    assert not case.attachments.filter(content_type="image/jpeg").exists()


@pytest.mark.django_db(transaction=True)
def test_two_signers_at_the_same_moment_get_consecutive_numbers(regency):
    # Two heads of one desa approve two letters at once, each on its own connection: the
    # row lock on the year's sequence gives 1 and 2, never the same number or a gap.
    desa = testing.create_unit("Desa Kemiren", kind=Unit.Kind.DESA, parent=regency, code="DS-K")
    catalogue.install(desa)
    operator = testing.create_official("dewi", unit=desa)
    heads = [
        testing.create_official(f"kades{i}", unit=desa, role=Official.Role.HEAD) for i in (1, 2)
    ]
    letters = []
    for _ in heads:
        letter = services.prepare(request_letter(desa), actor=operator, via=INBOX)
        letters.append(services.send_for_signature(letter, actor=operator, via=INBOX))
    # The year's row exists already (as after the year's first letter): creating it would
    # serialise the two on its unique index and hide a missing lock.
    LetterSequence.objects.create(unit=desa, year=timezone.localtime().year, last=0)
    start, errors = threading.Barrier(2), []

    def sign(letter, head):
        try:
            start.wait()
            services.approve(Letter.objects.get(pk=letter.pk), actor=head, via=INBOX)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=sign, args=pair) for pair in zip(letters, heads, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert sorted(Letter.objects.values_list("seq", flat=True)) == [1, 2]
    assert LetterSequence.objects.get(unit=desa).last == 2
