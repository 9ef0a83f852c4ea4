from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from wadul.cases import tracking
from wadul.cases.models import Case
from wadul.organisation.models import Unit


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("lacak", "").strip()
    if number:
        normalised = tracking.normalise(number)
        if normalised:
            return redirect("track", tracking_number=normalised)
    context = {
        "unit_count": Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).count(),
        "case_count": Case.objects.count(),
        "bad_number": bool(number),
    }
    return render(request, "core/home.html", context)
