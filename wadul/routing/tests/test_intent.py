"""The first stage: what kind of request a message is (no database, no model)."""

from __future__ import annotations

import pytest

from wadul.routing.intent import INTENT_CONFIDENCE, Intent, classify_intent, settle_spam


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Lampu PJU mati di depan balai desa Rogojampi", Intent.COMPLAINT),
        ("Usul min, mohon dibangun taman bermain di dusun kami", Intent.COMPLAINT),
        ("Permohonan informasi: salinan DPA Dinas PU tahun 2025", Intent.INFORMATION_REQUEST),
        ("Sesuai UU 14/2008 saya meminta data realisasi anggaran", Intent.INFORMATION_REQUEST),
        ("Saya mau minta surat keterangan domisili", Intent.VILLAGE_LETTER),
        ("cara buat SKTM di desa gimana", Intent.VILLAGE_LETTER),
        ("mau bikin pengantar SKCK", Intent.VILLAGE_LETTER),
        ("tolong hapus data saya", Intent.PERSONAL_DATA),
        ("data pribadi saya disimpan untuk apa saja?", Intent.PERSONAL_DATA),
        ("laporan saya sudah sampai mana ya?", Intent.STATUS),
        ("status K7PM-2XRQ?", Intent.STATUS),
        ("Halo min, selamat pagi!", Intent.GREETING),
        ("p", Intent.GREETING),
        ("makasih pak", Intent.GREETING),
        ("SLOT GACOR maxwin hari ini klik link http://bit.ly/x", Intent.SPAM),
        ("promo pinjol cair cepat tanpa jaminan hubungi kami", Intent.SPAM),
    ],
)
def test_each_request_kind_is_recognised_surely_with_its_cues(text, kind):
    decision = classify_intent(text)
    assert decision.kind == kind
    assert decision.confidence >= INTENT_CONFIDENCE
    assert decision.reasons and decision.reasons[0].startswith(str(Intent(kind).label))


def test_a_greeting_before_a_complaint_does_not_make_it_small_talk():
    decision = classify_intent("selamat pagi pak, jalan di depan SD Kemiren berlubang parah")
    assert decision.kind == Intent.COMPLAINT and decision.is_sure


def test_doubled_words_are_not_tracking_numbers():
    # "ANAK-ANAK" is eight letters of the tracking alphabet around a hyphen.
    assert classify_intent("Toilet SD tidak ada air, anak-anak menahan").kind == Intent.COMPLAINT


def test_a_message_without_any_cue_is_a_complaint_but_not_a_sure_one():
    decision = classify_intent("Kemarin sore")
    assert decision.kind == Intent.COMPLAINT
    assert not decision.is_sure


@pytest.mark.parametrize(
    "title",
    [
        "Bising musik kafe tiap malam",
        "Kos bebas tanpa izin",
        "Gangguan ketertiban dari warung remang-remang",
        "Tanggul jebol",
        "Judi online merajalela di kalangan pelajar desa kami",
        "Parkir liar depan pasar",
    ],
)
def test_short_real_style_complaint_titles_are_complaints_not_spam(title):
    decision = classify_intent(title)
    assert decision.kind == Intent.COMPLAINT
    assert decision.complaint_evidence > 0


def test_spam_from_the_classifier_gives_way_when_the_text_names_a_problem():
    ranked = [("spam", 0.70), ("water_irrigation", 0.20), ("disaster", 0.10)]
    label, confidence, why = settle_spam(ranked, classify_intent("Tanggul jebol"))
    assert (label, confidence) == ("water_irrigation", 0.20)
    assert why.startswith("bukan spam") and "jebol" in why


def test_spam_from_the_classifier_gives_way_when_the_text_names_a_place():
    ranked = [("spam", 0.80), ("disaster", 0.15)]
    intent = classify_intent("Kemiren dikelilingi tebing")
    assert intent.complaint_evidence == 0  # no word of a problem or a service
    assert settle_spam(ranked, intent)[0] == "spam"
    label, _confidence, why = settle_spam(ranked, intent, place="Kemiren")
    assert label == "disaster" and "Kemiren" in why


def test_spam_stays_spam_without_any_complaint_evidence():
    ranked = [("spam", 0.95), ("roads", 0.05)]
    intent = classify_intent("slot gacor maxwin daftar sekarang")
    assert settle_spam(ranked, intent) == ("spam", 0.95, None)
