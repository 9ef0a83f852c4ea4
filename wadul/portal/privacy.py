"""The public privacy page: the register of processing in plain Indonesian (UU 27/2022)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wadul.core import retention
from wadul.portal.forms import normalise_wa_number
from wadul.privacy import register
from wadul.privacy import requests as data_requests
from wadul.privacy.models import WebRequest


@require_GET
def privacy_page(request: HttpRequest) -> HttpResponse:
    context = {
        "entries": register.entries(),
        "legal_basis": register.LEGAL_BASIS,
        "storage": register.storage(),
        "dpo": settings.PRIVACY_DPO_NAME,
        "rules": sorted(retention.RULES.values(), key=lambda rule: rule.days),
    }
    return render(request, "portal/privacy.html", context)


@require_http_methods(["GET", "POST"])
def data_request(request: HttpRequest) -> HttpResponse:
    """Ask for one's personal data on the web: the WhatsApp number and the right wanted."""
    error = ""
    if request.method == "POST":
        wa_id = normalise_wa_number(request.POST.get("whatsapp", ""))
        right = request.POST.get("right", "")
        if wa_id is None or right not in dict(data_requests.RIGHTS):
            error = "Periksa nomor WhatsApp dan pilihan permintaan Anda."
        else:
            started = data_requests.start_web_request(wa_id, right)
            if started is None:
                error = "Terlalu banyak kode untuk nomor ini. Coba lagi satu jam lagi."
            else:
                return redirect("portal:data_request_code", token=started.token)
    context = {"rights": data_requests.RIGHTS, "error": error}
    return render(request, "portal/data_request.html", context, status=400 if error else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def data_request_code(request: HttpRequest, token) -> HttpResponse:
    """The code sent to the number, typed back: the request opens as a case."""
    started = get_object_or_404(WebRequest, token=token)
    error = ""
    if request.method == "POST":
        try:
            case = data_requests.confirm_web_request(started, request.POST.get("code", "")[:20])
        except data_requests.WrongCode as wrong:
            error = str(wrong)
        else:
            return redirect("portal:private", token=case.access_token)
    context = {"error": error}
    return render(request, "portal/data_request_code.html", context, status=400 if error else 200)
