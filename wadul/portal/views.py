"""Public pages: report, track, the reporter's private page, published cases and photos."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wadul.cases import tracking
from wadul.cases.models import Attachment, Case, CaseType
from wadul.core import limits
from wadul.organisation.models import Region, Unit
from wadul.portal import listing, maps, photos, services
from wadul.portal.forms import ReportForm
from wadul.portal.models import WhatsAppVerification
from wadul.portal.public import (
    is_published,
    masker_for,
    public_photos,
    public_text,
    published_answers,
    published_cases,
    reporter_messages,
)


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count web reports per address per hour (settings.PORTAL_REPORTS_PER_HOUR), in the
    database so that every process counts the same."""
    key = limits.client_ip(request) or "unknown"
    allowed = limits.take(
        limits.REPORT_IP, key, settings.PORTAL_REPORTS_PER_HOUR, timedelta(hours=1)
    )
    return not allowed


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    rate_limited = False
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            # Look like success to a bot, open nothing.
            return render(request, "portal/report_spam.html")
        if _over_rate_limit(request):
            rate_limited = True
        else:
            data = form.cleaned_data
            try:
                # Decoded only now: the form is valid and the address within its limit.
                clean_photos = photos.cleaned(data["photos"])
            except photos.NotAPhoto as error:
                name = data["photos"][error.position - 1].name
                form.add_error(
                    "photos", _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}
                )
            else:
                case = services.submit_report(
                    type=data["type"],
                    text=data["text"],
                    visibility=data["visibility"],
                    name=data["name"],
                    wa_number=data["whatsapp"],
                    region=data["region"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    photos=clean_photos,
                )
                return redirect(reverse("portal:private", args=[case.access_token]) + "?baru=1")
    status = 429 if rate_limited else (400 if form.errors else 200)
    return render(
        request,
        "portal/report.html",
        {"form": form, "rate_limited": rate_limited, "picker": maps.picker_map()},
        status=status,
    )


@require_GET
def track(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """Public status of any case by its number: no names, no numbers, no text."""
    number = tracking.normalise(tracking_number)
    case = (
        Case.objects.select_related("unit", "referred_to").filter(tracking_number=number).first()
        if number
        else None
    )
    context = {"case": case, "number": tracking_number, "published": case and is_published(case)}
    return render(request, "portal/track.html", context, status=200 if case else 404)


def _private_case(token) -> Case:
    return get_object_or_404(
        Case.objects.select_related("unit", "referred_to", "region"), access_token=token
    )


def _private_headers(response: HttpResponse) -> HttpResponse:
    # The link is the key: never leak it in a Referer, never let a search engine keep it.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET
def private(request: HttpRequest, token) -> HttpResponse:
    """The reporter's full view: their messages, every answer (private ones too), photos."""
    return _private_page(request, _private_case(token))


@never_cache
@require_POST
def verify_whatsapp(request: HttpRequest, token) -> HttpResponse:
    """The code sent to the WhatsApp number on the report, typed back: the number is linked."""
    case = _private_case(token)
    try:
        services.confirm_whatsapp(case, request.POST.get("code", "")[:20])
    except services.WrongCode as error:
        return _private_page(request, case, code_error=str(error), status=400)
    return _private_headers(redirect("portal:private", token=token))


def _private_page(request: HttpRequest, case: Case, *, code_error: str = "", status: int = 200):
    token = case.access_token
    context = {
        "verification": WhatsAppVerification.objects.filter(case=case).first(),
        "code_error": code_error,
        "case": case,
        "thread": reporter_messages(case),
        "photos": case.attachments.filter(kind=Attachment.Kind.IMAGE),
        "is_new": request.GET.get("baru") == "1",
        "private_url": request.build_absolute_uri(reverse("portal:private", args=[token])),
        "published": is_published(case),
    }
    return _private_headers(render(request, "portal/private.html", context, status=status))


@never_cache
@require_GET
def private_photo(request: HttpRequest, token, pk: int) -> FileResponse:
    case = _private_case(token)
    attachment = get_object_or_404(case.attachments, pk=pk, kind=Attachment.Kind.IMAGE)
    return _private_headers(_file(attachment))


@require_GET
def public_photo(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        Attachment.objects.select_related("case"),
        pk=pk,
        kind=Attachment.Kind.IMAGE,
        approved_for_public=True,
    )
    if not is_published(attachment.case):
        raise Http404(_("No such photo."))
    return _file(attachment)


def _file(attachment: Attachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    filters = listing.Filters.from_query(request.GET)
    result = listing.page(filters, request.GET.get("sebelum", ""))
    rows = [(case, result.maskers[case.pk]) for case in result.cases]
    query = request.GET.copy()
    query.pop("sebelum", None)
    context = {
        "filters": filters,
        "rows": [
            {"case": c, "subject": subject or description[:120]}
            for c, m in rows
            for subject, description in [public_text(c, m)]
        ],
        "page": result,
        "query": query.urlencode(),
        "units": Unit.objects.filter(is_active=True)
        .exclude(kind__in=[Unit.Kind.EXTERNAL, Unit.Kind.DESA])
        .order_by("name"),
        "kecamatan_list": Region.objects.filter(level=Region.Level.KECAMATAN).order_by("name"),
        "desa_list": (
            Region.objects.filter(parent=filters.kecamatan).order_by("name")
            if filters.kecamatan
            else []
        ),
        "statuses": listing.STATUS_CHOICES,
        "types": CaseType.choices,
    }
    return render(request, "portal/case_list.html", context)


@require_GET
def case_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    number = tracking.normalise(tracking_number)
    case = (
        published_cases()
        .select_related("unit", "region", "region__parent", "referred_to", "contact")
        .filter(tracking_number=number)
        .first()
        if number
        else None
    )
    if case is None:
        raise Http404(_("No such published case."))
    masker = masker_for(case)
    subject, description = public_text(case, masker)
    context = {
        "case": case,
        "description": description,
        "subject": subject,
        "answers": [
            {"id": m.pk, "at": m.created_at, "text": masker(m.text)}
            for m in published_answers(case)
        ],
        "photos": public_photos(case),
    }
    return render(request, "portal/case_detail.html", context)
