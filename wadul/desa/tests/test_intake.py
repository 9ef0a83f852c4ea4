"""Asking for a letter in a conversation (over the conversation core's test channel): the
desa's own services in the menu, one question at a time from the chosen service, checked
answers, photos, a summary to confirm, `batal`; the tracking number and the target time at
once."""

from __future__ import annotations

import pytest

from wadul.cases.models import Case
from wadul.conversation.tests.channel import PigeonChannel


@pytest.fixture
def desa_pigeon(desa):
    channel = PigeonChannel(unit=desa)
    channel.register()
    yield channel
    channel.unregister()


def ask_domisili(pigeon, citizen, *, stop_before_confirming=False):
    pigeon.receive(citizen, reply_id="kind:village_letter")
    pigeon.receive(citizen, reply_id="answer:domisili")
    for answer in (
        "Siti Rahayu",
        "3510015708900001",
        "3510010101100002",
        "Dusun Krajan RT 01/RW 02",
        "melamar pekerjaan",
    ):
        pigeon.receive(citizen, answer)
    pigeon.receive(citizen, has_file=True, form="image")  # KTP
    pigeon.receive(citizen, has_file=True, form="image")  # KK
    if stop_before_confirming:
        return None
    return pigeon.receive(citizen, "ya")


def test_the_menu_offers_letters_only_where_a_catalogue_exists(desa_pigeon, unit_a, citizen):
    desa_pigeon.receive(citizen, "Halo")
    ids = [choice.id for choice in desa_pigeon.last().notice.choices]
    assert "kind:village_letter" in ids
    desa_pigeon.unit = unit_a  # Dinas PU's number: no letters there
    desa_pigeon.receive(citizen, "Halo")
    assert "kind:village_letter" not in [c.id for c in desa_pigeon.last().notice.choices]


def test_a_domisili_request_one_question_at_a_time(desa_pigeon, citizen):
    started = desa_pigeon.receive(citizen, reply_id="kind:village_letter")
    assert started.outcome == "intake_started"
    services = [choice.title for choice in desa_pigeon.last().notice.choices]
    assert len(services) == 8 and "Surat Pengantar SKCK" in services
    assert desa_pigeon.receive(citizen, "surat sakti").outcome == "intake_invalid"
    assert "Pilih salah satu" in desa_pigeon.last().text  # a service the desa does not offer
    desa_pigeon.receive(citizen, reply_id="answer:domisili")
    assert "Nama lengkap" in desa_pigeon.last().text
    desa_pigeon.receive(citizen, "Siti Rahayu")
    assert "NIK" in desa_pigeon.last().text
    wrong = desa_pigeon.receive(citizen, "3510013102900001")  # 31 February
    assert wrong.outcome == "intake_invalid"
    assert "tanggal lahir di dalam NIK" in desa_pigeon.last().text
    for answer in ("3510015708900001", "3510010101100002", "Dusun Krajan", "melamar kerja"):
        desa_pigeon.receive(citizen, answer)
    assert "Foto KTP" in desa_pigeon.last().text
    assert desa_pigeon.receive(citizen, "sudah").outcome == "intake_invalid"  # words, no photo
    desa_pigeon.receive(citizen, has_file=True, form="image")
    assert "Foto Kartu Keluarga" in desa_pigeon.last().text
    desa_pigeon.receive(citizen, has_file=True, form="image")
    summary = desa_pigeon.last().text
    assert "Siti Rahayu" in summary and "Gratis" in summary and "8 jam kerja" in summary
    opened = desa_pigeon.receive(citizen, "ya")
    case = opened.case
    assert opened.outcome == "opened" and case.type == "village_letter"
    assert case.details["layanan"] == "domisili" and case.details["nik"] == "3510015708900001"
    texts = [sent.text for sent in desa_pigeon.sent[-3:]]
    assert any(case.tracking_number in text for text in texts)
    assert any("Target selesai: 8 jam kerja" in text for text in texts)


def test_batal_stops_and_nothing_is_opened(desa_pigeon, citizen):
    ask_domisili(desa_pigeon, citizen, stop_before_confirming=True)
    assert desa_pigeon.receive(citizen, "batal").outcome == "intake_cancelled"
    assert not Case.objects.filter(type="village_letter").exists()


def test_intent_starts_the_letter_intake(desa_pigeon, citizen):
    started = desa_pigeon.receive(citizen, "Saya mau minta surat keterangan domisili")
    assert started.outcome == "intake_started"
    assert "Surat apa" in desa_pigeon.last().text
