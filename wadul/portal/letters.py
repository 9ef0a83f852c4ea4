"""The public verification of a village letter (`/verifikasi/<code>/`, the QR's address):
who issued it, what, its number and date, the signer, valid or revoked, and only a masked
name. A PDF uploaded on the same page is checked against the recorded hash."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from wadul.cases.models import Channel, Via, Visibility
from wadul.conversation import requests
from wadul.desa import forms, kind, stats
from wadul.desa import services as desa_services
from wadul.desa.models import DOCUMENTS, Letter, Service
from wadul.organisation.models import Unit
from wadul.portal.opendata import csv_response
from wadul.sla.league import Period

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
            "countersigner_name",
            "countersigner_position",
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


@require_GET
def catalogue(request: HttpRequest, unit_code: str) -> HttpResponse:
    """A unit's letter services: what each needs, what it costs, how long it takes."""
    unit = get_object_or_404(Unit, code=unit_code, is_active=True)
    services = [
        (service, [DOCUMENTS[code] for code in service.documents])
        for service in Service.objects.filter(unit=unit, is_active=True).order_by("name")
    ]
    if not services:
        raise Http404("Unit ini tidak punya layanan surat")
    numbers = unit.whatsapp_numbers.filter(is_active=True).values_list("display_number", flat=True)
    context = {"unit": unit, "services": services, "numbers": list(numbers)}
    return render(request, "portal/letter_catalogue.html", context)


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """/statistik/layanan-desa/: village letters per desa and kecamatan for a month."""
    period = Period.parse(request.GET.get("bulan"))
    desa_rows, kecamatan_rows = stats.letter_rows(period.start, period.end)
    context = {
        "period": period,
        "previous": period.previous(),
        "next": period.next() if period.next().start <= timezone.now() else None,
        "desa_rows": desa_rows,
        "kecamatan_rows": kecamatan_rows,
    }
    return render(request, "portal/letter_statistics.html", context)


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """Open data: the same figures (no personal data), one row per desa/kelurahan."""
    period = Period.parse(request.GET.get("bulan"))
    desa_rows, _kecamatan_rows = stats.letter_rows(period.start, period.end)
    return csv_response(iter(desa_rows), stats.FIELDS, f"wadul-layanan-desa-{period.key}.csv")


@require_GET
def private_letter(request: HttpRequest, token) -> FileResponse:
    """The signed letter behind the citizen's private link (the case's unguessable token)."""
    letter = get_object_or_404(
        Letter, case__access_token=token, state=Letter.State.SIGNED, revoked=False
    )
    response = FileResponse(letter.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-{letter.case.tracking_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, unit_code: str, service_code: str) -> HttpResponse:
    """The web form of one letter service: the same questions as on WhatsApp, the documents
    as uploads; the citizen lands on their private page (tracking number, thread, and later
    the letter)."""
    service = get_object_or_404(
        Service.objects.select_related("unit"),
        unit__code=unit_code,
        code=service_code,
        is_active=True,
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        photos = forms.uploaded_documents(service, request.FILES)
        name = request.POST.get("nama_pemohon", "").strip()
        try:
            details, _whatsapp = desa_services.check_request(
                service,
                values=forms.typed_values(service, request.POST),
                photos=photos,
                whatsapp="",
                check_photos=True,
            )
            if not name:
                raise ValidationError({"nama_pemohon": "Tuliskan nama Anda."})
            with transaction.atomic():
                case = requests.open_from_form(
                    contact=desa_services.requester(name, ""),
                    channel=Channel.WEB,
                    text=f"{service.name} (formulir web)",
                    via=Via.WEB,
                    type=kind.CODE,
                    unit=service.unit,
                    details=details,
                    visibility=Visibility.PRIVATE,
                )
                desa_services.attach_documents(case, photos, actor=None, via=Via.WEB)
        except ValidationError as error:
            errors = error.message_dict
        else:
            return redirect(reverse("portal:private", args=[case.access_token]) + "?baru=1")
    context = {
        "service": service,
        "errors": errors,
        "post": request.POST,
        **forms.context(service, request.POST, errors),
    }
    return render(request, "portal/letter_form.html", context, status=400 if errors else 200)
