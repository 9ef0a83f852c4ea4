"""The data protection officer's pages: the access log per case and per official, alerts,
legal holds, a person's data exported (with a reason) or anonymised, the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wadul.cases import tracking
from wadul.cases.models import Case, Contact, Via
from wadul.inbox.paging import page_of
from wadul.organisation.models import Official
from wadul.privacy import bundle, monitoring, register, services
from wadul.privacy import requests as data_requests
from wadul.privacy.models import AccessLog

PAGE_SIZE = 100


def _log_page(request: HttpRequest, template: str, entries, **extra) -> HttpResponse:
    page = page_of(request, entries, PAGE_SIZE)
    context = {"section": "privacy", "entries": page.rows, "page": page.number}
    context.update(has_next=page.has_next, **extra)
    return render(request, f"inbox/privacy/{template}", context)


def _dpo(request: HttpRequest) -> Official:
    if not services.is_dpo(request.user):
        raise PermissionDenied
    return request.user


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _dpo(request)
    query = request.GET.get("q", "").strip()
    if query:
        number = tracking.normalise(query)
        case = Case.objects.filter(tracking_number=number).first() if number else None
        if case is not None:
            return redirect("inbox:privacy_case", tracking_number=case.tracking_number)
        official = Official.objects.filter(username=query).first()
        if official is not None:
            return redirect("inbox:privacy_official", pk=official.pk)
        messages.error(request, _("No case or official by that name."))
    entries = AccessLog.objects.select_related("official", "case")
    return _log_page(request, "dashboard.html", entries, alerts=monitoring.alerts())


@login_required
@require_http_methods(["GET", "POST"])
def case_log(request: HttpRequest, tracking_number: str) -> HttpResponse:
    dpo = _dpo(request)
    case = get_object_or_404(
        Case.objects.select_related("contact"), tracking_number=tracking_number
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action in {"send_copy", "erase", "restrict"}:
            _answer_request(request, case, action)
        elif action == "release":
            services.release_legal_hold(case, actor=dpo)
            messages.success(request, _("Legal hold released."))
        else:
            try:
                services.place_legal_hold(case, reason=request.POST.get("reason", ""), actor=dpo)
            except services.ErasureRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Legal hold placed."))
        return redirect("inbox:privacy_case", tracking_number=case.tracking_number)
    hold = case.legal_holds.filter(released_at__isnull=True).first()
    entries = monitoring.log_for_case(case.pk)
    return _log_page(request, "case_log.html", entries, case=case, hold=hold)


def _answer_request(request: HttpRequest, case: Case, action: str) -> None:
    """Answer a citizen's personal-data request: their copy, or their erasure."""
    if case.type != data_requests.CODE or case.contact_id is None or not case.is_open:
        messages.error(request, _("This is not an open personal-data request."))
        return
    if action == "send_copy":
        data_requests.send_copy(case, actor=request.user)
        messages.success(request, _("The copy of their data was sent."))
        return
    if action == "restrict":
        data_requests.restrict(case, actor=request.user)
        messages.success(request, _("Processing of their data is restricted."))
        return
    refused = data_requests.erase(case, actor=request.user)
    if refused:
        messages.error(request, _("Erasure refused; the reasons were sent to the citizen."))
    else:
        messages.success(request, _("Their data was anonymised."))


@login_required
@require_GET
def official_log(request: HttpRequest, pk: int) -> HttpResponse:
    _dpo(request)
    official = get_object_or_404(Official, pk=pk)
    entries = monitoring.log_for_official(official.pk)
    return _log_page(request, "official_log.html", entries, official=official)


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One citizen: export their data (a reason is required, and logged) or anonymise them."""
    dpo = _dpo(request)
    contact = get_object_or_404(Contact, pk=pk)
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request, _("State the reason for this export or erasure."))
        elif request.POST.get("action") == "correct":
            try:
                services.correct_contact(
                    contact,
                    request.POST.get("field", ""),
                    request.POST.get("value", ""),
                    actor=dpo,
                    via=Via.INBOX,
                )
            except services.ErasureRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Corrected; recorded in each case's history."))
        elif request.POST.get("action") == "register" and request.POST.get("right"):
            case = data_requests.register_request(
                contact, request.POST["right"], actor=dpo, note=reason
            )
            return redirect("inbox:privacy_case", tracking_number=case.tracking_number)
        elif request.POST.get("action") == "export":
            data = bundle.collect(contact)
            for case in contact.cases.all():
                services.log_access(dpo, case, AccessLog.Surface.EXPORT, reason)
            response = HttpResponse(bundle.as_json(data), content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="data-warga-{pk}.json"'
            return response
        elif request.POST.get("action") == "restrict":
            services.restrict_contact(contact, reason=reason, actor=dpo, via=Via.INBOX)
            messages.success(request, _("Processing of their data is restricted."))
        elif request.POST.get("action") == "lift_restriction":
            services.lift_restriction(contact, actor=dpo, via=Via.INBOX)
            messages.success(request, _("The restriction was lifted."))
        elif request.POST.get("action") == "anonymise":
            try:
                result = services.anonymise_contact(contact, actor=dpo, via=Via.INBOX)
            except services.ErasureRefused as refused:
                for line in refused.reasons:
                    messages.error(request, line)
            else:
                messages.success(
                    request,
                    _("Anonymised across %(count)s cases.") % {"count": len(result.cases)},
                )
        return redirect("inbox:privacy_person", pk=pk)
    context = {
        "section": "privacy",
        "contact": contact,
        "cases": contact.cases.order_by("-created_at"),
        "refusals": services.refusals(contact),
        "restricted": services.is_restricted(contact.pk),
        "rights": data_requests.RIGHTS,
    }
    return render(request, "inbox/privacy/person.html", context)


@login_required
@require_GET
def processing_register(request: HttpRequest) -> HttpResponse:
    _dpo(request)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(register.as_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="register-pemrosesan.pdf"'
        return response
    context = {"section": "privacy", "entries": register.entries()}
    return render(request, "inbox/privacy/register.html", context)


__all__ = ["dashboard", "case_log", "official_log", "person", "processing_register"]
