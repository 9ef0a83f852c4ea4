"""Adversarial inputs for the masking rules: nothing personal may survive."""

from __future__ import annotations

import re

import pytest

from wadul.portal.masking import EMAIL, NAME, NIK, PHONE, Masker, mask, name_terms

PHONES = [
    "+62 812-3456-7890",
    "+6281234567890",
    "6281234567890",
    "62.812.3456.7890",
    "0812 3456 7890",
    "0812-3456-7890",
    "0812.3456.7890",
    "081234567890",
    "0812\n3456\n7890",
    "0 8 1 2 3 4 5 6 7 8 9 0",
    "(0812) 3456 7890",
    "812 3456 7890",
    "62 812 3456 789",
    "0333 421234",
    "(0333) 421-234",
    "+62 333 421234",
    "+62 31 5551234",
    "0812–3456–7890",
    "0812—3456—7890",
    "0812_3456_7890",
    "０８１２ ３４５６ ７８９０",
    "08.12.34.56.78.90",
]


@pytest.mark.parametrize("number", PHONES)
def test_phone_numbers_in_every_form_are_masked(number):
    text = f"Tolong hubungi saya di {number} ya pak."
    masked = mask(text)
    assert PHONE in masked
    assert not re.search(r"\d{3}", masked), masked


@pytest.mark.parametrize(
    "nik",
    [
        "3510012345678901",
        "3510 0123 4567 8901",
        "3510.0123.4567.8901",
        "3510-0123-4567-8901",
        "3510–0123–4567–8901",
        "3510_0123_4567_8901",
        "351001\n234567\n8901",
        "3510 01\n2345 678901",
        "3 5 1 0 0 1 2 3 4 5 6 7 8 9 0 1",
    ],
)
def test_nik_in_any_grouping_is_masked(nik):
    masked = mask(f"NIK saya {nik}, KTP asli Banyuwangi")
    assert NIK in masked
    assert not re.search(r"\d{2}", masked), masked


@pytest.mark.parametrize(
    "address",
    [
        "siti.rahayu@gmail.com",
        "SITI_R+aduan@mail.banyuwangikab.go.id",
        "siti @ gmail . com",
        "siti(at)gmail(dot)com",
        "siti [at] yahoo [dot] co [dot] id",
    ],
)
def test_email_addresses_are_masked(address):
    masked = mask(f"email: {address} terima kasih")
    assert EMAIL in masked
    assert "siti" not in masked.lower()
    assert "gmail" not in masked.lower() and "yahoo" not in masked.lower()


def test_an_address_at_the_end_of_a_sentence_keeps_the_next_word():
    masked = mask("email siti@gmail.com. Jembatan retak, juga siti @ gmail . com ya")
    assert masked == f"email {EMAIL}. Jembatan retak, juga {EMAIL} ya"


def test_a_phone_glued_to_a_house_number_is_still_found():
    masked = mask("rumah No. 12 0812 3456 7890 depan masjid")
    assert "12" in masked and PHONE in masked and "3456" not in masked


def test_two_numbers_side_by_side_are_both_masked():
    masked = mask("081234567890 081298765432")
    assert masked.count(PHONE) == 2


def test_a_nik_and_a_phone_in_one_run_are_both_masked():
    masked = mask("3510012345678901 081234567890")
    assert NIK in masked and PHONE in masked and not re.search(r"\d", masked)


def test_dates_amounts_and_short_numbers_are_kept():
    text = "Sejak 12-08-2024 jam 10.30, RT 02 RW 05, biaya Rp 1.500.000, no. 17"
    assert mask(text) == text


def test_a_date_and_a_time_are_not_taken_for_a_phone():
    for text in ("sejak 08.12.24 10.30", "sejak 08-12-2024 jam 10.30", "08.12.2024 10.30 WIB"):
        assert mask(text) == text


def test_a_date_followed_by_a_phone_masks_only_the_phone():
    masked = mask("tanggal 08-12-2024 081234567890")
    assert masked == f"tanggal 08-12-2024 {PHONE}"


def test_the_reporters_name_and_its_parts_are_masked():
    masker = Masker(name_terms("Siti Rahayu"))
    masked = masker("Saya SITI rahayu, warga Kemiren. Suami bu Siti juga lapor; Rahayu.")
    assert "siti" not in masked.lower() and "rahayu" not in masked.lower()
    assert NAME in masked and "Kemiren" in masked


def test_a_name_split_across_lines_is_masked():
    assert mask("Pelapor: Siti\nRahayu", name_terms("Siti Rahayu")) == f"Pelapor: {NAME}"


def test_honorifics_in_a_profile_name_are_not_masked_everywhere():
    terms = name_terms("Pak Budi")
    assert "Budi" in terms and "Pak" not in terms
    assert mask("Pak Camat sudah tahu, kata Budi", terms) == f"Pak Camat sudah tahu, kata {NAME}"


def test_names_are_matched_as_whole_words_only():
    assert mask("Anita datang", name_terms("Ani")) == "Anita datang"


def test_operator_terms_with_regex_characters_are_literal():
    assert mask("Kata Pak R.T. (Ujang)* kemarin", ["(Ujang)*"]) == f"Kata Pak R.T. {NAME} kemarin"


def test_empty_text_is_empty():
    assert mask(None) == "" and mask("") == ""


def test_sixteen_digits_that_cannot_be_a_nik_are_not_taken_for_one():
    # 20… is no province code: the year stays, the phone after it is masked.
    assert mask("2024 081234567890") == f"2024 {PHONE}"
