from __future__ import annotations

from wadul.routing.normalise import normalise


def test_it_expands_informal_spellings_and_javanese_function_words():
    assert normalise("jln rusak gak diperbaiki, yg bener dong") == (
        "jalan rusak tidak diperbaiki yang bener dong"
    )
    assert normalise("lampune mati wis sewulan, mboten wonten") == (
        "lampu mati sudah sebulan tidak ada"
    )


def test_it_squeezes_repeated_letters_and_spells_out_reduplication():
    assert normalise("tolooong bgttt anak2 sekolah") == "tolong sangat anak anak sekolah"


def test_it_explains_abbreviations_and_hides_phone_numbers():
    assert normalise("PJU mati, hub 0812-3456-7890") == (
        "pju penerangan jalan umum mati hub nomortelepon"
    )


def test_it_maps_everyday_javanese_words_to_indonesian():
    assert normalise("uwuh numpuk nang ngarep omah, laler akeh") == (
        "sampah numpuk di depan rumah lalat banyak"
    )
    assert normalise("pegawe njaluk duit, lampu dalan ora murup") == (
        "pegawai minta uang lampu jalan tidak menyala"
    )


def test_question_and_exclamation_marks_are_words_for_the_classifier_only():
    assert normalise("izin usaha syaratnya apa??") == "izin usaha syaratnya apa"
    assert normalise("izin usaha syaratnya apa??", marks=True) == "izin usaha syaratnya apa qmark"
    assert normalise("tolong!!! kebakaran", marks=True) == "tolong xmark kebakaran"
    assert normalise("cek https://x.id/a?b=1 ya", marks=True) == "cek tautan ya"
