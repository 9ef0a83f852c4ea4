"""Kecamatan and desa names in free text, with spelling variants."""

from __future__ import annotations

import pytest

from wadul.routing.places import find_place


@pytest.mark.parametrize(
    "text, code",
    [
        ("jalan di Genteng Kulon rusak", "35.10.09.2003"),
        ("pak tolong jln di gentengkulon rusak parah", "35.10.09.2003"),
        ("lampu mati di Gentengkulon", "35.10.09.2003"),
        ("banjir di genteng wetan", "35.10.09.2002"),
        ("sampah di Bagorejo numpuk", "35.10.08.2001"),  # a real desa in Srono
        ("sampah di Bangorejo numpuk", "35.10.02.2004"),  # desa in Kec. Bangorejo
        ("jalan di Bangorjo rusak", "35.10.02.2004"),  # a typo: nearest name
        ("dalan nang Kemirenn rusak", "35.10.15.2004"),
        ("PJU mati di Kec. Srono", "35.10.08"),
        ("desa Sumbersari kecamatan Srono", "35.10.08.2005"),
        ("longsor di Licin", "35.10.24.2003"),
    ],
)
def test_it_finds_the_place_whatever_the_spelling(regions, text, code):
    place = find_place(text)
    assert place is not None, text
    assert place.region.code == code


def test_exact_names_beat_near_misses(regions):
    assert find_place("di Bagorejo").score == 100
    assert find_place("di Bangorjo").score < 100


def test_everyday_words_that_are_also_names_need_a_place_word(regions):
    assert find_place("jalannya licin sekali kalau hujan") is None
    assert find_place("pemkab banyuwangi tolong perhatikan") is None


def test_the_kecamatan_of_a_desa_comes_with_it(regions):
    place = find_place("jalan di Kemiren")
    assert place.desa.name == "Kemiren"
    assert place.kecamatan.name == "Glagah"
