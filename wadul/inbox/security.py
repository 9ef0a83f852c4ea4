"""Account safety: login throttling, the session epoch ("log out everywhere") and the
second factor that admins and supervisors must pass before any inbox or admin page.

Throttling is a small table of failed attempts keyed by username and by IP address rather
than django-axes: it needs no authentication backend of its own (so `Client.login` and the
API's token auth are untouched), the numbers live in settings, and the rows are easy to
inspect or clear from the admin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp import user_has_device

from wadul.inbox.models import LoginFailure, SessionEpoch
from wadul.organisation.models import Official

EPOCH_SESSION_KEY = "wadul_session_epoch"
OTP_SESSION_KEY = "wadul_second_factor"
SECOND_FACTOR_ROLES = frozenset({Official.Role.ADMIN, Official.Role.SUPERVISOR})
GUARDED_PREFIXES = ("/inbox/", "/admin/")


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a forwarded header is trivially forged unless a trusted proxy sets it.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)


def is_throttled(username: str, ip: str | None) -> bool:
    """Too many recent failures for this username, or from this address."""
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower()).count() >= settings.LOGIN_MAX_FAILURES_PER_USER:
        return True
    return bool(ip) and (recent.filter(ip=ip).count() >= settings.LOGIN_MAX_FAILURES_PER_IP)


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=(username or "").lower()[:150], ip=ip)
    # Old rows are useless; keep the table small.
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


@receiver(user_login_failed, dispatch_uid="inbox_login_failed")
def _on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    record_failure(credentials.get("username", ""), client_ip(request))


@receiver(user_logged_in, dispatch_uid="inbox_logged_in")
def _on_logged_in(sender, request: HttpRequest, user: Official, **kwargs) -> None:
    LoginFailure.objects.filter(username=user.username.lower()).delete()
    request.session[EPOCH_SESSION_KEY] = current_epoch(user)
    request.session[OTP_SESSION_KEY] = needs_second_factor(user)


def current_epoch(official: Official) -> int:
    return (
        SessionEpoch.objects.filter(official_id=official.pk).values_list("epoch", flat=True).first()
        or 0
    )


def logout_everywhere(official: Official) -> None:
    """End every session of this official, on every device, at its next request."""
    updated = SessionEpoch.objects.filter(official_id=official.pk).update(epoch=F("epoch") + 1)
    if not updated:
        SessionEpoch.objects.get_or_create(official_id=official.pk, defaults={"epoch": 1})


def needs_second_factor(official: Official) -> bool:
    """Admins and supervisors always; others once they have set up an authenticator."""
    return official.role in SECOND_FACTOR_ROLES or user_has_device(official, confirmed=True)


def _exempt(path: str) -> bool:
    return path.startswith(reverse("inbox:account_prefix")) or path == reverse("logout")


class AccountSecurityMiddleware:
    """Ends sessions older than the official's epoch, and sends officials who owe a second
    factor to set it up or enter it before any inbox or admin page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.session.get(EPOCH_SESSION_KEY, 0) != current_epoch(user):
                logout(request)
            elif self._owes_second_factor(request, user):
                return self._second_factor_redirect(request, user)
        return self.get_response(request)

    @staticmethod
    def _owes_second_factor(request: HttpRequest, user: Official) -> bool:
        if not request.path.startswith(GUARDED_PREFIXES) or _exempt(request.path):
            return False
        required = user.role in SECOND_FACTOR_ROLES or request.session.get(OTP_SESSION_KEY)
        return bool(required) and not user.is_verified()

    @staticmethod
    def _second_factor_redirect(request: HttpRequest, user: Official) -> HttpResponse:
        name = "inbox:otp_verify" if user_has_device(user, confirmed=True) else "inbox:otp_setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(name) + (f"?{query}" if query else ""))
