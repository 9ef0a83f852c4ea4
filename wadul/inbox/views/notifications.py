"""The official's own clock notifications (warnings, breaches, escalations) and reading them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wadul.inbox import integrations, presenters
from wadul.inbox.paging import page_of

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = integrations.notifications_for(request.user)
    if notifications is None:
        raise Http404
    page = page_of(request, notifications, PAGE_SIZE)
    now = timezone.now()
    context = {
        "section": "notifications",
        "items": [(n, *presenters.notification_clock(n, now)) for n in page.rows],
        "page": page.number,
        "has_next": page.has_next,
        # "Mark all as read" covers what existed when the page was drawn, not what the
        # sweep adds before the button is pressed.
        "newest_unread": integrations.newest_unread_notification(request.user),
        "privacy_alerts": integrations.privacy_alerts_for(request.user),
    }
    return render(request, "inbox/notifications.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    up_to = request.POST.get("up_to", "")
    changed = integrations.mark_notifications_read(
        request.user, int(up_to) if up_to.isdigit() else None
    )
    if changed:
        messages.success(request, _("Notifications marked as read."))
    return redirect("inbox:notifications")
