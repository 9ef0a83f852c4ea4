"""The first stage of routing: what kind of request a message is, before which unit.

A message to the desk is a complaint or aspirasi (routed to a unit), a public-information
request (PPID, UU 14/2008), a village-letter request (surat domisili, SKTM, pengantar SKCK …),
a request about one's own personal data (UU 27/2022), a question about a case's status, a
greeting or small talk, or spam. `classify_intent(text)` decides which, with a confidence and
the cues behind it; it needs no database and no model, so any channel's conversation core can
call it on every message. Below `INTENT_CONFIDENCE` the caller shows the first-contact menu
(WhatsApp) or leaves the message to the operator.

Cues are weighted words and phrases in `seed/intents.csv` (normalised spelling, whole words).
Complaint evidence also comes from the unit types' domain words (`lexicon.py`): a message that
names a public service or a problem ("Bising musik kafe tiap malam") is a complaint, however
short. Spam is decided only when sure: spam cues and no complaint evidence at all.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from wadul.cases import tracking
from wadul.routing.labels import Intent, UnitType
from wadul.routing.lexicon import LEXICON, LexiconFeatures
from wadul.routing.normalise import normalise

INTENTS_CSV = Path(__file__).resolve().parent / "seed" / "intents.csv"
INTENT_CONFIDENCE = 0.6
# Most messages to a complaint desk are complaints: a message with no cue at all is one, but
# not surely (confidence 0.5: below INTENT_CONFIDENCE, so the caller asks or the operator looks).
COMPLAINT_PRIOR = 1.0
# Greeting cues decide only a short message: "selamat pagi, jalan di depan SD rusak" is a
# complaint that starts politely.
GREETING_MAX_OTHER_WORDS = 3
GREETING_DAMPING = 0.2
SPAM_MIN_SCORE = 2.5
SPAM_GUARD_EVIDENCE = 1.5
LEXICON_WEIGHT = 1.0
# Words that carry nothing for the shortness test of a greeting.
_FILLER = frozenset(
    [
        "min",
        "admin",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "mas",
        "mbak",
        "kak",
        "dik",
        "om",
        "ya",
        "yo",
        "nggih",
        "njih",
        "saya",
        "kami",
        "dan",
        "ini",
        "itu",
        "juga",
        "lagi",
        "dong",
        "deh",
        "sih",
        "kok",
        "nih",
        "tuh",
    ]
)


REQUESTS = frozenset(
    {Intent.INFORMATION_REQUEST, Intent.VILLAGE_LETTER, Intent.PERSONAL_DATA, Intent.STATUS}
)
# Django's `values` rebuilds its list on every access; this runs on every message.
KINDS: tuple[str, ...] = tuple(Intent.values)


@dataclass(frozen=True)
class IntentDecision:
    """The kind of request, how sure, and the cues that decided it (in Indonesian)."""

    kind: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def is_sure(self) -> bool:
        return self.confidence >= INTENT_CONFIDENCE

    @property
    def complaint_evidence(self) -> float:
        return self.scores.get(Intent.COMPLAINT, 0.0) - COMPLAINT_PRIOR

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_name": str(Intent(self.kind).label),
            "confidence": round(self.confidence, 3),
            "sure": self.is_sure,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class _Cue:
    kind: str
    phrase: str
    weight: float
    pattern: re.Pattern[str]
    first: str  # its first word: the pattern runs only on texts that have it


@cache
def _cues() -> tuple[_Cue, ...]:
    cues = []
    with INTENTS_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            phrase = normalise(row["cue"])
            if phrase and row["kind"] in Intent.values:
                pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
                cues.append(
                    _Cue(row["kind"], phrase, float(row["weight"]), pattern, phrase.split()[0])
                )
    return tuple(cues)


@cache
def _domain_words() -> LexiconFeatures:
    # Every unit type's domain words except spam's own ("promo", "jual"): naming a public
    # service or a problem is what makes a message a complaint.
    lexicon = {label: terms for label, terms in LEXICON.items() if label != "spam"}
    return LexiconFeatures(lexicon).fit([])


def classify_intent(text: str) -> IntentDecision:
    """The request kind of one message, with confidence (0–1) and reasons."""
    normalised = normalise(text or "")
    scores = dict.fromkeys(KINDS, 0.0)
    scores[Intent.COMPLAINT] = COMPLAINT_PRIOR
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    covered: set[int] = set()
    words = normalised.split()

    present = set(words)
    for cue in _cues():
        if cue.first not in present:
            continue
        for match in cue.pattern.finditer(normalised):
            if cue.phrase not in found[cue.kind]:
                scores[cue.kind] += cue.weight
                found[cue.kind].append(cue.phrase)
            if cue.kind == Intent.GREETING:
                covered.update(_word_span(normalised, match.start(), match.end()))

    domain = _domain_words()
    hits = domain.counts(normalised)
    if hits:
        scores[Intent.COMPLAINT] += LEXICON_WEIGHT * min(sum(hits.values()), 3)
        found[Intent.COMPLAINT] += [f"kata bidang {domain.labels_[j]}" for j in sorted(hits)]

    number = tracking.find_in_text(text or "") if _looks_like_tracking(text or "") else None
    if number:
        scores[Intent.STATUS] += 3.0
        found[Intent.STATUS].append(f"nomor tiket {number}")

    other_words = [
        w for i, w in enumerate(words) if i not in covered and w not in _FILLER and w != "qmark"
    ]
    if scores[Intent.GREETING] and len(other_words) > GREETING_MAX_OTHER_WORDS:
        scores[Intent.GREETING] *= GREETING_DAMPING
    elif scores[Intent.GREETING] and not other_words:
        # Nothing but a greeting or thanks ("p", "makasih pak"): sure.
        scores[Intent.GREETING] += 1.5
    if not words:
        scores[Intent.GREETING] = max(scores[Intent.GREETING], 1.5)
        found[Intent.GREETING].append("pesan kosong")

    # Spam only when sure: strong spam cues and nothing that names a service or a problem.
    # A domain word in passing ("cepat" in a loan advert) weighs less than the spam cues.
    evidence = scores[Intent.COMPLAINT] - COMPLAINT_PRIOR
    if scores[Intent.SPAM] < SPAM_MIN_SCORE or evidence * 2 > scores[Intent.SPAM]:
        scores[Intent.SPAM] *= 0.3

    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (kind, best), second = ranked[0], ranked[1][1]
    confidence = _confidence(best, second)
    reasons = [f"{Intent(kind).label}: " + ", ".join(found[kind])] if found[kind] else []
    if not found[kind]:
        reasons.append(str(_("no cue: assumed a complaint")))
    return IntentDecision(
        kind=kind,
        confidence=confidence,
        reasons=reasons,
        scores={k: round(v, 3) for k, v in scores.items()},
    )


def _confidence(best: float, second: float) -> float:
    """Grows with the winner's evidence and with its lead over the runner-up: one weak cue
    (1.0, alone) gives ~0.5, two strong ones (≥ 3, alone) ≥ 0.9."""
    if best <= 0:
        return 0.0
    strength = 1 - math.exp(-best / 1.3)
    margin = (best - second) / best
    return round(strength * (0.5 + 0.5 * margin), 3)


def _word_span(text: str, start: int, end: int) -> range:
    first = text.count(" ", 0, start)
    return range(first, first + text[start:end].count(" ") + 1)


def _looks_like_tracking(text: str) -> bool:
    # Eight letters of the tracking alphabet are also ordinary words ("MENDESAK", "ANAK-ANAK"):
    # only a form with a digit, or two different halves apart, counts.
    for match in tracking.PATTERN.finditer(text):
        found = match.group(0)
        if any(ch.isdigit() for ch in found):
            return True
        halves = found.split("-")
        if len(halves) == 2 and halves[0].lower() != halves[1].lower():
            return True
    return False


def settle_spam(
    ranked: list[tuple[str, float]], intent: IntentDecision, *, place: str = ""
) -> tuple[str, float, str | None]:
    """The classifier's label, except that a message that names a service, a problem or a
    place of the regency (`place`, found by the router) is never spam: then the best other
    label (often below the threshold: the operator decides). Returns (label, confidence, why
    it is not spam or None)."""
    label, confidence = ranked[0]
    if label != UnitType.SPAM or intent.kind == Intent.SPAM:
        return label, confidence, None
    # A word in passing is not enough ("mohon maaf salah kirim", "jual pupuk … panen"):
    # the complaint evidence must be real and outweigh the spam cues.
    strength = intent.complaint_evidence
    evidence = (
        list(intent.reasons)
        if strength >= SPAM_GUARD_EVIDENCE and strength > intent.scores.get(Intent.SPAM, 0)
        else []
    )
    if intent.is_sure and intent.kind in REQUESTS:
        evidence = list(intent.reasons)  # a request of another kind is not spam either
    if place:
        evidence.append(f"tempat {place}")
    if not evidence:
        return label, confidence, None
    for other, probability in ranked[1:]:
        if other != UnitType.SPAM:
            return other, probability, "bukan spam: " + "; ".join(evidence)
    return label, confidence, None
