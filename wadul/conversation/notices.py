"""What the core tells a citizen: acknowledgement, status, reopening, rating.

Messages that belong to a case go into its thread through `case_services.notify_citizen`
with a `Notice`, and the case's channel carries them; answers that belong to no thread
(a status question about an unknown number) go straight to the channel that asked.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from wadul.cases import channels, kinds, tracking
from wadul.cases import services as case_services
from wadul.cases.channels import Button, Notice, Purpose
from wadul.cases.models import Case, Contact, Message, Status
from wadul.conversation import wording
from wadul.conversation.messages import Inbound, Outcome
from wadul.organisation.models import Region

logger = logging.getLogger(__name__)

RATING_BUTTONS = ((5, "Puas"), (3, "Cukup"), (1, "Tidak puas"))
# First, before the tracking number, when a new message looks like an emergency.
EMERGENCY_ADVICE = (
    "*PENTING:* bila ada bahaya atau korban saat ini, segera hubungi *112* (gratis, 24 jam) "
    "— jangan menunggu balasan pesan ini."
)


def acknowledge(
    case: Case, contact: Contact | None, *, address: Any = None, emergency: str = ""
) -> Message | None:
    """The tracking number, the unit that has the case, the working-time deadline of the
    first answer and what happens when it is missed (plus, on first contact, the privacy
    notice). `emergency` (the 112 advice) comes before everything else."""
    privacy = case_services.record_privacy_notice(contact, case.created_at) if contact else False
    deadline = wording.next_deadline(case)
    text = wording.render(
        "acknowledgement",
        case=case,
        noun=kinds.get(case.type).noun,
        unit=case.unit if case.unit_id else None,
        deadline=wording.when(deadline[1]) if deadline else "",
        privacy=privacy,
        emergency=emergency,
        track_url=f"{settings.SITE_URL}{reverse('track', args=[case.tracking_number])}",
    )
    notice = Notice(
        purpose=Purpose.ACKNOWLEDGEMENT,
        template_params=[case.tracking_number, status_word(case)],
        address=address,
    )
    return case_services.notify_citizen(case, text=text, notice=notice)


def tell(case: Case, template: str, purpose: str, params: list[str], **context: Any) -> Message:
    """A notice about the case, in its thread (reopened, rating thanks …)."""
    notice = Notice(purpose=purpose, template_params=params)
    text = wording.render(template, case=case, noun=kinds.get(case.type).noun, **context)
    return case_services.notify_citizen(case, text=text, notice=notice)


def assigned(case: Case) -> Message:
    """A case that waited in triage has its unit: who, and by when they answer."""
    deadline = wording.next_deadline(case)
    return tell(
        case,
        "assigned",
        Purpose.STATUS_UPDATE,
        [case.tracking_number, f"ditangani {case.unit}"],
        deadline=wording.when(deadline[1]) if deadline else "",
    )


def location_noted(case: Case, region: Region | None, latitude: float, longitude: float) -> Message:
    """A pin is acknowledged with the desa and kecamatan it falls in."""
    kecamatan = region.parent.name if region and region.parent_id and region.level == 4 else ""
    return tell(
        case,
        "location",
        Purpose.NOTICE,
        [case.tracking_number],
        region=region.label if region else "",
        kecamatan=kecamatan,
        coordinates=f"{latitude:.5f}, {longitude:.5f}",
    )


def status(inbound: Inbound, rest: str) -> Outcome:
    """Answer "status <number>" with the case's status (outside any thread)."""
    wanted, case = _find_by_tracking(inbound.contact, rest)
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
        deadline = wording.next_deadline(case)
        text = wording.render(
            "status",
            case=case,
            status=status_word(case),
            last_answer=_short(last_answer),
            deadline_step=deadline[0] if deadline else "",
            deadline=wording.when(deadline[1]) if deadline else "",
        )
        params = [case.tracking_number, status_word(case)]
    send(inbound, text, Notice(purpose=Purpose.STATUS_UPDATE, template_params=params))
    return Outcome("status_asked", case)


def _find_by_tracking(contact: Contact, text: str) -> tuple[str, Case | None]:
    """The contact's case named in `text` (or their newest when `text` is empty)."""
    wanted = tracking.find_in_text(text) or tracking.normalise(text.strip())
    cases = Case.objects.filter(contact=contact).select_related("unit")
    if wanted:
        return wanted, cases.filter(tracking_number=wanted).first()
    if text.strip():
        return "", None
    return "", cases.order_by("-created_at").first()


def rate(inbound: Inbound, tracking_number: str, score: int) -> Outcome:
    case = Case.objects.filter(
        tracking_number=tracking.normalise(tracking_number) or "", contact=inbound.contact
    ).first()
    if case is None:
        return Outcome("rating_unknown_case")
    try:
        case_services.rate(case, rating=score, via=inbound.via, at=inbound.at)
    except case_services.CaseError:
        if case.rating is None:
            return Outcome("rating_refused", case)
        tell(case, "rating_already", Purpose.NOTICE, [case.tracking_number])
        return Outcome("rating_repeated", case)
    tell(case, "rating_thanks", Purpose.NOTICE, [case.tracking_number])
    return Outcome("rated", case)


def request_rating(case: Case) -> Message:
    """Ask the citizen to rate a resolved case, with reply buttons (a template with
    quick-reply buttons outside the 24-hour window)."""
    number = case.tracking_number
    buttons = [Button(f"rate:{number}:{score}", title) for score, title in RATING_BUTTONS]
    notice = Notice(purpose=Purpose.RATING_REQUEST, template_params=[number], buttons=buttons)
    return case_services.notify_citizen(
        case, text=wording.render("rating_request", case=case), notice=notice
    )


def send(inbound: Inbound, text: str, notice: Notice) -> None:
    """Tell the citizen who wrote `inbound` something outside any case's thread."""
    channel = channels.get(inbound.entry.channel)
    if channel is None:
        logger.warning("no channel carries %r; notice dropped", inbound.entry.channel)
        return
    channel.send(inbound.address, text, notice)


def status_word(case: Case) -> str:
    with translation.override("id"):
        return str(Status(case.status).label)


def _short(text: str | None, limit: int = 300) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
