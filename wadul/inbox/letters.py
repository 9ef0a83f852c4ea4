"""The letter panel of a village-letter request in the inbox: the request's data, the
draft (editable), and the operator's and signer's actions, each through
`wadul.desa.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from wadul.cases import access
from wadul.cases.models import Attachment, Case, Via
from wadul.desa import forms, kind, services
from wadul.desa.models import DOCUMENTS, Letter, Service
from wadul.organisation.models import Official


def may_see_identity_photos(official: Official, case: Case) -> bool:
    """A letter request's KTP/KK photos: only the unit's own operators and signer (not the
    supervisors or central operators who see every case)."""
    if case.type != kind.CODE:
        return True
    return official.is_active and official.unit_id == case.unit_id


def panel(official: Official, case: Case) -> dict:
    """The template context of the letter panel ({} for other kinds)."""
    if case.type != kind.CODE:
        return {}
    try:
        service = services.service_of(case)
    except services.LetterError:
        return {}
    letter = Letter.objects.filter(case=case).first()
    details = case.details or {}
    fields = [(field["label"], details.get(field["name"], "")) for field in service.fields]
    photos = []
    if may_see_identity_photos(official, case):
        photos = list(case.attachments.filter(kind=Attachment.Kind.IMAGE))
    can_act = access.can_act(official, case) and official.unit_id == case.unit_id
    return {
        "letter_panel": True,
        "letter_service": service,
        "letter": letter,
        "letter_fields": fields,
        "letter_documents": [DOCUMENTS[code] for code in service.documents],
        "letter_photos": photos,
        "letter_can_act": can_act,
        "letter_can_sign": letter is not None and services.may_approve(official, letter),
    }


@login_required
@require_POST
def letter_action(request: HttpRequest, tracking_number: str) -> HttpResponse:
    case = access.get_case_or_404(request.user, tracking_number)
    official = request.user
    action = request.POST.get("action", "")
    # The camat of the kecamatan above countersigns (or refuses) from here too.
    camat_step = (
        action in ("approve", "reject")
        and case.unit is not None
        and official.unit_id is not None
        and official.unit_id == case.unit.parent_id
    )
    if case.type != kind.CODE or (official.unit_id != case.unit_id and not camat_step):
        raise PermissionDenied
    letter = Letter.objects.filter(case=case).first()
    text = request.POST.get("text", "").strip()
    try:
        if action == "correction":
            services.ask_correction(case, text=text, actor=official, via=Via.INBOX)
            done = "Permintaan perbaikan dikirim ke warga; waktu layanan berhenti sementara."
        elif action == "prepare":
            services.prepare(case, actor=official, via=Via.INBOX, body=text or None)
            done = "Draf surat disimpan."
        elif action == "send" and letter:
            services.send_for_signature(letter, actor=official, via=Via.INBOX)
            done = "Surat dikirim ke penandatangan."
        elif action == "approve" and letter:
            services.approve(letter, actor=official, via=Via.INBOX)
            done = f"Surat ditandatangani: nomor {letter.number}."
        elif action == "reject" and letter:
            services.reject(letter, reason=text, actor=official, via=Via.INBOX)
            done = "Surat ditolak dan dikembalikan ke operator."
        elif action == "revoke" and letter:
            services.revoke(letter, reason=text, actor=official, via=Via.INBOX)
            done = "Surat dicabut."
        else:
            raise services.LetterError("Tindakan tidak dikenal.")
    except PermissionDenied:
        messages.error(request, "Anda tidak berwenang untuk tindakan ini.")
    except services.LetterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("inbox:case_detail", tracking_number=case.tracking_number)


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest) -> HttpResponse:
    """The counter: the operator registers a citizen's letter request in person."""
    official = request.user
    offered = Service.objects.filter(unit_id=official.unit_id, is_active=True).order_by("name")
    if not offered.exists():
        raise PermissionDenied
    service = offered.filter(code=request.GET.get("layanan", "")).first()
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and service is not None:
        photos = forms.uploaded_documents(service, request.FILES)
        try:
            case = services.register_walk_in(
                service=service,
                values=forms.typed_values(service, request.POST),
                photos=photos,
                name=request.POST.get("nama_pemohon", ""),
                whatsapp=request.POST.get("whatsapp", ""),
                actor=official,
                via=Via.INBOX,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, f"Permohonan {case.tracking_number} terdaftar.")
            return redirect("inbox:case_detail", tracking_number=case.tracking_number)
    context = {
        "offered": offered,
        "service": service,
        "errors": errors,
        "post": request.POST,
        **forms.context(service, request.POST, errors),
    }
    return render(request, "inbox/letter_walk_in.html", context, status=400 if errors else 200)
