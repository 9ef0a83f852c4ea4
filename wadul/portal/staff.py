"""Operators' publication work: checking photos and deciding what of a case is public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wadul.cases import access
from wadul.cases.models import Attachment, Message
from wadul.portal import services
from wadul.portal.public import is_answer, is_published, masker_for, public_text
from wadul.portal.views import _file


def _require_operator(request: HttpRequest) -> None:
    official = request.user
    if not (official.is_active and official.can_act_on_all_cases):
        raise PermissionDenied(_("Only operators decide what is published."))


@login_required
@require_http_methods(["GET", "POST"])
def photo_queue(request: HttpRequest) -> HttpResponse:
    """Operators check photos before they appear on the portal."""
    _require_operator(request)
    official = request.user
    if request.method == "POST":
        attachment = get_object_or_404(Attachment, pk=request.POST.get("attachment"))
        approve = request.POST.get("decision") == "approve"
        services.approve_photo(attachment, actor=official, approved=approve)
        messages.success(request, _("Photo approved.") if approve else _("Photo kept private."))
        return redirect("portal:photo_queue")
    pending = (
        Attachment.objects.filter(kind=Attachment.Kind.IMAGE, photo_decision__isnull=True)
        .select_related("case")
        .order_by("-created_at")[:50]
    )
    return render(request, "portal/photo_queue.html", {"pending": pending})


@login_required
@require_GET
def staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo for the operator who checks it."""
    _require_operator(request)
    return _file(get_object_or_404(Attachment, pk=pk, kind=Attachment.Kind.IMAGE))


@login_required
@require_http_methods(["GET", "POST"])
def publication(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """An operator's view of what the portal shows of one case: mark names as personal,
    keep answers private, and preview the masked text."""
    _require_operator(request)
    official = request.user
    case = access.get_case_or_404(official, tracking_number)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "term" and (term := request.POST.get("term", "").strip()):
            scope = None if request.POST.get("scope") == "global" else case
            try:
                services.mark_personal(term, actor=official, case=scope)
            except ValueError as error:
                messages.error(request, str(error))
        elif action == "private":
            message = get_object_or_404(case.messages, pk=request.POST.get("message"))
            services.keep_answer_private(message, actor=official)
        elif action == "public":
            message = get_object_or_404(case.messages, pk=request.POST.get("message"))
            services.publish_answer(message, actor=official)
        elif action == "unterm":
            term_id = request.POST.get("term_id", "")
            term = case.personal_terms.filter(pk=term_id).first() if term_id.isdigit() else None
            if term is not None:
                services.unmark_personal(term, actor=official)
        return redirect("portal:publication", tracking_number=case.tracking_number)
    masker = masker_for(case)
    subject, description = public_text(case, masker)
    answers = case.messages.filter(is_answer(), direction=Message.Direction.OUTBOUND)
    answers = answers.select_related("private_mark")
    context = {
        "case": case,
        "published": is_published(case),
        "subject": subject,
        "description": description,
        "answers": [
            {"message": m, "masked": masker(m.text), "private": hasattr(m, "private_mark")}
            for m in answers
        ],
        "terms": case.personal_terms.all(),
    }
    return render(request, "portal/publication.html", context)
