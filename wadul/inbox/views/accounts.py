"""Logging in (throttled), the second factor, and ending one's sessions everywhere."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from wadul.core import limits
from wadul.inbox import security
from wadul.inbox.forms import TokenForm
from wadul.organisation import services as org_services


class ThrottledFormMixin:
    """Words the refusal of `wadul.core.limits` (which enforces it in `authenticate()`)."""

    def clean(self):
        username = (self.data.get("username") or "").strip()
        if username and limits.login_refused(username, limits.client_ip(self.request)):
            raise forms.ValidationError(
                _("Too many failed attempts. Try again in %(minutes)d minutes."),
                code="throttled",
                params={"minutes": settings.LOGIN_THROTTLE_MINUTES},
            )
        return super().clean()


class ThrottledAuthenticationForm(ThrottledFormMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledFormMixin, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return settings.LOGIN_REDIRECT_URL


@login_required
def account(request: HttpRequest) -> HttpResponse:
    context = {
        "section": "account",
        "has_device": user_has_device(request.user, confirmed=True),
        "required": request.user.role in security.SECOND_FACTOR_ROLES,
    }
    return render(request, "inbox/account.html", context)


@login_required
@require_POST
def confirm_whatsapp(request: HttpRequest) -> HttpResponse:
    """The official types back the code sent to their new WhatsApp number."""
    try:
        org_services.confirm_whatsapp_number(request.user, request.POST.get("code", "")[:20])
    except org_services.WrongCode as error:
        messages.error(request, str(error))
        return redirect("inbox:account_prefix")
    messages.success(request, _("Your WhatsApp number is confirmed; cases now reach it."))
    return redirect("inbox:account_prefix")


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    security.logout_everywhere(request.user)
    logout(request)
    messages.success(request, _("You have been logged out on every device."))
    return redirect("login")


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: show its QR code, confirm with a first code."""
    if user_has_device(request.user, confirmed=True):
        return redirect("inbox:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Wadul", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[security.OTP_SESSION_KEY] = True
            messages.success(request, _("Two-step login is on."))
            return redirect(_next(request))
        form.add_error("token", _("The code is wrong or expired; try the next one."))
    context = {
        "form": form,
        "section": "account",
        "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 (our own generated SVG)
        "secret": _base32(device),
        "next": _next(request),
    }
    return render(request, "inbox/otp_setup.html", context)


def _base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Enter the current code of the authenticator app."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("inbox:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next(request))
        form.add_error("token", _("The code is wrong or expired; try the next one."))
    return render(
        request,
        "inbox/otp_verify.html",
        {"form": form, "section": "account", "next": _next(request)},
    )
