"""What an official can write on WhatsApp, parsed into a command.

Indonesian keywords with English aliases. A message is only a command when it starts with a
keyword in the shapes below; anything else sent as a quoted reply to a case notification is
an answer to the citizen, and anything else sent without a quote gets the help text.

    #K7PM-2XRQ <answer>             answer a case
    selesai [K7PM-2XRQ] [note]      resolve            (resolve, done)
    tanya [K7PM-2XRQ] <question>    ask the citizen    (ask, klarifikasi)
    alihkan [K7PM-2XRQ] <UNIT> <why> transfer          (transfer, pindah)
    unit [search]                   list unit codes    (units)
    ambil [K7PM-2XRQ]               take over          (take)
    kasus                           my open cases      (cases, mine)
    serah <username|number>         hand over duty     (handover)
    bantuan                         help               (help, ?)

A photo, document, voice note or video is always an answer: its caption starts with
`#K7PM-2XRQ`, or it quotes a case notification (`parse_caption`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wadul.cases import tracking

VERBS: dict[str, str] = {
    "selesai": "resolve",
    "resolve": "resolve",
    "done": "resolve",
    "tanya": "clarify",
    "klarifikasi": "clarify",
    "ask": "clarify",
    "alihkan": "transfer",
    "pindah": "transfer",
    "transfer": "transfer",
    "unit": "units",
    "units": "units",
    "ambil": "take",
    "take": "take",
    "kasus": "mine",
    "cases": "mine",
    "mine": "mine",
    "serah": "handover",
    "handover": "handover",
    "bantuan": "help",
    "help": "help",
    "?": "help",
}

_HASH = re.compile(r"^#\s*([A-Za-z0-9]{4}[-\s.]?[A-Za-z0-9]{4})\b\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Command:
    verb: str  # answer, resolve, clarify, transfer, units, take, mine, handover, help
    tracking_number: str | None = None
    text: str = ""
    unit_code: str | None = None


@dataclass(frozen=True)
class NotACommand:
    """Why the message could not be understood; the official gets this plus the help."""

    reason: str


def parse(text: str, *, quoted: bool) -> Command | NotACommand:
    body = (text or "").strip()
    if not body:
        return NotACommand("empty")
    hashed = _HASH.match(body)
    if hashed:
        number = tracking.normalise(hashed.group(1))
        if number is None:
            return NotACommand("bad_tracking_number")
        answer = hashed.group(2).strip()
        if not answer:
            return NotACommand("empty_answer")
        return Command("answer", number, answer)

    first, _, rest = body.partition(" ")
    verb = VERBS.get(first.lower().lstrip("/!").rstrip(":.,"))
    if verb is None:
        return Command("answer", None, body) if quoted else NotACommand("unknown")
    rest = rest.strip()
    number, rest = _take_tracking_number(rest)
    if verb == "resolve":
        # "Selesai diperbaiki kemarin" quoted to a notification is an answer, not a command:
        # resolve only alone, with a tracking number, or with "catatan:" for a note.
        if rest and number is None and not rest.lower().startswith("catatan"):
            return Command("answer", None, body) if quoted else NotACommand("unknown")
        return Command("resolve", number, _strip_label(rest, "catatan"))
    if verb == "clarify":
        if not rest:
            return NotACommand("empty_question")
        return Command("clarify", number, rest)
    if verb == "transfer":
        code, _, reason = rest.partition(" ")
        if not code:
            return NotACommand("missing_unit")
        return Command("transfer", number, reason.strip(), unit_code=code.upper())
    if verb in {"take", "mine", "help"}:
        return Command(verb, number)
    return Command(verb, number, rest)  # units (search text), handover (who)


def parse_caption(text: str, *, quoted: bool) -> Command | NotACommand:
    """The caption of a file an official sends: an answer (the words may be empty) to the
    case of `#<number> …`, else to the quoted case."""
    body = (text or "").strip()
    hashed = _HASH.match(body)
    if hashed:
        number = tracking.normalise(hashed.group(1))
        if number is None:
            return NotACommand("bad_tracking_number")
        return Command("answer", number, hashed.group(2).strip())
    if quoted:
        return Command("answer", None, body)
    return NotACommand("media_which_case")


def _take_tracking_number(text: str) -> tuple[str | None, str]:
    parts = text.split(None, 2)
    for width in (1, 2):  # "K7PM-2XRQ …" or "K7PM 2XRQ …"
        if len(parts) >= width:
            number = tracking.normalise("".join(parts[:width]))
            if number:
                return number, text.split(None, width)[width] if len(parts) > width else ""
    return None, text


def _strip_label(text: str, label: str) -> str:
    if text.lower().startswith(label):
        return text[len(label) :].lstrip(" :")
    return text
