"""The camat's countersignature: for a service flagged so, the kepala desa's `setuju` is not
the end — the camat of the kecamatan above is told and signs (`setuju KODE` from their
number, or the inbox); only then the letter gets its number and goes out, and the PDF
shows both signatures. The camat may refuse; no other camat may sign; no number is taken
before the last signature."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases.models import Status, Via
from wadul.desa import services
from wadul.desa.models import Letter, LetterSequence, Service
from wadul.desa.tests.conftest import KEPALA_WA, awaiting_signature, pdf_text, told_to_sign
from wadul.organisation.models import Official, Unit
from wadul.whatsapp.relay import letters as commands

CAMAT_WA = "6281300003333"


@pytest.fixture
def camat(kecamatan) -> Official:
    return testing.create_official(
        "hadi",
        unit=kecamatan,
        role=Official.Role.HEAD,
        last_name="Purnomo",
        position="Camat Glagah",
        whatsapp_number=CAMAT_WA,
    )


@pytest.fixture
def pindah(desa) -> Service:
    service = Service.objects.get(unit=desa, code="pindah")
    service.needs_countersignature = True
    service.save(update_fields=["needs_countersignature"])
    return service


def test_the_camat_countersigns_from_whatsapp_and_the_pdf_shows_both(
    django_capture_on_commit_callbacks, client, desa, desa_operator, kepala_desa, camat, pindah
):
    testing.create_number(desa)
    with django_capture_on_commit_callbacks(execute=True):
        letter = awaiting_signature(desa, desa_operator, "pindah")
    assert told_to_sign(letter) == [KEPALA_WA]
    with django_capture_on_commit_callbacks(execute=True):
        reply = commands.handle(kepala_desa, f"setuju {letter.sign_code}")
    letter.refresh_from_db()
    assert "menunggu tanda tangan camat" in reply
    assert letter.state == Letter.State.AWAITING_CAMAT and letter.signer == kepala_desa
    assert letter.number == "" and not LetterSequence.objects.exists()  # no number yet
    assert letter.case.status != Status.RESOLVED
    assert told_to_sign(letter) == sorted([KEPALA_WA, CAMAT_WA])  # the camat is asked now
    # The kepala desa cannot sign twice.
    assert "bukan penandatangan" in commands.handle(kepala_desa, f"setuju {letter.sign_code}")

    reply = commands.handle(camat, f"setuju {letter.sign_code}")
    letter.refresh_from_db()
    assert letter.state == Letter.State.SIGNED and f"nomor {letter.number}" in reply
    assert (letter.signer, letter.countersigner) == (kepala_desa, camat)
    assert letter.countersigner_position == "Camat Glagah"
    letter.case.refresh_from_db()
    assert letter.case.status == Status.RESOLVED
    with letter.pdf.open("rb") as file:
        drawn = pdf_text(file.read())
    assert "Kepala Desa Kemiren" in drawn and "Slamet Riyadi" in drawn
    assert "Mengetahui," in drawn and "Camat Glagah" in drawn and "Hadi Purnomo" in drawn
    kinds = list(letter.case.events.values_list("kind", flat=True))
    assert "letter_signed_by_head" in kinds and "letter_signed" in kinds
    page = client.get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert "Mengetahui" in page and "Hadi Purnomo, Camat Glagah" in page


def test_only_the_camat_above_signs_and_may_refuse(
    regency, desa, desa_operator, kepala_desa, camat, pindah
):
    letter = awaiting_signature(desa, desa_operator, "pindah")
    assert "bukan penandatangan" in commands.handle(camat, f"setuju {letter.sign_code}")
    commands.handle(kepala_desa, f"setuju {letter.sign_code}")
    other = testing.create_unit(
        "Kecamatan Giri", kind=Unit.Kind.KECAMATAN, parent=regency, code="KEC-GIRI"
    )
    other_camat = testing.create_official("camat2", unit=other, role=Official.Role.HEAD)
    assert "bukan penandatangan" in commands.handle(other_camat, f"setuju {letter.sign_code}")
    reply = commands.handle(camat, f"tolak {letter.sign_code} Alamat tujuan pindah tidak jelas")
    letter.refresh_from_db()
    assert "dikembalikan" in reply and letter.state == Letter.State.REJECTED
    assert letter.rejection_reason == "Alamat tujuan pindah tidak jelas"
    assert not LetterSequence.objects.exists()


def test_the_camat_countersigns_from_the_inbox(
    client, desa, desa_operator, kepala_desa, camat, pindah
):
    letter = awaiting_signature(desa, desa_operator, "pindah")
    services.approve(letter, actor=kepala_desa, via=Via.INBOX)
    url = f"/inbox/kasus/{letter.case.tracking_number}/"
    testing.login(client, camat)
    page = client.get(url).content.decode()
    assert "Menunggu tanda tangan camat" in page and "Setujui dan tanda tangani" in page
    client.post(url + "surat/", {"action": "approve"})
    letter.refresh_from_db()
    assert letter.state == Letter.State.SIGNED and letter.countersigner == camat
    assert letter.case.events.get(kind="letter_signed").via == Via.INBOX
