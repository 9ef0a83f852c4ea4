"""How a case's clock, reply channel and delivery state are shown to staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases.models import Case, Channel, ContactIdentity, Message, Status
from wadul.core import formats

WHATSAPP_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class ClockState:
    """The nearest running deadline of a case."""

    label: str  # which target
    due_at: datetime | None
    late: bool
    paused: bool
    text: str  # "2 j 5 mnt lagi" / "terlambat 3 j"

    @property
    def css(self) -> str:
        if self.paused:
            return "clock-paused"
        return "clock-late" if self.late else "clock-ok"


def duration_text(delta: timedelta) -> str:
    return formats.duration(delta)


def clock(case: Case, now: datetime | None = None) -> ClockState | None:
    """None when no target runs (closed cases, or the clock has not set any)."""
    now = now or timezone.now()
    if not case.is_open:
        return None
    targets = []
    if case.first_response_due_at and case.first_response_at is None:
        targets.append((case.first_response_due_at, _("first response")))
    if case.next_response_due_at:
        targets.append((case.next_response_due_at, _("next response")))
    if case.resolution_due_at:
        targets.append((case.resolution_due_at, _("resolution")))
    if case.status == Status.WAITING:
        return ClockState(_("waiting for the citizen"), None, False, True, _("paused"))
    if not targets:
        return None
    due_at, label = min(targets, key=lambda target: target[0])
    if due_at <= now:
        text = _("late by %(time)s") % {"time": duration_text(now - due_at)}
        return ClockState(label, due_at, True, False, text)
    text = _("%(time)s left") % {"time": duration_text(due_at - now)}
    return ClockState(label, due_at, False, False, text)


def notification_clock(notification, now: datetime | None = None) -> tuple[str, str]:
    """(text, css class) for the deadline a clock notification was about, as it stands now:
    how late, how long left, or that it no longer runs (answered, resolved, moved)."""
    now = now or timezone.now()
    case, due_at = notification.case, notification.due_at
    if not case.is_open or getattr(case, f"{notification.deadline}_due_at", None) != due_at:
        return _("no longer running"), "clock-paused"
    if due_at <= now:
        return _("late by %(time)s") % {"time": duration_text(now - due_at)}, "clock-late"
    return _("%(time)s left") % {"time": duration_text(due_at - now)}, "clock-ok"


@dataclass(frozen=True)
class ReplyMode:
    """How an answer typed now reaches the citizen."""

    kind: str  # "free_text", "template" or "web"
    text: str
    window_closes_at: datetime | None = None


def reply_mode(case: Case, now: datetime | None = None) -> ReplyMode:
    now = now or timezone.now()
    if case.channel == Channel.WEB and _has_whatsapp(case):
        return ReplyMode(
            "web_whatsapp",
            _(
                "Goes to the WhatsApp number the citizen gave, from the central number (as an "
                "approved template when the 24-hour window is closed), and to their private page."
            ),
        )
    if case.channel == Channel.WEB:
        return ReplyMode(
            "web",
            _("The citizen gave no WhatsApp number: they read the answer on their private page."),
        )
    if case.channel != Channel.WHATSAPP:
        return ReplyMode(
            "web", _("Not a WhatsApp case: the citizen reads the answer on the portal.")
        )
    if case.last_inbound_at and now - case.last_inbound_at < WHATSAPP_WINDOW:
        closes = case.last_inbound_at + WHATSAPP_WINDOW
        return ReplyMode(
            "free_text",
            _("Goes as a free-text WhatsApp message (24-hour window open for %(time)s).")
            % {"time": duration_text(closes - now)},
            closes,
        )
    return ReplyMode(
        "template",
        _("The 24-hour window is closed: goes as an approved WhatsApp template."),
    )


def _has_whatsapp(case: Case) -> bool:
    return (
        case.contact_id is not None
        and ContactIdentity.objects.filter(
            contact_id=case.contact_id,
            kind__in=[ContactIdentity.Kind.WA_ID, ContactIdentity.Kind.WA_USER_ID],
        ).exists()
    )


TICKS = {
    Message.Delivery.PENDING: ("🕓", "pending"),
    Message.Delivery.SENT: ("✓", "sent"),
    Message.Delivery.DELIVERED: ("✓✓", "delivered"),
    Message.Delivery.READ: ("✓✓", "read"),
    Message.Delivery.FAILED: ("⚠", "failed"),
}


def ticks(message: Message) -> tuple[str, str] | None:
    """(symbol, css class) of an outbound message's delivery, or None."""
    if message.direction != Message.Direction.OUTBOUND:
        return None
    return TICKS.get(message.delivery)
