"""The WhatsApp text that tells an official about a case."""

from __future__ import annotations

from datetime import datetime

from wadul.cases.models import Case, ContactIdentity, Message, Visibility
from wadul.core.texts import render_text

REASONS = ("new", "follow_up", "transferred_in")


def reporter_line(case: Case) -> str:
    """Who reported, as an official in the unit may see it: name and number, except for
    anonymous and confidential cases (never the number of a confidential reporter)."""
    if case.visibility == Visibility.CONFIDENTIAL:
        return "rahasia (identitas dilindungi)"
    if case.visibility == Visibility.ANONYMOUS or case.contact is None:
        return "anonim"
    name = case.contact.display_name or "warga"
    phone = (
        case.contact.identities.filter(kind=ContactIdentity.Kind.WA_ID)
        .values_list("value", flat=True)
        .first()
    )
    return f"{name} (+{phone})" if phone else name


def case_notification(
    case: Case, *, reason: str, now: datetime, message: Message | None = None, count: int = 1
) -> str:
    """The notice's text; `message` is the citizen's (latest) message, `count` how many
    follow-ups it stands for when several were held for one notice."""
    if reason not in REASONS:
        raise ValueError(f"unknown notification reason {reason!r}")
    attachments = message.attachments.count() if message is not None else 0
    complaint = first_report(case)
    return render_text(
        "relay/case_notification.txt",
        fold=False,
        case=case,
        reason=reason,
        message=message,
        complaint=complaint,
        latest_is_complaint=message is None or complaint is None or message.pk == complaint.pk,
        map_url=map_url(case.latitude, case.longitude),
        reporter=reporter_line(case),
        attachments=attachments,
        count=count,
        now=now,
    )


def first_report(case: Case) -> Message | None:
    """The citizen's first message: the complaint itself, whatever came after it."""
    return (
        case.messages.filter(direction=Message.Direction.INBOUND)
        .order_by("created_at", "pk")
        .first()
    )


def map_url(latitude: float | None, longitude: float | None) -> str:
    """An OpenStreetMap link; written with a decimal point whatever the language (a
    localised "-8,2135" breaks the link)."""
    if latitude is None or longitude is None:
        return ""
    lat, lng = f"{latitude:.6f}", f"{longitude:.6f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}"
