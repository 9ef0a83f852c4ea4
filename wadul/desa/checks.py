"""The checks of a service's data fields: what a citizen types, turned into the stored value
or refused with what to fix (in Indonesian, as the citizen reads it)."""

from __future__ import annotations

import re
from datetime import date

from wadul.cases.kinds import InvalidAnswer

DIGITS_16 = re.compile(r"^\d{16}$")
DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def nik(text: str) -> str:
    """A NIK: 16 digits, a province code, and a date of birth in digits 7–12 (DDMMYY; a
    woman's day has 40 added) that exists."""
    value = re.sub(r"[\s.-]", "", text)
    if not DIGITS_16.match(value):
        raise InvalidAnswer("NIK harus 16 angka, seperti tertulis di KTP.")
    if value[:2] < "11" or value[:2] > "96":
        raise InvalidAnswer("NIK tidak sah: dua angka pertama bukan kode provinsi.")
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    today = date.today()
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        date(century + year, month, day)
    except ValueError:
        raise InvalidAnswer(
            "NIK tidak sah: tanggal lahir di dalam NIK (angka ke-7 sampai ke-12) tidak mungkin."
        ) from None
    return value


def kk(text: str) -> str:
    """A family card (KK) number: 16 digits."""
    value = re.sub(r"[\s.-]", "", text)
    if not DIGITS_16.match(value) or value[:2] < "11":
        raise InvalidAnswer("Nomor KK harus 16 angka, seperti tertulis di Kartu Keluarga.")
    return value


def a_date(text: str) -> str:
    """A date written day-month-year, stored as ISO."""
    match = DATE.match(text.strip())
    try:
        return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except (TypeError, ValueError):
        raise InvalidAnswer("Tanggal tidak dikenali; tulis seperti 17-08-1990.") from None


def text(value: str) -> str:
    value = " ".join(value.split())
    if len(value) < 2:
        raise InvalidAnswer("Jawaban terlalu pendek.")
    return value[:500]


CHECKS = {"nik": nik, "kk": kk, "date": a_date, "text": text}
