"""Likely duplicates: found on routing, shown to the operator, merged on request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wadul import testing
from wadul.cases import services as case_services
from wadul.cases.models import Message, Status, Via
from wadul.routing.models import DuplicateSuggestion
from wadul.routing.services import (
    dismiss_duplicate,
    duplicate_candidates,
    merge_duplicate,
    route_case,
)

FIRST = "Jalan depan SD Kemiren berlubang parah, sudah 2 bulan belum diperbaiki"
AGAIN = "jln depan SD kemiren berlubang besar pak, tolong diperbaiki"


@pytest.fixture
def ready(model, units, regions):
    return units


def triage_case(text: str, **fields):
    case = testing.create_case(unit=None, text=text, **fields)
    route_case(case)
    case.refresh_from_db()
    return case


def test_a_similar_case_in_the_same_desa_is_suggested(ready):
    first = triage_case(FIRST)
    again = triage_case(AGAIN)
    [suggestion] = duplicate_candidates(again)
    assert suggestion.candidate == first
    assert suggestion.score >= 0.45
    assert "Kemiren" in suggestion.reasons["place"]
    assert duplicate_candidates(first) == []  # the older one is the survivor


def test_different_matters_or_places_or_old_cases_are_not_suggested(ready, regions):
    triage_case("Lampu PJU di Kemiren mati sudah seminggu")
    triage_case("Jalan di Genteng Kulon berlubang parah, sudah 2 bulan belum diperbaiki")
    old = testing.create_case(unit=None, text=FIRST, region=regions["desa Kemiren"])
    old.created_at = timezone.now() - timedelta(days=60)
    old.save()
    again = triage_case(AGAIN)
    assert duplicate_candidates(again) == []


def test_a_pin_within_the_radius_counts_as_the_same_place(ready):
    first = triage_case("Pohon besar tumbang menutup jalan kampung", latitude=-8.2, longitude=114.3)
    near = triage_case(
        "pohon tumbang menutup jalan kampung, tolong", latitude=-8.2015, longitude=114.3
    )
    far = triage_case("pohon tumbang menutup jalan kampung, tolong", latitude=-8.3, longitude=114.3)
    assert [s.candidate for s in duplicate_candidates(near)] == [first]
    assert duplicate_candidates(far) == []


def test_merging_makes_the_citizen_follow_the_surviving_case(ready, operator, official_a):
    first = triage_case(FIRST)
    again = triage_case(AGAIN)
    [suggestion] = duplicate_candidates(again)
    merge_duplicate(suggestion, actor=operator, via=Via.ADMIN)
    again.refresh_from_db()
    assert again.status == Status.MERGED and again.duplicate_of == first
    assert DuplicateSuggestion.objects.get(pk=suggestion.pk).state == "merged"

    case_services.answer(
        first, text="Sudah dijadwalkan penambalan.", actor=official_a, via=Via.INBOX
    )
    copy = again.messages.get(direction=Message.Direction.OUTBOUND)
    assert copy.text == "Sudah dijadwalkan penambalan."
    assert copy.author == official_a
    again.refresh_from_db()
    assert again.status == Status.MERGED  # the copy changes nothing else


def test_an_operator_can_dismiss_a_suggestion(ready, operator):
    triage_case(FIRST)
    again = triage_case(AGAIN)
    [suggestion] = duplicate_candidates(again)
    dismiss_duplicate(suggestion, actor=operator)
    assert duplicate_candidates(again) == []
