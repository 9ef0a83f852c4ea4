"""Masking of personal data in everything the public sees (UU 27/2022).

One module, used by every public page, export, feed, Open311 and the public API: phone
numbers in any form (+62 812-3456-7890, 0812 3456 7890, 62.812.3456.7890, split over lines),
NIK and KK numbers (16 digits, grouped any way), e-mail addresses, the reporter's name and
its parts, and any term an operator marked as personal (`PersonalTerm`).

Numbers are found as runs of digits joined by short separators (spaces, newlines, dots,
dashes, slashes, brackets); inside a run every span of whole digit groups is tested, longest
first, so a phone number glued to a house number or a date is still found. When unsure we
mask: a masked date is a small loss, a published phone number is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PHONE = "[nomor disamarkan]"
NIK = "[NIK disamarkan]"
EMAIL = "[email disamarkan]"
NAME = "[nama disamarkan]"

# Words that often appear in WhatsApp profile names but are not names (honorifics, kin
# words): masking them everywhere would make public text unreadable.
NOT_NAMES = frozenset(
    [
        "pak",
        "bu",
        "ibu",
        "bpk",
        "bapak",
        "mas",
        "mbak",
        "mba",
        "bang",
        "kak",
        "adik",
        "dik",
        "om",
        "tante",
        "mbah",
        "haji",
        "hajah",
        "hj",
        "dr",
        "ir",
        "drs",
        "sh",
        "se",
        "spd",
        "st",
        "amd",
        "warga",
        "desa",
        "dusun",
        "jalan",
        "jl",
        "rt",
        "rw",
        "kec",
        "kab",
        "official",
        "admin",
        "the",
        "and",
        "ayah",
        "bunda",
        "mama",
        "papa",
        "umi",
        "abi",
    ]
)

# A dot written apart from the domain counts only with a space on both sides ("gmail . com"):
# "gmail.com. Jembatan" ends a sentence, and the next word is not part of the address.
_EMAIL = re.compile(
    r"[\w.%+\-]+\s*(?:@|\(at\)|\[at\])\s*[\w\-]+"
    r"(?:(?:\.|\s+\.\s+|\s*\(dot\)\s*|\s*\[dot\]\s*)[\w\-]+)+",
    re.IGNORECASE,
)
# A run of digits with up to six separator characters of any kind between groups: spaces,
# dots, dashes of every length, commas, colons, semicolons, middle dots, brackets, slashes,
# underscores ("0812  -  3456", "0812,3456", "0812·3456"). Invisible characters (zero-width
# spaces, joiners, direction marks: Unicode's "format" category) are removed first.
_NUMBER_RUN = re.compile(r"\d(?:[\W_]{0,6}\d)*")
# Unicode category Cf (format characters), as of Unicode 15; test_masking checks the list
# against `unicodedata`.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
INVISIBLE = frozenset(c for low, high in _INVISIBLE_RANGES for c in range(low, high + 1))
_DROP_INVISIBLE = dict.fromkeys(INVISIBLE)
_DIGITS = re.compile(r"\d+")
_MOBILE = re.compile(r"08[1-9]\d{6,10}")
_LANDLINE = re.compile(r"0[2-7]\d{7,9}")
_DATE_SEPARATOR = re.compile(r"\s*[\-/.\u2010-\u2015]\s*")
# NIK and KK numbers begin with the province's Kemendagri code.
_PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
        "97",
    ]
)
# The longest span of digit groups tested (a 16-digit NIK split into single digits).
_MAX_GROUPS = 20


@dataclass
class Masker:
    """Masks text for one case: its reporter's name and personal terms, plus every
    phone number, NIK and e-mail address."""

    names: Sequence[str] = ()
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._pattern = _names_pattern(self.names)

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        if not text.isascii():
            text = text.translate(_DROP_INVISIBLE)
        text = _EMAIL.sub(EMAIL, text)
        text = _mask_numbers(text)
        if self._pattern is not None:
            text = self._pattern.sub(NAME, text)
        return text


def mask(text: str | None, names: Iterable[str] = ()) -> str:
    """Mask one text with the given personal names."""
    return Masker(tuple(names))(text)


def name_terms(display_name: str | None) -> list[str]:
    """The reporter's name and each part of it worth masking on its own."""
    name = " ".join((display_name or "").split())
    if not name:
        return []
    parts = [p for p in re.split(r"[^\w']+", name) if p]
    terms = [name] if any(ch.isalpha() for ch in name) else []
    terms += [p for p in parts if len(p) >= 3 and not p.isdigit() and p.lower() not in NOT_NAMES]
    return terms


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = set()
    for name in names:
        words = [re.escape(w) for w in (name or "").split()]
        if words and sum(len(w) for w in words) >= 2:
            # Words of a name may be split by any whitespace (a newline in a message).
            alternatives.add(r"\s+".join(words))
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)


def _mask_numbers(text: str) -> str:
    out: list[str] = []
    last = 0
    for run in _NUMBER_RUN.finditer(text):
        groups = list(_DIGITS.finditer(run.group(0)))
        base = run.start()
        i = 0
        while i < len(groups):
            found = None
            for j in range(min(len(groups), i + _MAX_GROUPS) - 1, i - 1, -1):
                kind = _classify(run.group(0), groups, i, j)
                if kind:
                    found = (j, kind)
                    break
            if found is None:
                i += 1
                continue
            j, kind = found
            start, end = base + groups[i].start(), base + groups[j].end()
            if start > 0 and text[start - 1] == "+":
                start -= 1
            out.append(text[last:start])
            out.append(kind)
            last = end
            i = j + 1
    out.append(text[last:])
    return "".join(out)


def _classify(run: str, groups: list[re.Match[str]], i: int, j: int) -> str | None:
    # Any script's digits count (full-width ０８１２ is 0812): \d matches them all.
    parts = ["".join(str(int(d)) for d in g.group(0)) for g in groups[i : j + 1]]
    digits = "".join(parts)
    if len(digits) == 16 and digits[:2] in _PROVINCE_CODES:
        return NIK
    if not 9 <= len(digits) <= 15 or _starts_with_date(run, groups, i, j):
        return None
    if digits.startswith("62"):
        national = "0" + digits[2:]
    elif digits.startswith("8") and len(parts[0]) >= 3:
        national = "0" + digits
    else:
        national = digits
    if _MOBILE.fullmatch(national):
        return PHONE
    # Landlines need an area code written as one group ("0333 421234"), so that dates
    # ("03 08 2024 …") are not taken for phone numbers; after the country code (62 31 …)
    # no date can start, and the big cities' two-digit codes count.
    if parts[0] == "62" and len(parts) > 1:
        area_ok = len(parts[1]) >= 2
    else:
        area_ok = len(parts) == 1 or len(parts[0]) >= 3
    if _LANDLINE.fullmatch(national) and area_ok:
        return PHONE
    return None


def _starts_with_date(run: str, groups: list[re.Match[str]], i: int, j: int) -> bool:
    """True when the span begins with day, month and year joined by - / . (12-08-2024)."""
    if j - i < 2:
        return False
    day, month, year = (g.group(0) for g in groups[i : i + 3])
    if len(day) > 2 or len(month) > 2 or len(year) not in (2, 4):
        return False
    if len(year) == 4 and year[:2] not in ("19", "20"):
        return False
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return False
    between = (
        run[groups[i].end() : groups[i + 1].start()],
        run[groups[i + 1].end() : groups[i + 2].start()],
    )
    if j - i >= 3 and between[0] == between[1] == run[groups[i + 2].end() : groups[i + 3].start()]:
        # A fourth group written like the first three is a number in pairs (08.12.34.56…);
        # a date is followed by a time or a number written apart ("08.12.24 10.30").
        return False
    return all(_DATE_SEPARATOR.fullmatch(s) for s in between)
