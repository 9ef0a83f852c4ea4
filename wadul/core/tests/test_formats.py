"""One way to write durations, numbers, open-data times and shortened titles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import translation

from wadul.core import formats


def test_durations_read_the_same_everywhere_in_indonesian():
    with translation.override("id"):
        assert formats.duration(20) == "20 menit"
        assert formats.duration(66 * 60) == "2 hari 18 jam"
        assert formats.duration(timedelta(days=1, hours=21, minutes=5)) == "1 hari 21 jam"
        assert formats.duration(125) == "2 jam 5 menit"
        assert formats.duration(120) == "2 jam"
        assert formats.duration(0.4) == "0 menit"
        assert formats.duration(None) == "—"
    with translation.override("en"):
        assert formats.duration(61) == "1 hour 1 minute"


def test_numbers_follow_the_language():
    with translation.override("id"):
        assert formats.number(4.25, 1) == "4,3"
        assert formats.number(1234) == "1.234"
        assert formats.percent(0.875) == "88%"
    with translation.override("en"):
        assert formats.number(1234.5, 1) == "1,234.5"


def test_open_data_times_carry_the_jakarta_offset():
    utc = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
    assert formats.iso_local(utc) == "2026-12-07T09:30:00+07:00"
    assert formats.iso_local(None) is None


def test_titles_are_shortened_at_a_word_boundary():
    text = "Jalan depan SD Kemiren berlubang parah, sudah dua bulan"
    assert formats.shorten(text, 30) == "Jalan depan SD Kemiren…"
    assert formats.shorten(text, 200) == text
    assert formats.shorten("Supercalifragilistic", 10) == "Supercali…"
    assert len(formats.shorten(text, 30)) <= 30
