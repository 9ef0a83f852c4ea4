"""The signer's WhatsApp commands (`setuju KODE`, `tolak KODE alasan`) as the relay carries
them out: only the unit's head signs, a refusal needs its reason, an unknown code is said so.
(The whole path over the simulator: wadul/whatsapp/tests/test_village_letter_over_whatsapp.py.)"""

from __future__ import annotations

from wadul import testing
from wadul.cases.models import Via
from wadul.desa import services
from wadul.desa.models import Letter
from wadul.desa.tests.conftest import request_letter
from wadul.organisation.models import Official
from wadul.whatsapp.relay import letters as commands


def awaiting(desa, operator) -> Letter:
    letter = services.prepare(request_letter(desa), actor=operator, via=Via.INBOX)
    return services.send_for_signature(letter, actor=operator, via=Via.INBOX)


def test_setuju_signs_and_tolak_refuses_with_a_reason(desa, desa_operator, kepala_desa):
    first, second = awaiting(desa, desa_operator), awaiting(desa, desa_operator)
    assert commands.is_sign_command(f"Setuju {first.sign_code.lower()}")
    reply = commands.handle(kepala_desa, f"Setuju {first.sign_code.lower()}")
    first.refresh_from_db()
    assert first.state == Letter.State.SIGNED and f"nomor {first.number}" in reply
    assert first.case.events.get(kind="letter_signed").via == Via.RELAY

    assert "alasan" in commands.handle(kepala_desa, f"tolak {second.sign_code}")
    reply = commands.handle(kepala_desa, f"tolak {second.sign_code} NIK tidak cocok dengan KK")
    second.refresh_from_db()
    assert second.state == Letter.State.REJECTED and "dikembalikan" in reply
    assert second.rejection_reason == "NIK tidak cocok dengan KK"
    again = commands.handle(kepala_desa, f"setuju {second.sign_code}")
    assert "Surat ini ditolak penandatangan" in again  # not waiting for a signature


def test_only_the_units_head_may_sign(desa, other_desa, desa_operator, kepala_desa):
    letter = awaiting(desa, desa_operator)
    assert "bukan penandatangan" in commands.handle(desa_operator, f"setuju {letter.sign_code}")
    other_head = testing.create_official("kades2", unit=other_desa, role=Official.Role.HEAD)
    assert "bukan penandatangan" in commands.handle(other_head, f"setuju {letter.sign_code}")
    assert Letter.objects.get(pk=letter.pk).state == Letter.State.AWAITING_SIGNATURE
    assert "tidak ditemukan" in commands.handle(kepala_desa, "setuju ZZZZZZ")
    assert "Tulis kode surat" in commands.handle(kepala_desa, "setuju")
    assert not commands.is_sign_command("setujunya nanti ya")
