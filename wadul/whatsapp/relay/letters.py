"""A signer signs or refuses a village letter from their own WhatsApp number
(`setuju KODE`, `tolak KODE alasan`); `wadul.whatsapp.letters` tells them a letter waits.

The commands sit beside the relay's (`commands.py`) and act through `wadul.desa.services`
as the official, via=relay.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied

from wadul.cases.models import Via
from wadul.desa import services as letters
from wadul.desa.models import Letter
from wadul.organisation.models import Official

SIGN_COMMAND = re.compile(
    r"^\s*(setuju|tolak|approve|reject)\b\s*([A-Za-z0-9]{6})?\b\s*(.*)$", re.I | re.S
)
VERBS = {"setuju": "approve", "approve": "approve", "tolak": "reject", "reject": "reject"}


def is_sign_command(text: str) -> bool:
    return bool(SIGN_COMMAND.match(text or ""))


def handle(official: Official, text: str) -> str:
    """Carry out `setuju KODE` / `tolak KODE alasan`; returns the reply to the official."""
    match = SIGN_COMMAND.match(text)
    verb, code, reason = VERBS[match[1].lower()], (match[2] or "").upper(), match[3].strip()
    if not code:
        return "Tulis kode surat: *setuju KODE* atau *tolak KODE alasan*."
    letter = Letter.objects.select_related("case", "service", "unit").filter(sign_code=code).first()
    if letter is None:
        return f"Surat dengan kode {code} tidak ditemukan."
    try:
        if verb == "approve":
            letters.approve(letter, actor=official, via=Via.RELAY)
            if letter.state == Letter.State.AWAITING_CAMAT:
                return (
                    f"✅ Surat {letter.service.name} ditandatangani; menunggu tanda tangan camat."
                )
            return f"✅ Surat {letter.service.name} ditandatangani: nomor {letter.number}."
        if not reason:
            return f"Tulis alasan penolakan: *tolak {code} alasan*."
        letters.reject(letter, reason=reason, actor=official, via=Via.RELAY)
        return f"Surat {code} ditolak dan dikembalikan ke operator."
    except PermissionDenied:
        return f"Anda bukan penandatangan surat {code}."
    except letters.LetterError as error:
        return f"Surat {code}: {error}"
