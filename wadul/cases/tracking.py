"""Public tracking numbers: short, readable aloud, not enumerable.

Eight random symbols from an alphabet without look-alikes (no 0/O, 1/I/L, and no U/V,
which sound alike on a phone call), shown as two groups: "K7PM-2XRQ". 29^8 ≈ 5 × 10^11
values, so a guessed number hits an existing case with negligible probability.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.]")
PATTERN = re.compile(rf"\b[{ALPHABET}]{{4}}-?[{ALPHABET}]{{4}}\b", re.IGNORECASE)


def random_tracking_number() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{symbols[:4]}-{symbols[4:]}"


def normalise(text: str) -> str | None:
    """Canonical form of what a citizen typed ("k7pm 2xrq" → "K7PM-2XRQ"), or None."""
    compact = _SEPARATORS.sub("", text or "").upper()
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return f"{compact[:4]}-{compact[4:]}"


def find_in_text(text: str) -> str | None:
    """The first tracking number mentioned in free text, if any."""
    match = PATTERN.search(text or "")
    return normalise(match.group(0)) if match else None
