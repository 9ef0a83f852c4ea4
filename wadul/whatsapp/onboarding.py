"""`wadul whatsapp_setup`: is this installation connected to its WhatsApp Business Account?

Each check is a `Finding` (ok or not, what, and what to do); the command prints them. The
Graph calls go through the one seam (`graph.account_call`), logged with the token redacted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.outbound import graph

NEEDED_SCOPES = ("whatsapp_business_management", "whatsapp_business_messaging")
NUMBER_FIELDS = (
    "id,display_phone_number,verified_name,quality_rating,messaging_limit_tier,"
    "code_verification_status,platform_type,throughput"
)


@dataclass
class Finding:
    ok: bool
    what: str
    todo: str = ""
    lines: list[str] = field(default_factory=list)


def settings_findings() -> list[Finding]:
    """What is still missing on our side, before any call to Meta."""
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('whatsapp_webhook')}"
    found = [
        Finding(
            url.startswith("https://"),
            f"Webhook URL (Meta app → WhatsApp → Configuration): {url}",
            "Meta only posts to HTTPS: set SITE_URL to the public https:// address.",
        )
    ]
    for name, todo in (
        (
            "WHATSAPP_VERIFY_TOKEN",
            "Choose a random string; enter it as the webhook's Verify token.",
        ),
        ("WHATSAPP_APP_SECRET", "Meta app → App settings → Basic → App secret."),
        ("WHATSAPP_ACCESS_TOKEN", "Business settings → System users → Generate token."),
        ("WHATSAPP_WABA_ID", "WhatsApp Manager → Account tools: the WhatsApp Business Account ID."),
    ):
        found.append(Finding(bool(getattr(settings, name, "")), f"{name} is set", todo))
    return found


def check_token() -> Finding:
    """`GET /debug_token`: the token is valid, does not expire, and may manage and send."""
    token = settings.WHATSAPP_ACCESS_TOKEN
    result = graph.account_call("GET", "debug_token", params={"input_token": token})
    if not result.ok:
        return Finding(False, "Access token", _refused(result))
    data = result.data.get("data") if isinstance(result.data.get("data"), dict) else {}
    if not data.get("is_valid"):
        return Finding(False, "Access token is not valid", "Generate a new system-user token.")
    expires = int(data.get("expires_at") or 0)
    scopes = {str(s) for s in data.get("scopes") or []}
    missing = [s for s in NEEDED_SCOPES if s not in scopes]
    lines = [
        f"type {data.get('type') or '?'}, app {data.get('application') or data.get('app_id')}",
        "never expires"
        if not expires
        else f"expires {datetime.fromtimestamp(expires, tz=UTC):%Y-%m-%d %H:%M} UTC",
    ]
    if missing:
        return Finding(False, "Access token lacks permissions", f"Add {', '.join(missing)}.", lines)
    if expires:
        return Finding(
            False, "Access token expires", "Use a system user's token that never expires.", lines
        )
    return Finding(True, "Access token is valid", lines=lines)


def check_numbers() -> Finding:
    """`GET /<WABA_ID>/phone_numbers`: each number's quality and messaging limit, and
    whether Wadul knows it."""
    result = graph.account_call(
        "GET",
        f"{settings.WHATSAPP_WABA_ID}/phone_numbers",
        params={"fields": NUMBER_FIELDS},
    )
    if not result.ok:
        return Finding(False, "Phone numbers of the account", _refused(result))
    numbers = [n for n in result.data.get("data") or [] if isinstance(n, dict)]
    known = set(WhatsAppNumber.objects.values_list("phone_number_id", flat=True))
    lines, unknown = [], []
    for number in numbers:
        lines.append(_number_line(number, known))
        if str(number.get("id")) not in known:
            unknown.append(str(number.get("id")))
    todo = (
        f"Register {', '.join(unknown)} with `wadul whatsapp_numbers add ID NUMBER --unit CODE`."
        if unknown
        else ""
    )
    poor = [n for n in numbers if str(n.get("quality_rating")).upper() in ("RED", "YELLOW")]
    ok = bool(numbers) and not unknown
    what = f"{len(numbers)} phone number(s) on the account" + (
        f", {len(poor)} with a low quality rating" if poor else ""
    )
    return Finding(
        ok, what, todo or ("" if numbers else "Add a number in WhatsApp Manager."), lines
    )


def _number_line(number: dict[str, Any], known: set[str]) -> str:
    limit = number.get("messaging_limit_tier") or number.get(
        "whatsapp_business_manager_messaging_limit"
    )
    return (
        f"{number.get('id')}  {number.get('display_phone_number')}  "
        f"{number.get('verified_name') or ''}  quality {number.get('quality_rating') or '?'}  "
        f"limit {limit or '?'}" + ("" if str(number.get("id")) in known else "  (not in Wadul)")
    )


def subscribe_app() -> Finding:
    """`POST /<WABA_ID>/subscribed_apps`: the app receives the account's webhooks."""
    result = graph.account_call("POST", f"{settings.WHATSAPP_WABA_ID}/subscribed_apps")
    if not result.ok or not result.data.get("success"):
        return Finding(False, "App subscribed to the account's webhooks", _refused(result))
    return Finding(True, "App subscribed to the account's webhooks")


def _refused(result: graph.GraphResult) -> str:
    code = f"error {result.error_code}: " if result.error_code else ""
    return f"Meta answered {code}{result.error_detail or result.outcome}"
