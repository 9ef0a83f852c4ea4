"""`wadul check` says what the WhatsApp channel is missing (STYLE habit 10)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

REQUIRED = {
    "WHATSAPP_VERIFY_TOKEN": "Meta cannot verify the webhook (GET handshake).",
    "WHATSAPP_APP_SECRET": "Every webhook will be refused: signatures cannot be checked.",
    "WHATSAPP_ACCESS_TOKEN": "Nothing can be sent and no media downloaded.",
    "WHATSAPP_WABA_ID": "Templates cannot be submitted nor the account checked "
    "(`wadul whatsapp_setup`).",
}
PURPOSES = ("answer", "status_update", "rating_request", "notice")


def register() -> None:
    checks.register(check_settings, "wadul")


def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for name, consequence in REQUIRED.items():
        if not getattr(settings, name, ""):
            messages.append(
                checks.Warning(
                    f"{name} is not set.",
                    hint=consequence,
                    id=f"wadul.whatsapp.W00{len(messages) + 1}",
                )
            )
    templates = settings.WHATSAPP_TEMPLATES
    if not isinstance(templates, dict):
        messages.append(
            checks.Error(
                "WHATSAPP_TEMPLATES must be a JSON object {purpose: {language: name}}.",
                id="wadul.whatsapp.E001",
            )
        )
        return messages
    for purpose in PURPOSES:
        names = templates.get(purpose)
        if not isinstance(names, dict) or not names.get(settings.WHATSAPP_LANGUAGE):
            messages.append(
                checks.Warning(
                    f"No approved template for {purpose!r} in language "
                    f"{settings.WHATSAPP_LANGUAGE!r}.",
                    hint="Outside the 24-hour window such messages cannot be sent. Set "
                    'WHATSAPP_TEMPLATES, e.g. {"answer": {"id": "wadul_jawaban"}, …}.',
                    id="wadul.whatsapp.W010",
                )
            )
    return messages
