"""The one limiter: failed logins on every way in (`/masuk/`, `/admin/login/`, API tokens)
and web reports, counted in the database (`Attempt`), per client address as
`client_ip` derives it.

The client address is REMOTE_ADDR unless `TRUSTED_PROXIES` says how many reverse proxies of
our own stand in front: then it is the address that many hops from the right of
X-Forwarded-For (each proxy appends the address it received from). A forwarded header is
never trusted by default: anyone can send one.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from wadul.core.models import Attempt

LOGIN_USER = "login-user"
LOGIN_IP = "login-ip"
REPORT_IP = "report-ip"
API_IP = "api-ip"
# Rows older than this are of no use to any window.
KEEP = timedelta(days=1)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, seen through `settings.TRUSTED_PROXIES` proxies of our own."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXIES
    if not hops:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    chain = [*forwarded, remote] if remote else forwarded
    if not chain:
        return None
    # The last `hops` entries were written by our proxies; the one before them is the client.
    candidate = chain[max(0, len(chain) - 1 - hops)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def count(scope: str, key: str, window: timedelta) -> int:
    return Attempt.objects.filter(scope=scope, key=key, at__gte=timezone.now() - window).count()


def hit(scope: str, key: str) -> None:
    Attempt.objects.create(scope=scope, key=key[:150])
    Attempt.objects.filter(at__lt=timezone.now() - KEEP).delete()


def take(scope: str, key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt unless `limit` were counted within `window`; False when refused."""
    if count(scope, key, window) >= limit:
        return False
    hit(scope, key)
    return True


def _login_window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)


def login_refused(username: str, ip: str | None) -> bool:
    """Too many recent failures for this username, or from this address."""
    window = _login_window()
    name = (username or "").strip().lower()
    if name and count(LOGIN_USER, name, window) >= settings.LOGIN_MAX_FAILURES_PER_USER:
        return True
    return bool(ip) and count(LOGIN_IP, ip, window) >= settings.LOGIN_MAX_FAILURES_PER_IP


def login_failed(username: str, ip: str | None) -> None:
    name = (username or "").strip().lower()
    if name:
        hit(LOGIN_USER, name)
    if ip:
        hit(LOGIN_IP, ip)


def login_succeeded(username: str) -> None:
    # The username's count only: a correct password does not lift the address's limit.
    Attempt.objects.filter(scope=LOGIN_USER, key=(username or "").strip().lower()).delete()


def api_token_refused(ip: str | None) -> bool:
    """Too many unknown or revoked API tokens from this address recently."""
    window = _login_window()
    return bool(ip) and count(API_IP, ip, window) >= settings.API_MAX_FAILURES_PER_IP


def api_token_failed(ip: str | None) -> None:
    if ip:
        hit(API_IP, ip)


class ThrottledModelBackend(ModelBackend):
    """Django's password check, refused while the username or the address is throttled.
    Every login form (`/masuk/`, the admin's) goes through `authenticate()`, so the limit is
    here, once; the forms only word the refusal."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and login_refused(username, client_ip(request)):
            raise PermissionDenied("throttled")  # stops authenticate() trying other backends
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="core_login_failed")
def _on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    login_failed(credentials.get("username", ""), client_ip(request))


@receiver(user_logged_in, dispatch_uid="core_logged_in")
def _on_logged_in(sender, request: HttpRequest, user, **kwargs) -> None:
    login_succeeded(user.get_username())
