"""A citizen's WhatsApp message becomes part of a case (worker side, inside a transaction).

First message → a new case on the number's unit (or triage on the central number) and an
acknowledgement with the tracking number (plus the privacy notice on first contact). Later
messages append to the open case; after it ends, a message within the grace period reopens
it and a later one opens a new case. "status <number>" answers with the case's status; a
rating tap is recorded. Every message is marked as read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from wadul.cases import services as case_services
from wadul.cases import tracking
from wadul.cases.models import OPEN_STATUSES, Case, Channel, Contact, Message, Status, Via
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp import media, outbox, parser, wording
from wadul.whatsapp import services as whatsapp_services
from wadul.whatsapp.models import InboundMessage, WebhookDelivery

Purpose = outbox.Purpose

STATUS_COMMAND = re.compile(r"^\s*(?:cek\s+)?status\b[\s:]*(.*)$", re.IGNORECASE | re.DOTALL)
RATING_REPLY = re.compile(r"^rate:([A-Za-z0-9-]{8,9}):([1-5])$")
RATING_BUTTONS = ((5, "Puas"), (3, "Cukup"), (1, "Tidak puas"))

# Other apps may claim messages before they are treated as a citizen's (e.g. the relay for
# officials writing from their own phones): called with (number, message, at); return True
# when handled. Called inside the processing transaction.
INBOUND_HANDLERS: list[Callable[[WhatsAppNumber, parser.InboundMessage, datetime], bool]] = []


def handle(
    number: WhatsAppNumber, message: parser.InboundMessage, delivery: WebhookDelivery
) -> str:
    """Apply one inbound message; returns what happened (stored on its InboundMessage)."""
    at = _when(message.timestamp)
    record = _record_once(number, message, delivery, at)
    if record is None:
        return "duplicate"
    for handler in INBOUND_HANDLERS:
        if handler(number, message, at):
            return _finish(record, "handled_elsewhere")
    if not message.sender:
        return _finish(record, "no_sender")
    contact = whatsapp_services.find_or_create_contact(message.sender)
    record.contact = contact
    outbox.queue_read_receipt(number, message.wamid, _recipient(message.sender))
    outcome, case, thread_message = _dispatch(number, message, contact, at, record)
    record.case, record.message = case, thread_message
    return _finish(record, outcome)


def _record_once(
    number: WhatsAppNumber,
    message: parser.InboundMessage,
    delivery: WebhookDelivery,
    at: datetime,
) -> InboundMessage | None:
    # The unique wamid decides: a duplicate (even twice in one POST, or two workers at once)
    # fails here and changes nothing.
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                wamid=message.wamid[:200],
                delivery=delivery,
                number=number,
                type=message.type[:40],
                sent_at=at,
                raw=message.raw,
            )
    except IntegrityError:
        if InboundMessage.objects.filter(wamid=message.wamid[:200]).exists():
            return None
        # Not a duplicate (e.g. a payload the JSON column refuses, 1e999): the delivery
        # must be flagged for replay, never marked processed without a record.
        raise


def _finish(record: InboundMessage, outcome: str) -> str:
    record.outcome = outcome
    record.save(update_fields=["outcome", "contact", "case", "message"])
    return outcome


def _dispatch(
    number: WhatsAppNumber,
    message: parser.InboundMessage,
    contact: Contact,
    at: datetime,
    record: InboundMessage,
) -> tuple[str, Case | None, Message | None]:
    if message.reply is not None:
        rating = RATING_REPLY.match(message.reply.id)
        if rating:
            return _rate(number, contact, rating.group(1), int(rating.group(2)), at)
    if message.type == "text":
        command = STATUS_COMMAND.match(message.text)
        if command:
            return _status(number, contact, command.group(1), at)
    if message.type == "reaction":
        return "reaction", _open_case(contact, number), None
    if message.type in ("unsupported", "unknown") or not _has_content(message):
        case = _open_case(contact, number)
        if case is None:
            return "ignored", None, None
        text = f"[pesan tidak didukung: {message.unsupported_type or message.type}]"
        thread_message = case_services.receive_message(
            case, text=text, via=Via.WHATSAPP, at=at, external_id=message.wamid
        )
        return "appended", case, thread_message
    return _content(number, message, contact, at, record)


def _content(
    number: WhatsAppNumber,
    message: parser.InboundMessage,
    contact: Contact,
    at: datetime,
    record: InboundMessage,
) -> tuple[str, Case | None, Message | None]:
    text = describe(message)
    case, how = find_case(contact, number, at)
    if case is None:
        case = case_services.open_case(
            channel=Channel.WHATSAPP,
            text=text,
            via=Via.WHATSAPP,
            contact=contact,
            channel_number=number,
            unit=None if number.is_central else number.unit,
            at=at,
            external_id=message.wamid,
        )
        thread_message = case.messages.filter(external_id=message.wamid).first()
        _acknowledge(case, contact, _recipient_for(contact, message.sender))
        outcome = "opened"
    else:
        if how == "reopen":
            case_services.reopen(
                case, actor=None, via=Via.WHATSAPP, reason="citizen wrote again", at=at
            )
        thread_message = case_services.receive_message(
            case, text=text, via=Via.WHATSAPP, at=at, external_id=message.wamid
        )
        if how == "reopen":
            _notify(
                case, "reopened", Purpose.STATUS_UPDATE, [case.tracking_number, _status_word(case)]
            )
        outcome = "reopened" if how == "reopen" else "appended"
    if message.media is not None:
        media.queue(record, case, thread_message, message.media)
    if message.location is not None:
        location = message.location
        if -90 <= location.latitude <= 90 and -180 <= location.longitude <= 180:
            case_services.set_location(
                case,
                actor=None,
                via=Via.WHATSAPP,
                latitude=location.latitude,
                longitude=location.longitude,
                at=at,
            )
    return outcome, case, thread_message


def find_case(contact: Contact, number: WhatsAppNumber, at: datetime) -> tuple[Case | None, str]:
    """The case a message belongs to: ("append" to an open case), ("reopen" an ended case
    within the grace period) or (None, "new")."""
    cases = _cases_of(contact, number)
    last = next((case for case in cases if case.status in OPEN_STATUSES), None)
    last = last or (cases[0] if cases else None)
    seen = set()
    while last is not None and last.status == Status.MERGED and last.pk not in seen:
        seen.add(last.pk)
        last = last.duplicate_of
    if last is None:
        return None, "new"
    if last.status in OPEN_STATUSES:
        return last, "append"
    if last.status in (Status.RESOLVED, Status.CLOSED, Status.REFERRED):
        ended = last.closed_at or last.resolved_at or last.updated_at
        if at - ended <= timedelta(days=settings.CASE_REOPEN_GRACE_DAYS):
            return last, "reopen"
    return None, "new"


# The SQL of `_cases_of` per database alias, compiled by the ORM once per process.
_CASES_OF_SQL: dict[str, str] = {}


def _cases_of(contact: Contact, number: WhatsAppNumber) -> list[Case]:
    # By contact (a citizen has few cases, and the (contact, status) index finds them);
    # filtering by number in SQL made SQLite scan every case of the number instead. The
    # cases alone, unordered (sorted here): this runs for every message, and a follow-up
    # needs neither the unit nor the number; whoever does reads them when needed.
    # The ORM compiles this same query for every message at three times the cost of
    # running it: it is compiled once, then run raw (same columns, same conversions).
    sql = _CASES_OF_SQL.get(connection.alias)
    if sql is None:
        sql, params = Case.objects.filter(contact_id=0).order_by().query.sql_with_params()
        if params != (0,):  # the one parameter must be the contact
            raise RuntimeError(f"unexpected parameters {params!r}")
        _CASES_OF_SQL[connection.alias] = sql
    cases = Case.objects.raw(sql, [contact.pk])
    return sorted(
        (case for case in cases if case.channel_number_id == number.pk),
        key=lambda case: case.created_at,
        reverse=True,
    )


def _open_case(contact: Contact, number: WhatsAppNumber) -> Case | None:
    return next((c for c in _cases_of(contact, number) if c.status in OPEN_STATUSES), None)


def describe(message: parser.InboundMessage) -> str:
    """The thread text for a message (staff read it in the inbox)."""
    parts = [message.text] if message.text else []
    if message.location is not None:
        place = ", ".join(p for p in (message.location.name, message.location.address) if p)
        coordinates = f"{message.location.latitude:.6f}, {message.location.longitude:.6f}"
        parts.append(f"[lokasi] {place} ({coordinates})" if place else f"[lokasi] {coordinates}")
    for card in message.shared_contacts:
        parts.append(f"[kontak] {card.name} {' '.join(card.phones)}".strip())
    if message.order is not None and not message.text:
        parts.append("[pesanan]")
    if message.context is not None and (
        message.context.forwarded or message.context.frequently_forwarded
    ):
        parts.insert(0, "[diteruskan]")
    return "\n".join(parts)


def _has_content(message: parser.InboundMessage) -> bool:
    return bool(
        message.text
        or message.media
        or message.location
        or message.shared_contacts
        or message.order is not None
    )


# --- replies ---------------------------------------------------------------------------------


def _acknowledge(case: Case, contact: Contact, recipient: tuple[str, bool]) -> None:
    privacy = whatsapp_services.record_privacy_notice(contact, timezone.now())
    text = wording.render(
        "acknowledgement",
        case=case,
        unit=case.unit if case.unit_id and not case.channel_number.is_central else None,
        privacy=privacy,
        track_url=f"{settings.SITE_URL}{reverse('track', args=[case.tracking_number])}",
    )
    with outbox.delivery_options(
        purpose=Purpose.ACKNOWLEDGEMENT,
        template_params=[case.tracking_number, _status_word(case)],
        recipient=recipient,
    ):
        case_services.notify_citizen(case, text=text)


def _notify(case: Case, template: str, purpose: str, params: list[str]) -> None:
    with outbox.delivery_options(purpose=purpose, template_params=params):
        case_services.notify_citizen(case, text=wording.render(template, case=case))


def _status(
    number: WhatsAppNumber, contact: Contact, rest: str, at: datetime
) -> tuple[str, Case | None, Message | None]:
    wanted = tracking.find_in_text(rest) or tracking.normalise(rest.strip())
    cases = Case.objects.filter(contact=contact).select_related("unit")
    case = (
        cases.filter(tracking_number=wanted).first()
        if wanted
        else (None if rest.strip() else cases.order_by("-created_at").first())
    )
    recipient = outbox.recipient_for(contact)
    if case is None:
        text = wording.render("status_not_found", number=wanted or rest.strip()[:20])
        params = [wanted or "-", "tidak ditemukan"]
    else:
        last_answer = (
            case.messages.filter(direction=Message.Direction.OUTBOUND, author__isnull=False)
            .order_by("-created_at")
            .values_list("text", flat=True)
            .first()
        )
        text = wording.render(
            "status", case=case, status=_status_word(case), last_answer=_short(last_answer)
        )
        params = [case.tracking_number, _status_word(case)]
    if recipient is not None:
        outbox.queue_text(
            number=number,
            recipient=recipient,
            text=text,
            purpose=Purpose.STATUS_UPDATE,
            template_params=params,
            contact=contact,
        )
    return "status_asked", case, None


def _rate(
    number: WhatsAppNumber, contact: Contact, tracking_number: str, score: int, at: datetime
) -> tuple[str, Case | None, Message | None]:
    case = Case.objects.filter(
        tracking_number=tracking.normalise(tracking_number) or "", contact=contact
    ).first()
    if case is None:
        return "rating_unknown_case", None, None
    try:
        case_services.rate(case, rating=score, via=Via.WHATSAPP, at=at)
    except case_services.CaseError:
        if case.rating is None:
            return "rating_refused", case, None
        _notify(case, "rating_already", Purpose.NOTICE, [case.tracking_number])
        return "rating_repeated", case, None
    _notify(case, "rating_thanks", Purpose.NOTICE, [case.tracking_number])
    return "rated", case, None


def request_rating(case: Case) -> None:
    """Ask the citizen to rate a resolved case, with reply buttons (a template with
    quick-reply buttons outside the 24-hour window)."""
    number = case.tracking_number
    buttons = [{"id": f"rate:{number}:{score}", "title": title} for score, title in RATING_BUTTONS]
    with outbox.delivery_options(
        purpose=Purpose.RATING_REQUEST,
        buttons=buttons,
        template_params=[number],
        template_buttons=[button["id"] for button in buttons],
    ):
        case_services.notify_citizen(case, text=wording.render("rating_request", case=case))


# --- small helpers ---------------------------------------------------------------------------


def _status_word(case: Case) -> str:
    with translation.override("id"):
        return str(Status(case.status).label)


def _short(text: str | None, limit: int = 300) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _recipient_for(contact: Contact, identity: parser.Identity) -> tuple[str, bool]:
    if identity.wa_id:
        return identity.wa_id, False
    return outbox.recipient_for(contact) or (identity.user_id, True)


def _recipient(identity: parser.Identity) -> tuple[str, bool]:
    return (identity.wa_id, False) if identity.wa_id else (identity.user_id, True)


def _when(timestamp: datetime | None) -> datetime:
    """The message's own time (WhatsApp's clock), never in the future."""
    now = timezone.now()
    if timestamp is None or timestamp > now:
        return now
    return timestamp
