"""Every change to a village-letter request: check, correct, prepare, sign, deliver, revoke.

Each verb is atomic, takes a keyword-only actor and the surface it came through, and writes
one case event (`wadul.cases.events`). The case's own moves (waiting for a correction,
resolved once the letter is out) go through `wadul.cases.services`.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from wadul.cases import access, events
from wadul.cases import services as case_services
from wadul.cases.channels import Notice, Purpose
from wadul.cases.models import Attachment, Case, Channel, Contact, ContactIdentity, Status
from wadul.desa import checks
from wadul.desa import photos as desa_photos
from wadul.desa.kind import CODE, SERVICE_FIELD
from wadul.desa.models import (
    DOCUMENTS,
    Delivery,
    Letter,
    LetterOffice,
    LetterSequence,
    Service,
    Signer,
    fill,
)
from wadul.organisation.models import Official, Unit

# Sent inside the signing transaction with (letter, message, attachment): the case's
# channel sends the signed PDF with the message (WhatsApp: a document message).
letter_issued = Signal()
# Sent after commit with (letter): the signer is told there is a letter to sign.
signature_requested = Signal()

SIGN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LetterError = case_services.CaseError


def service_of(case: Case) -> Service:
    if case.type != CODE:
        raise LetterError("Kasus ini bukan permohonan surat.")
    service = Service.objects.filter(
        unit_id=case.unit_id, code=(case.details or {}).get(SERVICE_FIELD, "")
    ).first()
    if service is None:
        raise LetterError("Layanan surat kasus ini tidak ditemukan di katalog unitnya.")
    return service


# A deputy is recognised by their position (Official has no such role): "Sekretaris Desa
# Kemiren", "Sekdes".
DEPUTY_POSITION = re.compile(r"\b(sekretaris|sekdes|sekkel)\b", re.I)


def is_deputy(official: Official) -> bool:
    return bool(DEPUTY_POSITION.search(official.position or ""))


def can_sign(official: Official, letter: Letter) -> bool:
    """The unit's head signs every letter of the unit; where the catalogue names the
    sekretaris (a.n., on the head's behalf), an official of the unit whose position is
    sekretaris signs too."""
    if not official.is_active or official.unit_id != letter.unit_id:
        return False
    if official.role == Official.Role.HEAD:
        return True
    return letter.service.signer == Signer.SEKRETARIS and is_deputy(official)


def can_countersign(official: Official, letter: Letter) -> bool:
    """The camat: the head of the kecamatan right above the letter's unit."""
    return (
        official.is_active
        and official.role == Official.Role.HEAD
        and official.unit_id is not None
        and official.unit_id == letter.unit.parent_id
        and official.unit.kind == Unit.Kind.KECAMATAN
    )


def may_approve(official: Official, letter: Letter) -> bool:
    """Whether `official` signs the letter at the step it waits at."""
    if letter.state == Letter.State.AWAITING_CAMAT:
        return can_countersign(official, letter)
    return can_sign(official, letter)


def signers(letter: Letter) -> list[Official]:
    """Who may sign this letter at the step it waits at (to be told it waits)."""
    if letter.state == Letter.State.AWAITING_CAMAT:
        unit_id = letter.unit.parent_id
    else:
        unit_id = letter.unit_id
    officials = Official.objects.filter(unit_id=unit_id, is_active=True).select_related("unit")
    return [official for official in officials if may_approve(official, letter)]


def signer_position(official: Official, letter: Letter, office: LetterOffice) -> str:
    """As printed above the name; a deputy signs "a.n." (on behalf of) the head."""
    if official.role != Official.Role.HEAD:  # a deputy (`can_sign`)
        head = "Lurah" if office.unit.name.startswith("Kelurahan") else "Kepala Desa"
        return f"a.n. {head} {place_name(office.unit.name)}\n{official.position}"
    return official.position or f"{letter.service.get_signer_display()} {office.unit.name}"


def check_request(
    service: Service,
    *,
    values: dict[str, str],
    photos: dict[str, File],
    whatsapp: str,
    check_photos: bool = False,
) -> tuple[dict[str, str], str]:
    """A request typed in a form (counter or web): the details as the intake would have
    stored them and the WhatsApp number normalised (62…), or a ValidationError with what to
    fix per field, in Indonesian. `check_photos` (the citizen's web form) refuses a document
    that is not a readable photo; the counter's scanner may hand in a PDF."""
    errors: dict[str, str] = {}
    details = {SERVICE_FIELD: service.code}
    for field in service.fields:
        try:
            details[field["name"]] = checks.CHECKS[field["type"]](values.get(field["name"], ""))
        except checks.InvalidAnswer as error:
            errors[field["name"]] = str(error)
    for code in service.documents:
        if code not in photos:
            errors[f"foto_{code}"] = f"{DOCUMENTS[code]} belum diunggah."
        elif check_photos:
            try:
                desa_photos.check(photos[code])
            except checks.InvalidAnswer as error:
                errors[f"foto_{code}"] = f"{DOCUMENTS[code]}: {error}"
    whatsapp = re.sub(r"\D", "", whatsapp).removeprefix("0")
    if whatsapp and not whatsapp.startswith("62"):
        whatsapp = "62" + whatsapp
    if whatsapp and not 10 <= len(whatsapp) <= 15:
        errors["whatsapp"] = "Nomor WhatsApp tidak sah."
    if errors:
        raise ValidationError(errors)
    return details, whatsapp


def requester(name: str, whatsapp: str) -> Contact:
    """The contact of a form request (the same contact as their WhatsApp, if known)."""
    if whatsapp:
        known = ContactIdentity.objects.filter(kind=ContactIdentity.Kind.WA_ID, value=whatsapp)
        if known.exists():
            return known.first().contact
    contact = Contact.objects.create(display_name=" ".join(name.split())[:200])
    if whatsapp:
        ContactIdentity.objects.create(
            contact=contact, kind=ContactIdentity.Kind.WA_ID, value=whatsapp
        )
    return contact


def attach_documents(
    case: Case, photos: dict[str, File], *, actor: Official | None, via: str
) -> None:
    for code, photo in photos.items():
        case_services.add_attachment(
            case,
            file=photo,
            content_type=getattr(photo, "content_type", ""),
            actor=actor,
            via=via,
            original_name=f"{code}{os.path.splitext(photo.name or '')[1]}",
        )


@transaction.atomic
def register_walk_in(
    *,
    service: Service,
    values: dict[str, str],
    photos: dict[str, File],
    name: str,
    whatsapp: str,
    actor: Official,
    via: str,
) -> Case:
    """A citizen at the counter: the operator types the data and scans the documents; the
    request is the same case an intake opens (channel walk_in). Nothing is saved when a
    field is wrong (`check_request`)."""
    if actor.unit_id != service.unit_id:
        raise PermissionDenied("Hanya operator unit ini yang mendaftarkan permohonan loket.")
    details, whatsapp = check_request(service, values=values, photos=photos, whatsapp=whatsapp)
    case = case_services.open_case(
        channel=Channel.WALK_IN,
        text=f"{service.name} (loket)",
        via=via,
        contact=requester(name, whatsapp),
        type=CODE,
        unit=service.unit,
        actor=actor,
        details=details,
    )
    attach_documents(case, photos, actor=actor, via=via)
    return case


@transaction.atomic
def correct_details(
    case: Case, *, values: dict[str, str], actor: Official, via: str
) -> dict[str, str]:
    """Fix the request's data (after the citizen's correction), each value checked by its
    field's type; refuses an unknown field."""
    _ensure_staff(actor, case)
    service = service_of(case)
    types = {field["name"]: field["type"] for field in service.fields}
    cleaned = {}
    for name, value in values.items():
        if name not in types:
            raise LetterError(f"Data {name} tidak ada di layanan {service.name}.")
        try:
            cleaned[name] = checks.CHECKS[types[name]](value)
        except checks.InvalidAnswer as error:
            raise LetterError(f"{name}: {error}") from None
    details = {**(case.details or {}), **cleaned}
    Case.objects.filter(pk=case.pk).update(details=details)
    case.details = details
    events.record(case, "letter_details_corrected", actor=actor, via=via, fields=sorted(cleaned))
    return details


@transaction.atomic
def ask_correction(case: Case, *, text: str, actor: Official, via: str):
    """Ask the citizen to correct data or a photo: the clock pauses until they reply."""
    _ensure_staff(actor, case)
    if case.status == Status.ASSIGNED:
        case_services.start_work(case, actor=actor, via=via)
    return case_services.request_clarification(case, text=text, actor=actor, via=via)


@transaction.atomic
def prepare(case: Case, *, actor: Official, via: str, body: str | None = None) -> Letter:
    """The letter drafted from the service's template with the request's data (or `body`
    as edited by the operator); a rejected letter is prepared again."""
    _ensure_staff(actor, case)
    service = service_of(case)
    office = _office(case)
    if case.status == Status.ASSIGNED:
        case_services.start_work(case, actor=actor, via=via)
    values = {
        **{k: str(v) for k, v in (case.details or {}).items()},
        "nama_unit": case.unit.name,
        "layanan": service.name,
        "jabatan_penandatangan": f"{service.get_signer_display()} {place_name(case.unit.name)}",
    }
    text = body if body is not None else fill(service.template, values)
    letter = Letter.objects.select_for_update().filter(case=case).first()
    if letter is not None and letter.state == Letter.State.SIGNED:
        raise LetterError("Surat ini sudah ditandatangani.")
    if letter is None:
        letter = Letter.objects.create(
            case=case,
            service=service,
            unit=office.unit,
            body=text,
            sign_code=_new_sign_code(),
            verification_code=secrets.token_urlsafe(16),
            masked_name=mask_name(str(values.get("nama", ""))),
        )
    else:
        letter.body, letter.state, letter.rejection_reason = text, Letter.State.DRAFT, ""
        letter.save(update_fields=["body", "state", "rejection_reason"])
    events.record(case, "letter_prepared", actor=actor, via=via, letter=letter.pk)
    return letter


@transaction.atomic
def send_for_signature(letter: Letter, *, actor: Official, via: str) -> Letter:
    _ensure_staff(actor, letter.case)
    _change_state(letter, Letter.State.DRAFT, Letter.State.AWAITING_SIGNATURE)
    events.record(
        letter.case, "letter_sent_for_signature", actor=actor, via=via, code=letter.sign_code
    )
    transaction.on_commit(lambda: signature_requested.send(sender=Letter, letter=letter))
    return letter


@transaction.atomic
def approve(letter: Letter, *, actor: Official, via: str, at: datetime | None = None) -> Letter:
    """Sign: the next number of the unit's year (under a row lock: never skipped or reused),
    the signer, the date, the PDF with its QR and hash; then the citizen gets it. A service
    that needs the camat's countersignature waits for it after the head signed (`setuju`
    from the camat, the same verb); the number and the PDF come with the last signature."""
    now = at or timezone.now()
    letter.state = _state_of(letter)
    office = _office(letter.case)
    if letter.state == Letter.State.AWAITING_CAMAT:
        if not can_countersign(actor, letter):
            raise PermissionDenied("Anda bukan camat yang menandatangani surat ini.")
        _change_state(letter, Letter.State.AWAITING_CAMAT, Letter.State.SIGNED)
        letter.countersigner = actor
        letter.countersigner_name = actor.get_full_name() or actor.username
        letter.countersigner_position = actor.position or f"Camat {place_name(actor.unit.name)}"
        return _issue(letter, office, actor=actor, via=via, at=now)
    if not can_sign(actor, letter):
        raise PermissionDenied("Anda bukan penandatangan surat unit ini.")
    letter.signer = actor
    letter.signer_name = actor.get_full_name() or actor.username
    letter.signer_position = signer_position(actor, letter, office)
    if letter.service.needs_countersignature:
        _change_state(letter, Letter.State.AWAITING_SIGNATURE, Letter.State.AWAITING_CAMAT)
        letter.head_signed_at = now
        letter.save(update_fields=["signer", "signer_name", "signer_position", "head_signed_at"])
        events.record(
            letter.case,
            "letter_signed_by_head",
            actor=actor,
            via=via,
            at=now,
            code=letter.sign_code,
        )
        transaction.on_commit(lambda: signature_requested.send(sender=Letter, letter=letter))
        return letter
    _change_state(letter, Letter.State.AWAITING_SIGNATURE, Letter.State.SIGNED)
    return _issue(letter, office, actor=actor, via=via, at=now)


def _issue(
    letter: Letter, office: LetterOffice, *, actor: Official, via: str, at: datetime
) -> Letter:
    now = at
    year = timezone.localtime(now).year
    # The number is printed in the PDF, so the PDF is rendered while the year's sequence row
    # is locked: a failure from here on rolls the number back with everything else (never
    # skipped), and a second signer of the unit waits for this commit (never reused).
    seq = next_number(office, year)
    letter.seq, letter.year = seq, year
    letter.number = office.format_number(seq, year)
    letter.issued_at = now
    pdf = render_pdf(letter, office)
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.pdf.save(f"{letter.verification_code}.pdf", ContentFile(pdf), save=False)
    letter.save()
    case = letter.case
    events.record(case, "letter_signed", actor=actor, via=via, at=now, number=letter.number)
    _deliver(letter, actor=actor, via=via, at=now)
    return letter


def next_number(office: LetterOffice, year: int) -> int:
    """Take the next number of the unit's year (inside the caller's transaction)."""
    LetterSequence.objects.get_or_create(unit_id=office.unit_id, year=year)
    sequence = LetterSequence.objects.select_for_update().get(unit_id=office.unit_id, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def reject(letter: Letter, *, reason: str, actor: Official, via: str) -> Letter:
    """The signer (or the camat, at their step) refuses, with a reason the operator reads;
    the operator may prepare again."""
    letter.state = _state_of(letter)
    if not may_approve(actor, letter):
        raise PermissionDenied("Anda bukan penandatangan surat unit ini.")
    if not reason.strip():
        raise LetterError("Tuliskan alasan penolakan.")
    waiting = (
        Letter.State.AWAITING_CAMAT
        if letter.state == Letter.State.AWAITING_CAMAT
        else Letter.State.AWAITING_SIGNATURE
    )
    _change_state(letter, waiting, Letter.State.REJECTED)
    letter.rejection_reason = reason.strip()
    letter.save(update_fields=["rejection_reason"])
    events.record(letter.case, "letter_rejected", actor=actor, via=via, reason=reason.strip())
    return letter


@transaction.atomic
def revoke(letter: Letter, *, reason: str, actor: Official, via: str) -> Letter:
    """A signed letter is withdrawn: the verification page says so from now on."""
    if not can_sign(actor, letter):
        raise PermissionDenied("Anda bukan penandatangan surat unit ini.")
    updated = Letter.objects.filter(pk=letter.pk, state=Letter.State.SIGNED, revoked=False).update(
        revoked=True, revoked_at=timezone.now(), revocation_reason=reason.strip()
    )
    if updated != 1:
        raise LetterError("Hanya surat yang sudah ditandatangani dan belum dicabut.")
    letter.refresh_from_db()
    events.record(letter.case, "letter_revoked", actor=actor, via=via, reason=reason.strip())
    return letter


def delete_identity_photos(*, now: datetime | None = None) -> int:
    """Delete the photos of requests whose letter was issued longer ago than the retention
    time (setting DESA_PHOTO_RETENTION_DAYS); each deletion is in the case's event log."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DESA_PHOTO_RETENTION_DAYS)
    deleted = 0
    letters = Letter.objects.filter(
        state=Letter.State.SIGNED, issued_at__lte=cutoff, photos_deleted_at__isnull=True
    ).select_related("case")
    for letter in letters:
        with transaction.atomic():
            # Everything the citizen sent (photos, a scan as PDF) goes; the signed letter,
            # recognised by its hash, stays.
            photos = Attachment.objects.filter(case=letter.case).exclude(sha256=letter.sha256)
            count = 0
            for photo in photos:
                photo.file.delete(save=False)
                photo.delete()
                count += 1
            Letter.objects.filter(pk=letter.pk).update(photos_deleted_at=now)
            events.record(
                letter.case,
                "identity_photos_deleted",
                actor=None,
                via="system",
                at=now,
                count=count,
            )
            deleted += count
    return deleted


def verify_url(letter: Letter) -> str:
    return f"{settings.SITE_URL}{reverse('portal:letter_verify', args=[letter.verification_code])}"


def render_pdf(letter: Letter, office: LetterOffice) -> bytes:
    # reportlab and qrcode load here, not in every worker and command that imports services.
    from wadul.desa import documents

    return documents.render(
        letterhead=office.letterhead,
        address=office.address,
        title=letter.service.title,
        number=letter.number,
        body=fill(
            letter.body,
            {
                "nomor": letter.number,
                "nama_penandatangan": letter.signer_name,
                "tanggal": documents.indonesian_date(timezone.localtime(letter.issued_at).date()),
            },
        ),
        place=office.place or office.unit.name,
        issued_on=timezone.localtime(letter.issued_at).date(),
        signer_name=letter.signer_name,
        signer_position=letter.signer_position,
        verify_url=verify_url(letter),
        countersigner_name=letter.countersigner_name,
        countersigner_position=letter.countersigner_position,
    )


def place_name(unit_name: str) -> str:
    """ "Desa Kemiren" → "Kemiren", as in "Kepala Desa Kemiren"."""
    for prefix in ("Desa ", "Kelurahan ", "Kecamatan "):
        unit_name = unit_name.removeprefix(prefix)
    return unit_name


def mask_name(name: str) -> str:
    """ "Siti Rahayu" → "S*** R*****": enough to match a letter in hand, no more."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split() if word)[:100]


def _deliver(letter: Letter, *, actor: Official, via: str, at: datetime) -> None:
    case = letter.case
    if letter.service.delivery == Delivery.COLLECT:
        text = (
            f"Surat {letter.service.name} Anda (nomor {letter.number}) sudah ditandatangani dan "
            f"*siap diambil* di kantor {letter.unit.name} pada jam kerja."
        )
        case_services.answer(case, text=text, actor=actor, via=via, at=at)
    else:
        private = reverse("portal:private_letter", args=[case.access_token])
        text = (
            f"Surat {letter.service.name} Anda, nomor {letter.number}. "
            f"Unduh lagi: {settings.SITE_URL}{private} · Periksa keaslian: {verify_url(letter)}"
        )
        message = case_services.answer(
            case,
            text=text,
            actor=actor,
            via=via,
            at=at,
            notice=Notice(purpose=Purpose.ANSWER, hold=True),
        )
        letter.pdf.open("rb")
        try:
            attachment = case_services.add_attachment(
                case,
                file=ContentFile(letter.pdf.read(), name=f"surat-{letter.verification_code}.pdf"),
                content_type="application/pdf",
                actor=actor,
                via=via,
                message=message,
                original_name=f"{letter.service.code}-{case.tracking_number}.pdf",
            )
        finally:
            letter.pdf.close()
        letter_issued.send(sender=Letter, letter=letter, message=message, attachment=attachment)
    case_services.resolve(case, actor=actor, via=via, at=at, note=letter.number)


def _change_state(letter: Letter, from_state: str, to_state: str) -> None:
    updated = Letter.objects.filter(pk=letter.pk, state=from_state).update(state=to_state)
    if updated != 1:
        current = Letter.objects.filter(pk=letter.pk).values_list("state", flat=True).first()
        raise LetterError(
            f"Surat ini {Letter.State(current).label.lower()}, bukan "
            f"{Letter.State(from_state).label.lower()}."
        )
    letter.state = to_state


def _state_of(letter: Letter) -> str:
    return Letter.objects.filter(pk=letter.pk).values_list("state", flat=True).first() or ""


def _office(case: Case) -> LetterOffice:
    office = LetterOffice.objects.select_related("unit").filter(unit_id=case.unit_id).first()
    if office is None:
        raise LetterError(
            "Unit ini belum mengatur kop dan format nomor surat (admin: kantor penerbit surat)."
        )
    return office


def _ensure_staff(actor: Official, case: Case) -> None:
    if not access.can_act(actor, case):
        raise PermissionDenied("Anda tidak boleh mengubah permohonan ini.")


def _new_sign_code() -> str:
    while True:
        code = "".join(secrets.choice(SIGN_CODE_ALPHABET) for _ in range(6))
        if not Letter.objects.filter(sign_code=code).exists():
            return code
