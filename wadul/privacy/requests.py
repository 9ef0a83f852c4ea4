"""Data-subject requests (UU 27/2022 Pasal 32 ff.) as a request kind on the conversation core.

A citizen types "data saya" (the intent classifier knows it) or picks it from the first-contact
menu and chooses what they want: a copy, a correction, erasure / end of processing, or a
restriction. On WhatsApp the number the request comes from is the proven identity. The case
goes to the DPO's unit (settings.PRIVACY_DPO_UNIT), whose office hours should be round the
clock with no days off: its 3-day resolution target is then 3 × 24 hours of clock time, and
the clock's ladder warns and escalates to the DPO as the head of that unit.

A number that owns no data is told so at once, with no hint about any other number.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases import kinds
from wadul.cases import services as case_services
from wadul.cases.channels import Notice
from wadul.cases.events import case_event_committed
from wadul.cases.kinds import ClockTargets, IntakeField, Publication, RequestKind
from wadul.cases.models import Case, CaseEvent, Channel, Contact, ContactIdentity, Via
from wadul.core import codes, limits
from wadul.organisation.models import Official, Unit
from wadul.privacy import bundle, services
from wadul.privacy.models import WebRequest

CODE = "personal_data"
ACCESS, CORRECTION, ERASURE, RESTRICTION = "akses", "koreksi", "hapus", "batasi"
RIGHTS = (
    (ACCESS, "Salinan data saya"),
    (CORRECTION, "Perbaiki data saya"),
    (ERASURE, "Hapus / hentikan"),
    (RESTRICTION, "Batasi pemrosesan"),
)
NO_DATA = (
    "Nomor ini tidak memiliki data pribadi di layanan pengaduan kami selain permintaan ini. "
    "Permintaan Anda kami tutup."
)

OPEN = frozenset({"received", "triage", "assigned", "in_progress", "answered"})
PERSONAL_DATA = RequestKind(
    code=CODE,
    label=_("personal data request (UU 27/2022)"),
    transitions={
        "received": frozenset({"triage", "assigned", "rejected"}),
        "triage": frozenset({"assigned", "rejected"}),
        "assigned": frozenset({"assigned", "in_progress", "answered", "resolved", "rejected"}),
        "in_progress": frozenset({"answered", "resolved"}),
        "answered": frozenset({"in_progress", "resolved"}),
        "resolved": frozenset({"closed"}),
        "closed": frozenset(),
        "rejected": frozenset(),
    },
    open_statuses=OPEN,
    # 3 × 24 hours: days of the DPO unit's round-the-clock calendar.
    clock=ClockTargets(first_response_minutes=24 * 60, next_response_days=1, resolution_days=3),
    intake=(
        IntakeField(
            "hak",
            "Permintaan data pribadi (UU 27/2022). Apa yang Anda minta?\n"
            "1. Salinan data saya\n2. Perbaiki data saya\n3. Hapus / hentikan pemrosesan\n"
            "4. Batasi pemrosesan",
            type="choice",
            choices=RIGHTS,
        ),
    ),
    publication=Publication(on_portal=False, in_open_data=False),
    menu_title="Data pribadi saya",
    menu_description="Salinan, perbaikan, penghapusan data (UU 27/2022)",
    noun="permintaan data pribadi",
    keywords=("data saya", "data pribadi saya"),
)


def register() -> None:
    kinds.register(PERSONAL_DATA)
    case_event_committed.connect(_route_opened_request, dispatch_uid="privacy_route_request")


def dpo_unit() -> Unit | None:
    return Unit.objects.filter(code=getattr(settings, "PRIVACY_DPO_UNIT", "PDP")).first()


def _route_opened_request(sender: Any, event: CaseEvent, historical: bool, **kwargs) -> None:
    if historical or event.kind != CaseEvent.Kind.OPENED or event.case.type != CODE:
        return
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("contact")
            .get(pk=event.case_id)
        )
        unit = dpo_unit()
        if unit is not None and case.unit_id != unit.pk:
            if case.unit_id is None:
                case_services.assign(case, actor=None, via=Via.SYSTEM, unit=unit)
            else:
                reason = "Permintaan data pribadi ditangani Pejabat PDP"
                case_services.transfer(
                    case, to_unit=unit, reason=reason, actor=None, via=Via.SYSTEM
                )
        if case.contact_id is not None and not owns_data(case):
            case_services.answer(case, text=NO_DATA, actor=None, via=Via.SYSTEM)
            case_services.resolve(case, actor=None, via=Via.SYSTEM)


def owns_data(case: Case) -> bool:
    """Whether the requester has any case other than their personal-data requests."""
    return case.contact.cases.exclude(type=CODE).exists()


def register_request(contact: Contact, right: str, *, actor: Official, note: str = "") -> Case:
    """A request made at the counter, by letter or by phone, registered by staff."""
    titles = dict(RIGHTS)
    if right not in titles:
        raise ValueError(f"unknown right {right!r}")
    return case_services.open_case(
        channel=Channel.WALK_IN,
        text=f"{PERSONAL_DATA.label}: {titles[right]}\n{note}".strip(),
        via=Via.INBOX,
        contact=contact,
        unit=dpo_unit(),
        type=CODE,
        actor=actor,
        details={"hak": right},
    )


# Channels that can carry a file to the citizen register here (WhatsApp: the outbox's
# media message); channel code → fn(message, attachment).
FILE_SENDERS: dict[str, Any] = {}


def send_copy(case: Case, *, actor: Official, via: str = Via.INBOX) -> list[str]:
    """Answer an access request with the person's bundle (PDF to read, JSON to reuse),
    logged as an export of their data."""
    contact = case.contact
    data = bundle.collect(contact)
    files = [
        ("data-pribadi.pdf", "application/pdf", bundle.as_pdf(data)),
        ("data-pribadi.json", "text/plain", bundle.as_json(data).encode()),
    ]
    names = []
    with transaction.atomic():
        for name, content_type, content in files:
            message = case_services.answer(
                case, text="[dokumen]", actor=actor, via=via, notice=Notice(hold=True)
            )
            attachment = case_services.add_attachment(
                case,
                file=ContentFile(content, name=name),
                content_type=content_type,
                actor=actor,
                via=via,
                message=message,
                original_name=name,
            )
            sender = FILE_SENDERS.get(case.channel)
            if sender is not None:
                sender(message, attachment)
            names.append(name)
        names += _send_own_files(case, contact, actor=actor, via=via)
        for seen in contact.cases.all():
            services.log_access(actor, seen, "export", f"salinan untuk {case.tracking_number}")
    return names


def _send_own_files(case: Case, contact: Contact, *, actor: Official, via: str) -> list[str]:
    """Each file the person sent, as its own message (WhatsApp takes no ZIP): the stored
    file itself goes, not a copy — a copy would outlive the original's retention."""
    sender = FILE_SENDERS.get(case.channel)
    if sender is None:  # the web: each case's private page already shows its files
        return []
    names = []
    for item in bundle.own_files(contact):
        text = f"Lampiran Anda dari laporan {item.case.tracking_number}"
        message = case_services.answer(
            case, text=text, actor=actor, via=via, notice=Notice(hold=True)
        )
        sender(message, item)
        names.append(item.original_name or item.file.name.rsplit("/", 1)[-1])
    return names


def erase(case: Case, *, actor: Official, via: str = Via.INBOX) -> list[str]:
    """Answer an erasure request: anonymise the person, or send the reasons it is refused
    (the refusal is a letter). Returns the refusal reasons (empty: erased)."""
    contact = case.contact
    reasons = services.refusals(contact, except_kind=CODE)
    if reasons:
        letter = "Permintaan penghapusan data belum dapat kami penuhi karena:\n- " + "\n- ".join(
            reasons
        )
        case_services.answer(case, text=letter, actor=actor, via=via)
        return reasons
    with transaction.atomic():
        case_services.answer(
            case,
            text="Data pribadi Anda telah dihapus dari semua laporan Anda. Terima kasih.",
            actor=actor,
            via=via,
        )
        case_services.resolve(case, actor=actor, via=via)
        services.anonymise_contact(contact, actor=actor, via=via, except_kind=CODE)
    return []


def restrict(case: Case, *, actor: Official, via: str = Via.INBOX) -> None:
    """Answer a restriction request: the person's data is from now on only stored (see
    `services.restrict_contact`), the citizen is told, and the request is resolved."""
    with transaction.atomic():
        services.restrict_contact(
            case.contact,
            reason=f"Permintaan {case.tracking_number}",
            actor=actor,
            via=via,
        )
        case_services.answer(
            case,
            text=(
                "Pemrosesan data pribadi Anda telah dibatasi: data hanya disimpan, tidak "
                "diterbitkan dan tidak dibagikan. Bila ingin mencabutnya, ketik *data saya* "
                "dan sampaikan kepada petugas."
            ),
            actor=actor,
            via=via,
        )
        case_services.resolve(case, actor=actor, via=via)


# --- On the web: proven by a code sent to the WhatsApp number ------------------------------

CODE_PURPOSE = "privacy-request"
# Codes sent to one number per hour (a form must not become a way to pester someone).
CODES_PER_NUMBER_PER_HOUR = 3


class WrongCode(Exception):
    pass


def start_web_request(wa_id: str, right: str) -> WebRequest | None:
    """Send a code to the number; None when this number had its codes for the hour (the
    page says the same either way, so it tells nothing about the number)."""
    if right not in dict(RIGHTS):
        raise ValueError(f"unknown right {right!r}")
    if not limits.take(CODE_PURPOSE, wa_id, CODES_PER_NUMBER_PER_HOUR, timedelta(hours=1)):
        return None
    code = codes.new_code()
    request = WebRequest.objects.create(
        wa_id=wa_id,
        right=right,
        code_digest=codes.digest(code, CODE_PURPOSE),
        expires_at=codes.expiry(),
    )
    codes.send(
        wa_id, f"Kode permintaan data pribadi Anda: {code}. Jangan berikan kepada siapa pun."
    )
    return request


def confirm_web_request(request: WebRequest, code: str) -> Case:
    """The code typed back: the request opens as a case of the number's owner."""
    with transaction.atomic():
        request = WebRequest.objects.select_for_update().get(pk=request.pk)
        if request.case_id:
            return request.case
        if request.expires_at < timezone.now() or request.attempts >= codes.CODE_MAX_ATTEMPTS:
            raise WrongCode("Kode sudah tidak berlaku. Silakan mulai lagi.")
        if not codes.matches(code, request.code_digest, CODE_PURPOSE):
            request.attempts += 1
            request.save(update_fields=["attempts"])
            raise WrongCode("Kode salah.")
        identity = ContactIdentity.objects.filter(
            kind=ContactIdentity.Kind.WA_ID, value=request.wa_id
        ).first()
        contact = identity.contact if identity else None
        if contact is None:
            contact = Contact.objects.create()
            ContactIdentity.objects.create(
                contact=contact, kind=ContactIdentity.Kind.WA_ID, value=request.wa_id
            )
        request.case = case_services.open_case(
            channel=Channel.WEB,
            text=f"{PERSONAL_DATA.label}: {dict(RIGHTS)[request.right]}",
            via=Via.WEB,
            contact=contact,
            unit=dpo_unit(),
            type=CODE,
            details={"hak": request.right},
        )
        request.save(update_fields=["case"])
    return request.case
