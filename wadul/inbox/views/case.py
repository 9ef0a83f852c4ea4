"""The case page: the thread, the clock, the history and every action on the case."""

from __future__ import annotations

import hashlib
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wadul.cases import access, kinds, services
from wadul.cases.models import Case, Via
from wadul.inbox import canned, integrations, letters, options, presenters
from wadul.inbox.forms import ActionForm
from wadul.organisation.models import Official, Unit
from wadul.privacy import services as privacy
from wadul.privacy.models import AccessLog


def _offered(official: Official, case: Case) -> set[str]:
    if not access.can_act(official, case):
        return set()
    # The case's kind decides which moves its state machine allows (the services still
    # have the last word).
    offered = kinds.get(case.type).offered_actions(case.status)
    if "answer" in offered:
        offered.add("note")
    if case.unit_id is None:
        # From triage a case is assigned (to a unit), never transferred or returned.
        offered -= {"transfer", "return_to_triage", "clarify", "resolve"}
    if not official.can_act_on_all_cases:
        offered.discard("reject")
    return offered


def live_token(case: Case) -> str:
    """Changes whenever the thread, a delivery state or the case itself changes."""
    recent = list(
        case.messages.order_by("-pk").values_list("pk", "delivery")[:30]
    )  # ticks of the last messages are what changes after sending
    raw = f"{case.status}|{case.updated_at.isoformat()}|{case.assigned_to_id}|{recent}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]


def _colleagues(case: Case):
    if case.unit_id is None:
        return Official.objects.none()
    return (
        Official.objects.filter(unit__path__startswith=case.unit.path, is_active=True)
        .exclude(role=Official.Role.SUPERVISOR)
        .select_related("unit")
        .order_by("first_name", "username")
    )


def _case_context(request: HttpRequest, case: Case, form: ActionForm | None = None) -> dict:
    official = request.user
    now = timezone.now()
    offered = _offered(official, case)
    thread = case.messages.select_related("author").prefetch_related("attachments")
    context = {
        "case": case,
        "reporter": access.reporter_label(official, case),
        "thread": [(message, presenters.ticks(message)) for message in thread],
        "events": case.events.select_related("actor", "from_unit", "to_unit"),
        "can_act": bool(offered),
        "offered": offered,
        "form": form or ActionForm(initial={"text": _canned_text(request, case)}),
        "clock": presenters.clock(case, now),
        "reply_mode": presenters.reply_mode(case, now),
        "token": live_token(case),
        "duplicate_of": case.duplicate_of,
    }
    if offered:
        canned_answers = list(canned.for_case(case).values_list("pk", "title"))
        institutions = Unit.objects.filter(kind=Unit.Kind.EXTERNAL, is_active=True)
        colleagues = [(person.pk, f"{person} · {person.unit.code}") for person in _colleagues(case)]
        context.update(
            canned_answers=canned_answers,
            canned_options=options.options(canned_answers),
            unit_options=options.grouped_unit_options(exclude=case.unit_id),
            colleague_options=options.options(colleagues, case.assigned_to_id),
            institution_options=options.options(institutions.values_list("pk", "name")),
            suggestions=integrations.suggestions_for(case) if case.unit_id is None else [],
            duplicates=[
                candidate
                for candidate in integrations.duplicate_candidates(case)
                if access.can_see(official, candidate)
            ]
            if "merge" in offered
            else [],
        )
    return context


def _canned_text(request: HttpRequest, case: Case) -> str:
    chosen = request.GET.get("jawaban")
    if not chosen or not chosen.isdigit():
        return ""
    answer = canned.for_case(case).filter(pk=chosen).first()
    return canned.render(answer, case) if answer else ""


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def case_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    case = access.get_case_or_404(request.user, tracking_number)
    privacy.log_access(request.user, case, AccessLog.Surface.CASE_PAGE)
    context = {**_case_context(request, case), **letters.panel(request.user, case)}
    return render(request, "inbox/case_detail.html", context)


@login_required
@require_GET
def case_live(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The thread and status, polled by the page; 204 when nothing changed."""
    case = access.get_case_or_404(request.user, tracking_number)
    if request.GET.get("v") == live_token(case):
        return HttpResponse(status=204)
    # What changed is shown again: logged, but once per official, case and window (the
    # page polls every few seconds).
    privacy.log_access(
        request.user,
        case,
        AccessLog.Surface.CASE_LIVE,
        once_per_minutes=getattr(settings, "PRIVACY_LOG_POLL_MINUTES", 10),
    )
    context = _case_context(request, case)
    # The actions on offer depend on the status: refresh them too (not the reply box, which
    # may hold a half-typed answer).
    context["status_changed"] = request.GET.get("s", case.status) != case.status
    return render(request, "inbox/_case_live.html", context)


@login_required
@require_GET
def canned_answer(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The reply box filled with a canned answer (htmx swaps it in)."""
    case = access.get_case_or_404(request.user, tracking_number)
    if not access.can_act(request.user, case):
        raise PermissionDenied
    chosen = request.GET.get("jawaban", "")
    answer = canned.for_case(case).filter(pk=chosen).first() if chosen.isdigit() else None
    form = ActionForm(initial={"text": canned.render(answer, case) if answer else ""})
    return render(request, "inbox/_reply_text.html", {"form": form})


@login_required
@require_GET
def attachment(request: HttpRequest, tracking_number: str, pk: int) -> FileResponse:
    """A file of the case, only to those who may see the case."""
    case = access.get_case_or_404(request.user, tracking_number)
    if not letters.may_see_identity_photos(request.user, case):
        raise Http404
    item = get_object_or_404(case.attachments, pk=pk)
    privacy.log_access(request.user, case, AccessLog.Surface.ATTACHMENT, f"attachment {item.pk}")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    inline = item.kind in {"image", "audio", "video", "sticker"}
    extension = mimetypes.guess_extension(item.content_type) or ""
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=not inline,
        filename=item.original_name or f"{case.tracking_number}-{item.pk}{extension}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def case_action(request: HttpRequest, tracking_number: str) -> HttpResponse:
    case = access.get_case_or_404(request.user, tracking_number)
    if not access.can_act(request.user, case):
        raise PermissionDenied
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            done = _apply(request, case, form.cleaned_data)
        except services.CaseError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_action(request, case, done)
    context = _case_context(request, case, form)
    context["open_action"] = form.data.get("action")
    template = "inbox/_case_body.html" if _is_htmx(request) else "inbox/case_detail.html"
    return render(request, template, context, status=400)


def _after_action(request: HttpRequest, case: Case, done: str) -> HttpResponse:
    case = Case.objects.select_related("unit", "contact", "duplicate_of").get(pk=case.pk)
    if not access.can_see(request.user, case):
        # Transferred out of the official's reach: back to the list.
        messages.success(request, done)
        if _is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("inbox:case_list")
            return response
        return redirect("inbox:case_list")
    if _is_htmx(request):
        context = _case_context(request, case)
        context["done"] = done
        return render(request, "inbox/_case_body.html", context)
    messages.success(request, done)
    return redirect("inbox:case_detail", tracking_number=case.tracking_number)


def _apply(request: HttpRequest, case: Case, data: dict) -> str:
    """Call the case service for one action; returns what to tell the official."""
    me, via, action = request.user, Via.INBOX, data["action"]
    text, reason = (data.get("text") or "").strip(), (data.get("reason") or "").strip()
    if action == "answer":
        services.answer(case, text=text, actor=me, via=via)
        return _("Answer sent.")
    if action == "note":
        services.add_note(case, text=text, actor=me, via=via)
        return _("Note added.")
    if action == "assign_me":
        services.assign(case, actor=me, via=via, official=me)
        return _("Assigned to you.")
    if action == "assign":
        official = data.get("official")
        unit = data.get("unit") or (official.unit if official and case.unit_id is None else None)
        services.assign(case, actor=me, via=via, unit=unit, official=official)
        return _("Assigned.")
    if action == "transfer":
        services.transfer(case, to_unit=data["unit"], reason=reason, actor=me, via=via)
        return _("Transferred to %(unit)s.") % {"unit": data["unit"]}
    if action == "refer":
        services.refer_outside(case, institution=data["institution"], note=text, actor=me, via=via)
        return _("Referred to %(unit)s.") % {"unit": data["institution"]}
    if action == "merge":
        try:
            survivor = access.get_case_or_404(me, data["survivor"])
        except Http404:
            raise services.CaseError(
                _("No case with that tracking number in your reach.")
            ) from None
        services.mark_duplicate(case, of=survivor, actor=me, via=via)
        return _("Merged into %(number)s.") % {"number": survivor.tracking_number}
    if action == "clarify":
        services.request_clarification(case, text=text, actor=me, via=via)
        return _("Question sent; the clock is paused until the citizen replies.")
    if action == "resolve":
        services.resolve(case, actor=me, via=via, note=text)
        return _("Resolved.")
    if action == "close":
        services.close(case, actor=me, via=via)
        return _("Closed.")
    if action == "reopen":
        services.reopen(case, actor=me, via=via, reason=reason)
        return _("Reopened.")
    if action == "return_to_triage":
        services.return_to_triage(case, reason=reason, actor=me, via=via)
        return _("Returned to triage.")
    if action == "reject":
        if not me.can_act_on_all_cases:
            raise PermissionDenied
        services.reject(case, reason=reason, actor=me, via=via)
        return _("Rejected.")
    raise services.CaseError(_("Unknown action."))


__all__ = ["case_detail", "case_live", "case_action", "attachment", "canned_answer"]
