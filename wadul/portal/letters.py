"""The public verification of a village letter (`/verifikasi/<code>/`, the QR's address):
who issued it, what, its number and date, the signer, valid or revoked, and only a masked
name. A PDF uploaded on the same page is checked against the recorded hash."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from wadul.desa.models import Letter

MAX_UPLOAD = 16 * 1024 * 1024


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    letter = (
        Letter.objects.filter(verification_code=code, state=Letter.State.SIGNED)
        .select_related("unit", "service")
        .only(
            "number",
            "issued_at",
            "signer_name",
            "signer_position",
            "masked_name",
            "revoked",
            "revoked_at",
            "sha256",
            "unit__name",
            "service__title",
        )
        .first()
    )
    if letter is None:
        raise Http404("Surat tidak ditemukan")
    checked = None
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None or upload.size > MAX_UPLOAD:
            checked = "missing"
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            checked = "same" if digest.hexdigest() == letter.sha256 else "altered"
    response = render(request, "portal/verify_letter.html", {"letter": letter, "checked": checked})
    response["X-Robots-Tag"] = "noindex"
    return response
