"""Runs on whichever database the suite uses: SQLite FTS5 by default, PostgreSQL in CI."""

from __future__ import annotations

from django.db import connection

from wadul import testing
from wadul.cases import access, services
from wadul.cases.models import Case, Via
from wadul.inbox import search
from wadul.inbox.models import CaseSearch

login = testing.login


def found(official, text) -> set[str]:
    return set(
        search.filter_cases(access.visible_cases(official), text).values_list(
            "tracking_number", flat=True
        )
    )


def test_finds_words_of_the_first_message_and_later_ones(official_a, unit_a):
    case = testing.create_case(unit=unit_a, text="Jembatan bambu di Kemiren hampir roboh")
    other = testing.create_case(unit=unit_a, text="Lampu jalan mati")
    services.answer(case, text="Tim akan meninjau lokasi", actor=official_a, via=Via.INBOX)
    services.receive_message(case, text="Ditunggu, fotonya sudah saya kirim")
    assert found(official_a, "jembatan") == {case.tracking_number}
    assert found(official_a, "meninjau lokasi") == {case.tracking_number}
    assert found(official_a, "fotonya") == {case.tracking_number}
    assert other.tracking_number in found(official_a, "lampu")


def test_all_words_must_match(official_a, unit_a):
    testing.create_case(unit=unit_a, text="Jalan berlubang di Genteng")
    assert found(official_a, "jalan rogojampi") == set()


def test_search_stays_inside_the_officials_scope(official_a, unit_a, unit_b):
    mine = testing.create_case(unit=unit_a, text="Sampah menumpuk di pasar")
    theirs = testing.create_case(unit=unit_b, text="Sampah menumpuk di puskesmas")
    assert found(official_a, "sampah") == {mine.tracking_number}
    assert theirs.tracking_number not in found(official_a, "sampah")


def test_tracking_number_and_odd_input(official_a, case_a):
    assert found(official_a, case_a.tracking_number.lower()) == {case_a.tracking_number}
    assert found(official_a, '"(*) AND OR NEAR') == set()
    assert found(official_a, "***") == set()


def test_indonesian_stemming_on_postgresql(official_a, unit_a):
    case = testing.create_case(unit=unit_a, text="Mohon perbaikan saluran air")
    expected = {case.tracking_number}
    if connection.vendor == "postgresql":
        # The Indonesian snowball stemmer reduces "perbaikan" and "diperbaiki" to one stem.
        assert found(official_a, "diperbaiki") == expected
    else:
        assert found(official_a, "perbaik") == expected  # FTS5: prefix match


def test_search_from_the_list_page(client, official_a, unit_a):
    case = testing.create_case(unit=unit_a, text="Pohon tumbang menutup jalan")
    testing.create_case(unit=unit_a, text="Lampu mati")
    login(client, official_a)
    html = client.get("/inbox/?antrian=all&q=pohon+tumbang").content.decode()
    assert case.tracking_number in html and html.count('class="tn"') == 1


def test_rebuild_recreates_a_document(official_a, case_a):
    CaseSearch.objects.filter(case=case_a).delete()
    assert found(official_a, "berlubang") == set()
    search.rebuild(Case.objects.get(pk=case_a.pk))
    assert found(official_a, "berlubang") == {case_a.tracking_number}
