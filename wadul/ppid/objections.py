"""A requester's objection written in a conversation: "keberatan" lists the Pasal 35
grounds; "keberatan a c <reasons>" lodges it (the kind's `follow_up`)."""

from __future__ import annotations

import re
from datetime import datetime

from wadul.cases.models import Case
from wadul.ppid import services
from wadul.ppid.models import PpidRequest

KEYWORD = re.compile(r"^\s*keberatan\b[\s:,-]*(.*)$", re.IGNORECASE | re.DOTALL)
GROUND = re.compile(r"^([a-g])[\s.,)]+", re.IGNORECASE)


def follow_up(case: Case, text: str, at: datetime) -> str | None:
    match = KEYWORD.match(text)
    request = PpidRequest.objects.filter(case_id=case.pk).first() if match else None
    if request is None:
        return None
    rest, grounds = match.group(1).strip() + " ", []
    while found := GROUND.match(rest):
        grounds.append(found.group(1).lower())
        rest = rest[found.end() :]
    if not grounds:
        lines = [f"{code}. {words}" for code, words in services.OBJECTION_GROUNDS.items()]
        return (
            f"Keberatan atas permohonan {request.registration_number} (UU 14/2008 Pasal 35). "
            "Pilih alasannya:\n"
            + "\n".join(lines)
            + "\n\nBalas dengan huruf alasan dan uraian Anda, contoh:\n"
            "*keberatan a Informasi ini tidak termasuk yang dikecualikan*"
        )
    try:
        services.lodge_objection(request, grounds=grounds, text=rest.strip(), via="whatsapp", at=at)
    except services.PpidError as error:
        return str(error)
    return "Keberatan Anda tercatat; surat tanda terimanya kami kirimkan."
