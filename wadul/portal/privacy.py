"""The public privacy page: the register of processing in plain Indonesian (UU 27/2022)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wadul.core import retention
from wadul.privacy import register


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
