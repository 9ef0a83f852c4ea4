"""The public home page: who the regency is, how to report, where to write on WhatsApp,
and this month's figures (the same stored figures as /statistik/)."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from wadul.cases import tracking
from wadul.organisation.models import Unit, WhatsAppNumber
from wadul.portal import stats


def official_numbers() -> list[dict[str, str]]:
    """The active official WhatsApp numbers, the central desk first, with wa.me links."""
    numbers = WhatsAppNumber.objects.filter(is_active=True).select_related("unit")
    rows = [
        {
            "unit": number.unit.name,
            "number": number.display_number,
            "link": "https://wa.me/" + re.sub(r"\D", "", number.display_number),
            "central": number.is_central,
        }
        for number in numbers
    ]
    return sorted(rows, key=lambda r: (not r["central"], r["unit"]))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("lacak", "").strip()
    if number:
        normalised = tracking.normalise(number)
        if normalised:
            return redirect("track", tracking_number=normalised)
    period = stats.Period.parse(None)
    regency = stats.regency_row(period)
    context = {
        "regency_name": settings.REGENCY_NAME,
        "regency_logo": settings.REGENCY_LOGO_URL,
        # Units that answer citizens (outside institutions only receive referrals): the
        # number `load_demo` prints.
        "unit_count": Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).count(),
        "period": period,
        "month": regency,
        "computed_at": stats.computed_at(period),
        "numbers": official_numbers(),
        "bad_number": bool(number),
    }
    return render(request, "core/home.html", context)
