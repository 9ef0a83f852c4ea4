"""A requester withdraws a request in a conversation: "tarik <nomor>" (the registration
number or the case's tracking number) withdraws that request of theirs."""

from __future__ import annotations

import re
from datetime import datetime

from django.db.models import Q

from wadul.cases import tracking
from wadul.cases.models import Case
from wadul.ppid import services
from wadul.ppid.models import PpidRequest

KEYWORD = re.compile(r"^\s*tarik\b[\s:,-]*(\S*)\s*$", re.IGNORECASE)


def follow_up(case: Case, text: str, at: datetime) -> str | None:
    match = KEYWORD.match(text)
    if match is None or not PpidRequest.objects.filter(case_id=case.pk).exists():
        return None
    number = match.group(1)
    if not number:
        current = PpidRequest.objects.get(case_id=case.pk)
        return (
            "Untuk mencabut permohonan informasi, ketik *tarik* diikuti nomor registrasinya, "
            f"contoh: *tarik {current.registration_number}*"
        )
    # Only the requester's own requests (the same contact).
    request = (
        PpidRequest.objects.filter(case__contact_id=case.contact_id)
        .filter(
            Q(registration_number__iexact=number)
            | Q(case__tracking_number=tracking.normalise(number) or number)
        )
        .first()
    )
    if request is None:
        return f"Permohonan dengan nomor {number} tidak ditemukan di antara permohonan Anda."
    try:
        services.withdraw(request, via="whatsapp", reason="dicabut pemohon", at=at)
    except services.PpidError:
        return (
            f"Permohonan {request.registration_number} tidak dapat dicabut lagi: pemberitahuan "
            "tertulisnya sudah dikirim."
        )
    return services.withdrawn_text(request)
