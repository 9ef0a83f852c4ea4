"""An official's personal WhatsApp number: set by a head or the official, used by the relay
only after the official types back the code sent to it (so nobody can route relay notices,
which carry reporters' names and numbers, to someone else's phone)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.core import codes
from wadul.organisation.models import Official

PURPOSE = "official-whatsapp"


class WrongCode(ValueError):
    pass


@transaction.atomic
def propose_whatsapp_number(official: Official, number: str, *, actor: Official, via: str) -> None:
    """Send a code to `number`; it becomes the official's relay number once confirmed. An
    empty number removes the relay number at once."""
    if not number:
        Official.objects.filter(pk=official.pk).update(
            whatsapp_number="", whatsapp_pending="", whatsapp_code_digest=""
        )
        return
    code = codes.new_code()
    Official.objects.filter(pk=official.pk).update(
        whatsapp_pending=number,
        whatsapp_code_digest=codes.digest(code, PURPOSE),
        whatsapp_code_expires_at=codes.expiry(),
        whatsapp_code_attempts=0,
    )
    text = _(
        "Your Wadul code is %(code)s. Enter it under My account in the inbox to receive "
        "cases on this WhatsApp number."
    ) % {"code": code}
    transaction.on_commit(lambda: codes.send(number, text))


def confirm_whatsapp_number(official: Official, code: str) -> str:
    """The code came back: the pending number is the relay's. Raises WrongCode (after
    committing the count of wrong tries)."""
    with transaction.atomic():
        outcome = _confirm(official, code)
    if isinstance(outcome, WrongCode):
        raise outcome
    return outcome


def _confirm(official: Official, code: str) -> str | WrongCode:
    fresh = Official.objects.select_for_update().get(pk=official.pk)
    expires = fresh.whatsapp_code_expires_at
    if not fresh.whatsapp_pending or expires is None or expires < timezone.now():
        return WrongCode(_("There is no code waiting; ask for a new one."))
    if fresh.whatsapp_code_attempts >= codes.CODE_MAX_ATTEMPTS:
        return WrongCode(_("Too many wrong codes; ask for a new one."))
    if not codes.matches(code, fresh.whatsapp_code_digest, PURPOSE):
        Official.objects.filter(pk=fresh.pk).update(
            whatsapp_code_attempts=fresh.whatsapp_code_attempts + 1
        )
        return WrongCode(_("The code is wrong."))
    if Official.objects.filter(whatsapp_number=fresh.whatsapp_pending).exclude(pk=fresh.pk):
        return WrongCode(_("Another official already uses this number."))
    number = fresh.whatsapp_pending
    Official.objects.filter(pk=fresh.pk).update(
        whatsapp_number=number, whatsapp_pending="", whatsapp_code_digest=""
    )
    official.whatsapp_number, official.whatsapp_pending = number, ""
    return number
