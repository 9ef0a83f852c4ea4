"""The portal's writes: a citizen's web report, and operators' publication decisions.

Case state changes go through `wadul.cases.services`; this module only prepares their input
(the reporter's contact) and records what may be published.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import events
from wadul.cases import services as case_services
from wadul.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Channel,
    Contact,
    ContactIdentity,
    Message,
    Via,
)
from wadul.cases.models import Visibility as V
from wadul.conversation import notices, requests
from wadul.core import codes
from wadul.organisation.models import Official, Region, Unit
from wadul.portal.masking import name_terms
from wadul.portal.models import (
    PersonalTerm,
    PhotoDecision,
    PrivateAnswer,
    WhatsAppVerification,
)


def reporter_contact(
    *, name: str, wa_number: str, visibility: str, email: str = "", phone: str = ""
) -> Contact | None:
    """The contact a web or API report is filed under.

    A WhatsApp number is stored as a `wa_id` identity, so answers can later go out on
    WhatsApp (and a citizen who also writes on WhatsApp is the same contact). Anonymous
    reports keep no name.
    """
    name = "" if visibility == V.ANONYMOUS else " ".join(name.split())[:200]
    identities = [
        (kind, value)
        for kind, value in (
            (ContactIdentity.Kind.WA_ID, wa_number),
            (ContactIdentity.Kind.EMAIL, email.strip().lower()),
            (ContactIdentity.Kind.PHONE, phone.strip()),
        )
        if value
    ]
    if not identities and not name:
        return None
    for kind, value in identities:
        found = ContactIdentity.objects.filter(kind=kind, value=value).select_related("contact")
        if found.exists():
            contact = found[0].contact
            break
    else:
        contact = Contact.objects.create(display_name=name, consent_at=timezone.now())
    if not contact.display_name and name:
        Contact.objects.filter(pk=contact.pk).update(display_name=name)
        contact.display_name = name
    for kind, value in identities:
        ContactIdentity.objects.get_or_create(kind=kind, value=value, defaults={"contact": contact})
    return contact


@transaction.atomic
def submit_report(
    *,
    type: str,
    text: str,
    visibility: str,
    name: str = "",
    wa_number: str = "",
    region: Region | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    photos: Sequence[Any] = (),
    channel: str = Channel.WEB,
    via: str = Via.WEB,
    email: str = "",
    phone: str = "",
    unit: Unit | None = None,
) -> Case:
    """Open a case from the portal (or Open311): to `unit` when the client chose one,
    otherwise to triage, where routing picks it up."""
    # The WhatsApp number is linked only once the code sent to it is typed back.
    contact = reporter_contact(
        name=name, wa_number="", visibility=visibility, email=email, phone=phone
    )
    case = requests.open_from_form(
        channel=channel,
        text=text,
        via=via,
        contact=contact,
        type=type,
        unit=unit,
        visibility=visibility,
        region=region,
        latitude=latitude,
        longitude=longitude,
    )
    if contact is not None and name.strip() and visibility != V.ANONYMOUS:
        _mask_reporter_name(case, name, contact)
    if wa_number:
        start_whatsapp_verification(case, wa_number)
    first = case.messages.filter(direction=Message.Direction.INBOUND).first()
    for photo in photos:
        case_services.add_attachment(
            case,
            file=photo,
            content_type=photo.content_type,
            actor=None,
            via=via,
            message=first,
            original_name="",
        )
    return case


VERIFY_PURPOSE = "report-whatsapp"


def start_whatsapp_verification(case: Case, wa_number: str) -> WhatsAppVerification:
    """Send a one-time code to `wa_number` (after commit); the number is linked to the case's
    reporter by `confirm_whatsapp` when the code comes back."""
    code = codes.new_code()
    verification, _created = WhatsAppVerification.objects.update_or_create(
        case=case,
        defaults={
            "number": wa_number,
            "code_digest": codes.digest(code, VERIFY_PURPOSE),
            "expires_at": codes.expiry(),
            "attempts": 0,
            "confirmed_at": None,
        },
    )
    text = _(
        "Your Wadul code is %(code)s. Type it on the page of report %(number)s to get the "
        "answers on WhatsApp. If you did not send a report, ignore this message."
    ) % {"code": code, "number": case.tracking_number}
    transaction.on_commit(lambda: codes.send(wa_number, text))
    return verification


class WrongCode(ValueError):
    pass


def confirm_whatsapp(case: Case, code: str) -> Contact:
    """Link the verified number to the case: the contact that already owns it (the reporter
    proved it is theirs), or the report's contact. Raises WrongCode (after committing the
    count of wrong tries)."""
    with transaction.atomic():
        outcome = _confirm_whatsapp(case, code)
        if not isinstance(outcome, str):
            # Now reachable on WhatsApp: the acknowledgement goes there too.
            notices.acknowledge(case, outcome)
    if isinstance(outcome, str):
        raise WrongCode(outcome)
    return outcome


def _confirm_whatsapp(case: Case, code: str) -> Contact | str:
    verification = WhatsAppVerification.objects.select_for_update().filter(case=case).first()
    if verification is None or not verification.pending:
        return _("There is no code waiting for this report; ask for a new one.")
    if verification.attempts >= codes.CODE_MAX_ATTEMPTS:
        return _("Too many wrong codes; ask for a new one.")
    if not codes.matches(code, verification.code_digest, VERIFY_PURPOSE):
        WhatsAppVerification.objects.filter(pk=verification.pk).update(
            attempts=verification.attempts + 1
        )
        return _("The code is wrong.")
    kind = ContactIdentity.Kind.WA_ID
    owner = ContactIdentity.objects.filter(kind=kind, value=verification.number).first()
    if owner is not None:
        contact = owner.contact
    elif case.contact_id:
        contact = case.contact
        ContactIdentity.objects.create(kind=kind, value=verification.number, contact=contact)
    else:
        contact = Contact.objects.create(display_name="", consent_at=timezone.now())
        ContactIdentity.objects.create(kind=kind, value=verification.number, contact=contact)
    if case.contact_id != contact.pk:
        signed = case.contact.display_name if case.contact_id else ""
        Case.objects.filter(pk=case.pk).update(contact=contact)
        case.contact = contact
        if signed and case.visibility != V.ANONYMOUS:
            # The name signed on the report stays masked under the number's owner.
            _mask_reporter_name(case, signed, contact)
    WhatsAppVerification.objects.filter(pk=verification.pk).update(confirmed_at=timezone.now())
    return contact


def _mask_reporter_name(case: Case, name: str, contact: Contact) -> None:
    # The name signed on this report may not be the contact's: a known number keeps the
    # name it was first filed under. The public pages mask the contact's name; this one
    # is masked in this case as if an operator had marked it.
    known = {t.lower() for t in name_terms(contact.display_name)}
    PersonalTerm.objects.bulk_create(
        [PersonalTerm(term=t, case=case) for t in name_terms(name) if t.lower() not in known]
    )


def _require_operator(actor: Official) -> None:
    if not (actor.is_active and actor.can_act_on_all_cases):
        raise PermissionDenied(_("Only operators decide what is published."))


@transaction.atomic
def approve_photo(
    attachment: Attachment, *, actor: Official, approved: bool = True, via: str = Via.INBOX
) -> None:
    """An operator checked the photo: it may (or may no longer) appear on the portal."""
    _require_operator(actor)
    if attachment.kind != Attachment.Kind.IMAGE:
        raise PermissionDenied(_("Only photos are published."))
    case_services.approve_attachment(attachment, approved=approved, actor=actor, via=via)
    PhotoDecision.objects.update_or_create(
        attachment=attachment,
        defaults={"approved": approved, "decided_by": actor, "decided_at": timezone.now()},
    )


@transaction.atomic
def keep_answer_private(message: Message, *, actor: Official, reason: str = "") -> None:
    """Keep an answer off the portal: only the reporter's private link shows it."""
    _require_operator(actor)
    if message.direction != Message.Direction.OUTBOUND:
        raise PermissionDenied(_("Only answers can be kept private."))
    PrivateAnswer.objects.get_or_create(
        message=message, defaults={"reason": reason, "created_by": actor}
    )


@transaction.atomic
def publish_answer(message: Message, *, actor: Official) -> None:
    """Undo `keep_answer_private`: the answer appears on the portal again (masked)."""
    _require_operator(actor)
    PrivateAnswer.objects.filter(message=message).delete()


@transaction.atomic
def mark_personal(term: str, *, actor: Official, case: Case | None = None) -> PersonalTerm:
    """Mask `term` in everything public (in one case, or everywhere)."""
    _require_operator(actor)
    term = " ".join(term.split())
    if len(term) < 2:
        raise ValueError(_("The term is too short."))
    found, _created = PersonalTerm.objects.get_or_create(
        term=term, case=case, defaults={"created_by": actor}
    )
    return found


@transaction.atomic
def unmark_personal(term: PersonalTerm, *, actor: Official, via: str = Via.INBOX) -> None:
    """Undo `mark_personal`: the term shows again in public text. A case's own term leaves
    `term_unmasked` on the case (a global one belongs to no case)."""
    _require_operator(actor)
    case = term.case
    term_id = term.pk
    term.delete()
    if case is not None:
        events.record(case, CaseEvent.Kind.TERM_UNMASKED, actor=actor, via=via, term=term_id)
