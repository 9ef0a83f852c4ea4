"""Property-based: phone numbers and NIK written in many shapes (any separators, invisible
characters, full-width digits, country code or not) never survive masking, and never appear
on a public page, export or feed.

Shapes people write: the first group holds at least the operator prefix (0812, +62 812,
62812) or, for a NIK, the region code (3510), as on the card; after that, groups of any size
and any separators. (A number whose first groups read as a date, "08-12-34 …", is the one
shape the masker leaves to the date rule.)
"""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Via
from wadul.portal import masking
from wadul.portal.masking import mask
from wadul.portal.tests.test_no_personal_data import _public_surfaces

SEPARATORS = [
    " ",
    "  ",
    ".",
    "-",
    "\u2013",
    "/",
    ",",
    ", ",
    ":",
    ";",
    "\u00b7",
    "  -  ",
    "\u200b",
    " \u200b ",
    "\u2060",
    "\u00ad",
    "\n",
    "_",
    ") ",
    "|",
    "*",
]
PROVINCES = sorted(masking._PROVINCE_CODES)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
WORDS = st.sampled_from(["Hubungi", "saya", "di", "ya,", "WA:", "telp", "nomor", "Pak RT", "("])


def _split(draw, digits: str, first: int) -> list[str]:
    groups = [digits[:first]]
    rest = digits[first:]
    while rest:
        size = draw(st.integers(1, 5))
        groups.append(rest[:size])
        rest = rest[size:]
    return groups


@st.composite
def numbers(draw) -> tuple[str, str]:
    """(as written, its digits)."""
    if draw(st.booleans()):
        body = (
            "8"
            + draw(st.sampled_from("123456789"))
            + draw(st.text("0123456789", min_size=6, max_size=9))
        )
        prefix = draw(st.sampled_from(["0", "62", "+62", "+62 ", "(0", "62 "]))
        digits = body
        groups = _split(draw, body, draw(st.integers(3, 4)))
        groups[0] = prefix + groups[0]
    else:
        digits = draw(st.sampled_from(PROVINCES)) + draw(
            st.text("0123456789", min_size=14, max_size=14)
        )
        groups = _split(draw, digits, draw(st.integers(4, 6)))
        groups[0] = draw(st.sampled_from(["", "NIK ", "NIK: "])) + groups[0]
    written = groups[0]
    for group in groups[1:]:
        written += draw(st.sampled_from(SEPARATORS)) + group
    if draw(st.integers(0, 4)) == 0:
        written = written.translate(FULL_WIDTH)
    return written, digits


@st.composite
def texts(draw) -> tuple[str, str]:
    written, digits = draw(numbers())
    before = " ".join(draw(st.lists(WORDS, max_size=3)))
    after = " ".join(draw(st.lists(WORDS, max_size=3)))
    return f"{before} {written} {after}".strip(), digits


def _digits(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdecimal())


@settings(max_examples=400, deadline=None)
@given(texts())
def test_no_number_survives_masking(example):
    text, digits = example
    masked = mask(text)
    assert not any(c.isdecimal() for c in masked), (text, masked)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=texts())
def test_no_number_appears_on_any_public_surface(client, unit_a, official_a, regions, example):
    text, digits = example
    Case.objects.all().delete()
    case = testing.create_case(
        unit=unit_a, text=f"Jalan rusak di Kemiren. {text}", region=regions["kemiren"]
    )
    services.answer(case, text=f"Baik, kami hubungi {text}", actor=official_a, via=Via.INBOX)
    for name, page in _public_surfaces(client, case).items():
        assert digits[-9:] not in _digits(page), (name, text)


def test_the_invisible_characters_are_unicodes_format_characters():

    found = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert found <= masking.INVISIBLE, unicodedata.unidata_version


def test_the_separators_from_the_issue_are_masked():
    for text in [
        "0812,3456,7890",
        "0812, 3456, 7890",
        "0812:3456:7890",
        "0812;3456;7890",
        "0812·3456·7890",
        "0812  -  3456  -  7890",
        "0812\u200b3456\u200b7890",
        "NIK 3510,0123,4567,8901",
    ]:
        assert not re.search(r"\d", mask(text)), text
