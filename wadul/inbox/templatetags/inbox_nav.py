"""What the inbox's navigation shows on every page."""

from __future__ import annotations

from django import template

from wadul.cases import events
from wadul.inbox import integrations

register = template.Library()

BADGE_CAP = 99


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> str:
    """The unread-notification badge's text ("3", "99+"), or "" when none is unread.

    Evaluated only where the inbox's navigation is drawn: one capped count on the partial
    index of unread rows, so it stays cheap on every page."""
    user = context["request"].user
    if not user.is_authenticated:
        return ""
    count = integrations.unread_notification_count(user, cap=BADGE_CAP + 1)
    if count > BADGE_CAP:
        return f"{BADGE_CAP}+"
    return str(count) if count else ""


@register.filter
def event_label(kind: str) -> str:
    """An event kind in words, also for kinds an app added (`cases.events.EXTRA_KINDS`)."""
    return events.label(kind)
