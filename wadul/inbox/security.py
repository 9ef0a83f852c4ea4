"""Account safety: the one rule for staff surfaces, the session epoch ("log out
everywhere") and the second factor that admins and supervisors must pass.

The rule: every URL is a staff surface unless it is named in `PUBLIC_URLS` (pages for the
public, the webhook, the login itself) or belongs to a namespace with its own authentication
(`OWN_AUTH_NAMESPACES`: the API's tokens, Open311's keys). A staff surface needs a logged-in
official and, for the roles that must have it (or whoever set it up), a verified second
factor. It is decided here, once, from the resolved URL name, so a URL added later is a staff
surface unless someone lists it as public (`tests/test_staff_surfaces.py` walks every URL).

Login throttling lives in `wadul.core.limits` (one limiter for every way in).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from wadul.inbox.models import SessionEpoch
from wadul.organisation.models import Official

EPOCH_SESSION_KEY = "wadul_session_epoch"
OTP_SESSION_KEY = "wadul_second_factor"
SECOND_FACTOR_ROLES = frozenset({Official.Role.ADMIN, Official.Role.SUPERVISOR})

# Views anyone may open: they show only published, masked data, or the reporter's own case
# behind its unguessable link, or they are the way in.
PUBLIC_URLS = frozenset(
    {
        "whatsapp_webhook",  # signed by Meta
        "home",
        "healthz",
        "readyz",  # names failing checks, no data
        "metrics",  # its own token or address check (wadul.ops)
        "track",
        "set_language",
        "login",
        "logout",
        "api_docs",
        "admin:login",
        "portal:report",
        "portal:verify_whatsapp",
        "portal:private",
        "portal:private_photo",
        "portal:case_list",
        "portal:case_detail",
        "portal:photo",
        "portal:open_data",
        "portal:about_data",
        "portal:cases_csv",
        "portal:cases_json",
        "portal:answers_feed",
        "portal:league_csv",
        "portal:league_json",
        "portal:league",
        "portal:privacy",
        "portal:data_request",  # the number is proven by the code sent to it
        "portal:data_request_code",
        "portal:letter_verify",  # a village letter's QR: no personal data but a masked name
        "portal:letter_catalogue",
        "portal:letter_request",
        "portal:private_letter",  # behind the case's unguessable token, like portal:private
        "portal:letter_statistics",
        "portal:letter_statistics_csv",
        # Public information (PPID).
        "portal:informasi",
        "portal:informasi_request",
        "portal:serta_merta_feed",
        "portal:informasi_figures",
        "portal:private_ppid_letter",
        "portal:private_objection",
        "portal:private_withdraw",
        "portal:ppid_requests_csv",
        "portal:ppid_requests_json",
    }
)
OWN_AUTH_NAMESPACES = frozenset({"api", "open311"})
# Staff surfaces an official who still owes the second factor may open: setting it up,
# entering it, leaving.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "admin:logout",
        "inbox:account_prefix",
        "inbox:logout_everywhere",
        "inbox:otp_setup",
        "inbox:otp_verify",
    }
)


def is_public(view_name: str, namespaces: list[str]) -> bool:
    return view_name in PUBLIC_URLS or bool(namespaces and namespaces[0] in OWN_AUTH_NAMESPACES)


@receiver(user_logged_in, dispatch_uid="inbox_logged_in")
def _on_logged_in(sender, request: HttpRequest, user: Official, **kwargs) -> None:
    if request is None:
        return
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


class AccountSecurityMiddleware:
    """Ends sessions older than the official's epoch; on every staff surface, sends the
    anonymous to log in and officials who owe a second factor to set it up or enter it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(EPOCH_SESSION_KEY, 0) != current_epoch(user)
        ):
            logout(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or is_public(match.view_name, match.namespaces):
            return None
        user = request.user
        if not user.is_authenticated:
            admin = bool(match.namespaces) and match.namespaces[0] == "admin"
            login_url = reverse("admin:login") if admin else None
            return redirect_to_login(request.get_full_path(), login_url)
        if match.view_name not in SECOND_FACTOR_EXEMPT and self._owes_second_factor(request, user):
            return self._second_factor_redirect(request, user)
        return None

    @staticmethod
    def _owes_second_factor(request: HttpRequest, user: Official) -> bool:
        required = user.role in SECOND_FACTOR_ROLES or request.session.get(OTP_SESSION_KEY)
        return bool(required) and not user.is_verified()

    @staticmethod
    def _second_factor_redirect(request: HttpRequest, user: Official) -> HttpResponse:
        name = "inbox:otp_verify" if user_has_device(user, confirmed=True) else "inbox:otp_setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(name) + (f"?{query}" if query else ""))
