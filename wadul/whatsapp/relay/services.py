"""Officials answering from their own WhatsApp: notifications out, commands and answers in.

Out: a new case, a citizen's follow-up and a transfer in are sent from the unit's own
WhatsApp number to the official on duty (`wadul.duty.services.on_duty`, the head as last
resort). Follow-ups that come within `RELAY_FOLLOW_UP_QUIET_MINUTES` of the last notice about
the case are held and go as one notice when that time is over (`HeldFollowUp`): a citizen
writing five messages in a row is one ping, not five.

In: a message to any business number from an official's registered personal number is
theirs, not a citizen's — a quoted reply to a notification (matched through `context.id` to
the outbox row that carried it) or a command (`wadul.whatsapp.relay.commands`). A photo, document,
voice note or video they send is answered on its case and, once downloaded, sent on to the
citizen as the same kind of media message.
Everything that changes a case goes through `wadul.cases.services` with via=relay.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wadul.cases import access
from wadul.cases.models import OPEN_STATUSES, Case, CaseEvent, Message, Status, Via
from wadul.core import memo
from wadul.duty import services as duty_services
from wadul.duty.services import on_duty
from wadul.organisation.models import Official, Unit, WhatsAppNumber
from wadul.sla import calendar as cal
from wadul.sla import config as clock_config
from wadul.whatsapp import nudge
from wadul.whatsapp.models import InboundMessage, OutboundMessage
from wadul.whatsapp.outbound import media, outbox
from wadul.whatsapp.relay import handler, letters
from wadul.whatsapp.relay.models import DailySummaryRun, HeldFollowUp
from wadul.whatsapp.relay.notifications import case_notification

if TYPE_CHECKING:  # the payload's types only: the webhook's parser is not run from here
    from wadul.whatsapp.webhook import parser

logger = logging.getLogger(__name__)

E = CaseEvent.Kind


def official_for(wa_id: str) -> Official | None:
    """The active official whose registered personal number this is."""
    if not wa_id:
        return None
    if memo.active():
        # Asked for every inbound message, nearly always about a citizen: inside a batch,
        # one query for all officials' numbers answers "not an official" for the rest.
        registered = memo.remember(("relay.official_numbers",), _officials_numbers)
        if wa_id not in registered:
            return None
    return Official.objects.filter(whatsapp_number=wa_id, is_active=True).first()


def _officials_numbers() -> frozenset[str]:
    numbers = Official.objects.filter(is_active=True).exclude(whatsapp_number="")
    return frozenset(numbers.values_list("whatsapp_number", flat=True))


def unit_number(unit: Unit | None) -> WhatsAppNumber | None:
    """The WhatsApp number a unit speaks from: its own, else its nearest ancestor's, else
    the central number."""
    return memo.remember(
        ("relay.unit_number", unit.pk if unit is not None else None), lambda: _unit_number(unit)
    )


def _unit_number(unit: Unit | None) -> WhatsAppNumber | None:
    if unit is not None:
        # One query for the whole lineage, not one per level (a sweep's notifications call
        # this thousands of times).
        lineage = unit.lineage_ids()
        first_of_unit: dict[int, WhatsAppNumber] = {}
        for number in WhatsAppNumber.objects.filter(is_active=True, unit_id__in=lineage).order_by(
            "-pk"
        ):
            first_of_unit[number.unit_id] = number
        for unit_id in reversed(lineage):
            if unit_id in first_of_unit:
                return first_of_unit[unit_id]
    return WhatsAppNumber.central()


def notification_reason(event: CaseEvent) -> str | None:
    """Which events an on-duty official hears about."""
    if event.kind == E.TRANSFERRED:
        return "transferred_in"
    if event.kind == E.ASSIGNED and event.from_status in {Status.RECEIVED, Status.TRIAGE}:
        return "new"
    if event.kind == E.MESSAGE_RECEIVED:
        return "follow_up"
    return None


def reachable_on_duty(case: Case) -> Official | None:
    """The first official on duty for the case's unit with a WhatsApp number (remembered for
    the batch: a burst of messages to one unit asks once, and reads no unit)."""
    if case.unit_id is None:
        return None
    officials = memo.remember(
        ("relay.on_duty", case.unit_id),
        lambda: [o for o in on_duty(case.unit) if o.whatsapp_number],
    )
    return officials[0] if officials else None


@transaction.atomic
def notify_on_duty(
    case: Case, *, reason: str, message: Message | None = None, count: int = 1
) -> list[str]:
    """Queue the case notification to the first official on duty for the case's unit.
    Returns the personal numbers notified."""
    official = reachable_on_duty(case)
    number = unit_number(case.unit) if official is not None else None
    if official is None or number is None:
        return []
    text = case_notification(case, reason=reason, now=timezone.now(), message=message, count=count)
    outbox.queue(
        number=number,
        recipient=(official.whatsapp_number, False),
        purpose=outbox.Purpose.NOTICE,
        kind=outbox.Kind.TEXT,
        content={"text": text, "template_params": [outbox.template_param(text)]},
        case=case,
    )
    return [official.whatsapp_number]


def follow_up_quiet() -> timedelta:
    return timedelta(minutes=settings.RELAY_FOLLOW_UP_QUIET_MINUTES)


@transaction.atomic
def notify_follow_up(case: Case, message: Message | None, *, now: datetime) -> str:
    """Tell the official on duty about a citizen's follow-up: at once when they heard
    nothing about the case for the quiet time, else held for one notice when it is over.
    Returns "sent", "held" or "nobody". Reads the case only to send (a burst of follow-ups
    is mostly held)."""
    official = reachable_on_duty(case)
    if official is None:
        return "nobody"
    held = HeldFollowUp.objects.filter(case_id=case.pk)
    if held.update(count=F("count") + 1, message=message):
        return "held"
    # Any notice about the case counts (new, transferred, a deadline warning): the
    # official was just pointed at it.
    last = (
        OutboundMessage.objects.filter(
            case_id=case.pk,
            recipient=official.whatsapp_number,
            purpose=OutboundMessage.Purpose.NOTICE,
            created_at__gt=now - follow_up_quiet(),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        notify_on_duty(_for_notice(case.pk), reason="follow_up", message=message)
        return "sent"
    due = last + follow_up_quiet()
    try:
        with transaction.atomic():
            HeldFollowUp.objects.create(case=case, message=message, due_at=due)
    except IntegrityError:  # another worker held one for this case meanwhile
        held.update(count=F("count") + 1, message=message)
        return "held"

    nudge.kick_on_commit("send_held_follow_ups", due)
    return "held"


def send_held_follow_ups(*, now: datetime | None = None, batch_size: int = 100) -> int:
    """Send the held follow-up notices whose quiet time is over; returns how many."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                HeldFollowUp.objects.select_for_update(skip_locked=True)
                .filter(due_at__lte=now)
                .order_by("due_at", "pk")[:batch_size]
            )
            if not rows:
                return sent
            cases = _for_notice_many([row.case_id for row in rows])
            messages = Message.objects.in_bulk([r.message_id for r in rows if r.message_id])
            HeldFollowUp.objects.filter(pk__in=[row.pk for row in rows]).delete()
            for row in rows:
                case, message = cases[row.case_id], messages.get(row.message_id)
                if case.status not in OPEN_STATUSES:  # closed meanwhile: nothing to act on
                    continue
                try:
                    with transaction.atomic():
                        if notify_on_duty(
                            case, reason="follow_up", message=message, count=row.count
                        ):
                            sent += 1
                except Exception:  # one failed notice must not hold back the others
                    logger.exception("held relay notification for %s failed", case.pk)


def quoted_case(number: WhatsAppNumber, official: Official, context_id: str) -> Case | None:
    """The case of the notification the official quoted."""
    if not context_id:
        return None
    row = (
        OutboundMessage.objects.filter(
            wamid=context_id, recipient=official.whatsapp_number, case__isnull=False
        )
        .select_related("case", "case__unit")
        .first()
    )
    return row.case if row else None


def handle_official_message(
    number: WhatsAppNumber, official: Official, *, text: str, context_id: str, at: datetime
) -> handler.Outcome:
    """Carry out an official's message and queue the confirmation back to them."""
    case = quoted_case(number, official, context_id)
    if text.strip().lower().split(" ")[0] in {"serah", "handover"}:
        outcome = hand_over(official, text.strip().partition(" ")[2].strip(), at=at)
    elif letters.is_sign_command(text):  # a village letter's signature (`letters.py`)
        outcome = handler.Outcome(letters.handle(official, text))
    else:
        outcome = handler.handle(official, text, quoted_case=case, at=at)
    outbox.queue_text(
        number=number, recipient=(official.whatsapp_number, False), text=outcome.reply
    )
    return outcome


def handle_official_media(
    number: WhatsAppNumber,
    official: Official,
    message: parser.InboundMessage,
    *,
    context_id: str,
    at: datetime,
) -> handler.Outcome:
    """An official's file: the answer on the quoted case or the `#<number>` of its caption,
    held until the file is downloaded (through the citizens' media path), then sent with it.
    Whatever happens, the official hears back."""
    outcome = handler.handle_media(
        official,
        message.media.caption,
        placeholder=outbox.MEDIA_PLACEHOLDERS.get(message.type),  # None: a sticker
        quoted_case=quoted_case(number, official, context_id),
        at=at,
    )
    if outcome.ok and outcome.message is not None:
        inbound = InboundMessage.objects.get(wamid=message.wamid[:200])
        media.queue(inbound, outcome.case, outcome.message, message.media)
    outbox.queue_text(
        number=number, recipient=(official.whatsapp_number, False), text=outcome.reply
    )
    return outcome


def hand_over(official: Official, to: str, *, at: datetime) -> handler.Outcome:
    """The official passes duty for the rest of today to a colleague of the same unit
    (by username or personal number): the colleague is called first from now on."""
    if official.unit_id is None:
        return handler.Outcome("Anda tidak terdaftar di unit mana pun.", ok=False)
    colleague = (
        Official.objects.filter(unit_id=official.unit_id, is_active=True)
        .filter(username__iexact=to.lstrip("@"))
        .first()
        or Official.objects.filter(
            unit_id=official.unit_id, is_active=True, whatsapp_number=to.lstrip("+")
        ).first()
    )
    if not to or colleague is None or colleague == official:
        return handler.Outcome(
            "Sebutkan rekan satu unit yang menerima piket, mis. serah agus (nama pengguna) "
            "atau serah 6281234567890.",
            ok=False,
        )
    memo.forget("relay.on_duty")
    duty_services.hand_over(unit=official.unit, to=colleague, actor=official, via=Via.RELAY, at=at)
    return handler.Outcome(
        f"Piket {official.unit} diserahkan ke {colleague} sampai akhir hari ini. ✅"
    )


def claim_inbound(number: WhatsAppNumber, message: parser.InboundMessage, at: datetime) -> bool:
    """Asked by `webhook/inbound.py` about every message: take messages from officials'
    registered personal numbers; everyone else is a citizen."""
    official = official_for(message.sender.wa_id)
    if official is None:
        return False
    context_id = message.context.id if message.context else ""
    if message.media is not None:
        handle_official_media(number, official, message, context_id=context_id, at=at)
        return True
    text = message.text or ""
    if not text.strip():
        text = "bantuan"  # a location, a reaction …: answer with what they can do
    handle_official_message(number, official, text=text, context_id=context_id, at=at)
    return True


def on_case_event(sender, event: CaseEvent, historical: bool = False, **kwargs) -> None:
    """After commit: tell the official on duty about a new case, a follow-up, a transfer."""
    if historical:
        return
    reason = notification_reason(event)
    if reason is None:
        return
    # Nobody on duty with a WhatsApp number (asked once per batch): nothing to read. The
    # event's case is the instance the verb changed, so its unit is the one committed.
    if reachable_on_duty(event.case) is None:
        return
    message = event.message
    if reason == "follow_up" and event.case.status not in OPEN_STATUSES:
        return  # e.g. a rating tap after the end: nothing for the official to do
    try:
        if reason == "follow_up":
            notify_follow_up(event.case, message, now=timezone.now())
            return
        case = _for_notice(event.case_id)
        if message is None:  # a new or transferred case: show what the citizen wrote last
            message = (
                case.messages.filter(direction=Message.Direction.INBOUND)
                .order_by("-created_at")
                .first()
            )
        notify_on_duty(case, reason=reason, message=message)
    except Exception:  # a failed notification must not undo or hide the case change
        logger.exception("relay notification for case %s failed", event.case_id)


def _for_notice(case_id: int) -> Case:
    """The case as committed, with what a notice shows."""
    return _for_notice_many([case_id])[case_id]


def _for_notice_many(case_ids: list[int]) -> dict[int, Case]:
    cases = Case.objects.select_related("unit", "region", "region__parent", "contact")
    return cases.in_bulk(case_ids)


def echo_author(number: WhatsAppNumber, case: Case, at: datetime) -> Official | None:
    """Who answered from the WhatsApp Business app on a coexistence number: the official on
    duty for the number's unit at that moment (the phone is theirs), if they may act."""
    for official in on_duty(number.unit, at):
        if access.can_act(official, case):
            return official
    return None


def daily_summary(unit: Unit, *, now: datetime) -> str:
    open_cases = Case.objects.filter(unit__path__startswith=unit.path, status__in=OPEN_STATUSES)
    late = open_cases.filter(first_response_due_at__lt=now) | open_cases.filter(
        resolution_due_at__lt=now
    )
    duty = ", ".join(str(o) for o in on_duty(unit, now)) or "belum ada"
    local = timezone.localtime(now)
    return (
        f"Ringkasan harian {unit} ({local:%d-%m-%Y})\n"
        f"• Kasus terbuka: {open_cases.count()}\n"
        f"• Terlambat: {late.distinct().count()}\n"
        f"• Petugas piket: {duty}\n"
        f'Ketik "kasus" untuk daftar kasus Anda.'
    )


def send_daily_summaries(*, now: datetime | None = None) -> int:
    """One WhatsApp summary to each unit head with a registered number."""
    now = now or timezone.now()
    sent = 0
    heads = Official.objects.filter(role=Official.Role.HEAD, is_active=True).exclude(
        whatsapp_number=""
    )
    for head in heads.select_related("unit"):
        number = unit_number(head.unit)
        if number is None:
            continue
        with transaction.atomic():
            outbox.queue_text(
                number=number,
                recipient=(head.whatsapp_number, False),
                text=daily_summary(head.unit, now=now),
            )
        sent += 1
    return sent


def send_daily_summaries_once(*, now: datetime | None = None) -> int:
    """The daily summary, once per working day, from `RELAY_DAILY_SUMMARY_AT` local time.

    A working day is one on which the regency's office calendar (the clock's default) is
    open at midday: heads are not messaged on Sundays, holidays or cuti bersama. Returns the
    number of summaries queued (0 when it is not time, or they already went)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < settings.RELAY_DAILY_SUMMARY_AT:
        return 0
    midday = local.replace(hour=12, minute=0, second=0, microsecond=0)
    if not cal.is_working(clock_config.current().calendar(None), midday):
        return 0
    with transaction.atomic():
        run, created = DailySummaryRun.objects.get_or_create(
            day=local.date(), defaults={"sent_at": now}
        )
        if not created:
            return 0
        run.summaries = send_daily_summaries(now=now)
        run.save(update_fields=["summaries"])
    return run.summaries


def notify_official(official: Official, case: Case, kind: str, text: str) -> None:
    """`wadul.sla.notify.NOTIFIERS` entry: a deadline warning, breach or escalation on the
    official's own WhatsApp, from the unit's number, quotable like a case notification."""
    number = unit_number(case.unit)
    if not official.whatsapp_number or number is None:
        return
    with transaction.atomic():
        outbox.queue(
            number=number,
            recipient=(official.whatsapp_number, False),
            purpose=outbox.Purpose.NOTICE,
            kind=outbox.Kind.TEXT,
            content={"text": text, "template_params": [outbox.template_param(text)]},
            case=case,
        )


def notify_dpo(dpo: Official, text: str) -> None:
    """`wadul.privacy.monitoring.ALERT_NOTIFIERS` entry: an access-log alert on the DPO's
    own WhatsApp, from their unit's number (else the central one)."""
    number = unit_number(dpo.unit if dpo.unit_id else None)
    if not dpo.whatsapp_number or number is None:
        return
    with transaction.atomic():
        outbox.queue_text(number=number, recipient=(dpo.whatsapp_number, False), text=text)
