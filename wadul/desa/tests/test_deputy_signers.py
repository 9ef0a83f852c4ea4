"""Deputy signers: where the catalogue names the sekretaris desa (a.n., on the kepala desa's
behalf), the unit's official whose position is sekretaris signs — from WhatsApp and from the
inbox — is told a letter waits, and the letter shows "a.n. Kepala Desa …" above their name.
Elsewhere only the head signs; the head may always sign their unit's letters."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases.models import Via
from wadul.desa import services
from wadul.desa.models import Letter, Service, Signer
from wadul.desa.tests.conftest import KEPALA_WA, awaiting_signature, pdf_text, told_to_sign
from wadul.organisation.models import Official
from wadul.whatsapp.relay import letters as commands

SEKDES_WA = "6281300002222"


@pytest.fixture
def sekdes(desa) -> Official:
    return testing.create_official(
        "wulan",
        unit=desa,
        last_name="Sari",
        position="Sekretaris Desa Kemiren",
        whatsapp_number=SEKDES_WA,
    )


@pytest.fixture
def sktm_by_sekdes(desa) -> Service:
    service = Service.objects.get(unit=desa, code="sktm")
    service.signer = Signer.SEKRETARIS
    service.save(update_fields=["signer"])
    return service


def test_the_sekretaris_signs_from_whatsapp_on_behalf_of_the_kepala_desa(
    desa, desa_operator, kepala_desa, sekdes, sktm_by_sekdes
):
    letter = awaiting_signature(desa, desa_operator, "sktm")
    reply = commands.handle(sekdes, f"setuju {letter.sign_code}")
    letter.refresh_from_db()
    assert letter.state == Letter.State.SIGNED and f"nomor {letter.number}" in reply
    assert letter.signer == sekdes and letter.signer_name == "Wulan Sari"
    assert letter.signer_position == "a.n. Kepala Desa Kemiren\nSekretaris Desa Kemiren"
    with letter.pdf.open("rb") as file:
        drawn = pdf_text(file.read())
    assert "a.n. Kepala Desa Kemiren" in drawn and "Sekretaris Desa Kemiren" in drawn
    assert "Wulan Sari" in drawn


def test_the_sekretaris_signs_only_what_the_catalogue_gives_them(
    desa, other_desa, desa_operator, kepala_desa, sekdes, sktm_by_sekdes
):
    domisili = awaiting_signature(desa, desa_operator, "domisili")  # the kepala desa's
    assert "bukan penandatangan" in commands.handle(sekdes, f"setuju {domisili.sign_code}")
    sktm = awaiting_signature(desa, desa_operator, "sktm")
    # Neither the operator nor the sekretaris of another desa is a deputy here.
    assert "bukan penandatangan" in commands.handle(desa_operator, f"setuju {sktm.sign_code}")
    elsewhere = testing.create_official(
        "sekdes2", unit=other_desa, position="Sekretaris Desa Olehsari"
    )
    assert not services.can_sign(elsewhere, sktm)
    # The head may still sign a letter the sekretaris could.
    commands.handle(kepala_desa, f"setuju {sktm.sign_code}")
    sktm.refresh_from_db()
    assert sktm.state == Letter.State.SIGNED and sktm.signer_position == "Kepala Desa Kemiren"
    assert Letter.objects.get(pk=domisili.pk).state == Letter.State.AWAITING_SIGNATURE


def test_the_sekretaris_signs_from_the_inbox(client, desa, desa_operator, sekdes, sktm_by_sekdes):
    letter = awaiting_signature(desa, desa_operator, "sktm")
    url = f"/inbox/kasus/{letter.case.tracking_number}/"
    testing.login(client, sekdes)
    assert "Setujui dan tanda tangani" in client.get(url).content.decode()
    client.post(url + "surat/", {"action": "approve"})
    letter.refresh_from_db()
    assert letter.state == Letter.State.SIGNED and letter.signer == sekdes
    assert letter.case.events.get(kind="letter_signed").via == Via.INBOX


def test_the_sekretaris_is_told_on_whatsapp_that_a_letter_waits(
    django_capture_on_commit_callbacks, desa, desa_operator, kepala_desa, sekdes, sktm_by_sekdes
):
    testing.create_number(desa)
    with django_capture_on_commit_callbacks(execute=True):
        letter = awaiting_signature(desa, desa_operator, "sktm")
    assert told_to_sign(letter) == sorted([SEKDES_WA, KEPALA_WA])
    with django_capture_on_commit_callbacks(execute=True):
        domisili = awaiting_signature(desa, desa_operator, "domisili")
    assert told_to_sign(domisili) == [KEPALA_WA]
