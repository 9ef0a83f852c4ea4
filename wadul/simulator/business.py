"""The WhatsApp Business Account side of the Graph API: the access token's metadata, the
account's phone numbers, the app's subscription, and message templates with their review.

A mixin of `Simulator` (core.py): the methods take its lock. A submitted template is
reviewed `template_review["after_ms"]` later (approved, rejected or left pending, as the
`template_review` knob says) and the outcome goes to the app as a signed
`message_template_status_update` webhook, as Meta sends it.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from wadul.simulator import payloads
from wadul.simulator.delivery import Deliverer, Job
from wadul.simulator.payloads import GraphError
from wadul.simulator.state import Number

SIM_APP_ID = "1234567890123456"
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
CATEGORIES = ("UTILITY", "MARKETING", "AUTHENTICATION")
REVIEW_DECISIONS = ("approve", "reject", "pending")
DEFAULT_REVIEW = {"decision": "approve", "after_ms": 20, "reject": {}, "reason": "INVALID_FORMAT"}


class BusinessAccount:
    lock: threading.RLock
    config: dict[str, Any]
    numbers: dict[str, Number]
    templates: dict[str, dict[str, Any]]
    subscribed_apps: set[str]
    deliverer: Deliverer
    access_token: str

    # --- the token and the account ----------------------------------------------------------------

    def debug_token(self, input_token: str) -> dict[str, Any]:
        """`GET /debug_token?input_token=…`: what Meta says of a system user's token."""
        valid = bool(input_token) and input_token == self.access_token
        with self.lock:
            wabas = sorted({n.waba_id for n in self.numbers.values()})
        data: dict[str, Any] = {"app_id": SIM_APP_ID, "application": "Wadul (simulator)"}
        if not valid:
            data.update(
                is_valid=False,
                error={"code": 190, "message": "The access token could not be decrypted"},
            )
            return {"data": data}
        scopes = ["whatsapp_business_management", "whatsapp_business_messaging"]
        data.update(
            type="SYSTEM_USER",
            is_valid=True,
            expires_at=0,  # a system user's token does not expire
            data_access_expires_at=0,
            scopes=scopes,
            granular_scopes=[{"scope": scope, "target_ids": wabas} for scope in scopes],
            user_id="100000000000001",
        )
        return {"data": data}

    def _account_numbers(self, waba_id: str) -> list[Number]:
        numbers = [n for n in self.numbers.values() if n.waba_id == waba_id]
        if not numbers:
            raise GraphError(
                100,
                f"Unsupported get request. Object with ID '{waba_id}' does not exist, cannot be "
                "loaded due to missing permissions, or does not support this operation.",
            )
        return numbers

    def phone_numbers(self, waba_id: str) -> dict[str, Any]:
        """`GET /{waba-id}/phone_numbers`: the account's numbers, quality and limits."""
        with self.lock:
            numbers = self._account_numbers(waba_id)
            data = []
            for number in numbers:
                data.append(
                    {
                        "id": number.phone_number_id,
                        "display_phone_number": number.display_phone_number,
                        "verified_name": number.name or number.display_phone_number,
                        "code_verification_status": "VERIFIED",
                        "quality_rating": number.quality_rating,
                        "platform_type": "CLOUD_API",
                        "throughput": {"level": "STANDARD"},
                        "messaging_limit_tier": number.messaging_limit_tier,
                        "is_on_biz_app": number.coexistence,
                        "name_status": "APPROVED",
                    }
                )
        return {"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}}

    def subscribe_app(self, waba_id: str) -> dict[str, Any]:
        """`POST /{waba-id}/subscribed_apps`: this app gets the account's webhooks."""
        with self.lock:
            self._account_numbers(waba_id)
            self.subscribed_apps.add(waba_id)
        return {"success": True}

    def subscriptions(self, waba_id: str) -> dict[str, Any]:
        with self.lock:
            self._account_numbers(waba_id)
            subscribed = waba_id in self.subscribed_apps
        app = {"whatsapp_business_api_data": {"id": SIM_APP_ID, "name": "Wadul (simulator)"}}
        return {"data": [app] if subscribed else []}

    # --- templates --------------------------------------------------------------------------------

    def list_templates(self, waba_id: str) -> dict[str, Any]:
        """`GET /{waba-id}/message_templates`."""
        with self.lock:
            self._account_numbers(waba_id)
            data = [
                {
                    "id": t["id"],
                    "name": t["name"],
                    "language": t["language"],
                    "category": t["category"].upper(),
                    "status": t["status"],
                    "rejected_reason": t.get("rejected_reason") or "NONE",
                    "components": t.get("components") or [],
                }
                for t in self.templates.values()
                if t.get("waba_id") in (None, waba_id)
            ]
        return {"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}}

    def create_template(self, waba_id: str, body: Any) -> dict[str, Any]:
        """`POST /{waba-id}/message_templates`: submitted for review (PENDING)."""
        if not isinstance(body, dict):
            raise GraphError(100, "Request body must be a JSON object.")
        name = str(body.get("name") or "")
        language = str(body.get("language") or "")
        category = str(body.get("category") or "").upper()
        components = body.get("components")
        if not TEMPLATE_NAME.match(name):
            raise GraphError(100, "Invalid parameter: name must be lowercase letters, digits, _.")
        if not language:
            raise GraphError(100, "The parameter language is required.")
        if category not in CATEGORIES:
            raise GraphError(100, f"Invalid parameter: category must be one of {CATEGORIES}.")
        if not isinstance(components, list) or not any(
            isinstance(c, dict) and str(c.get("type")).upper() == "BODY" for c in components
        ):
            raise GraphError(100, "Invalid parameter: components must include a BODY.")
        _check_examples(components)
        with self.lock:
            self._account_numbers(waba_id)
            existing = self.templates.get(name)
            if existing and existing["language"] == language:
                raise GraphError(
                    100, f"Content in this language already exists for template {name}."
                )
            template = {
                "id": payloads.media_id(),
                "waba_id": waba_id,
                "name": name,
                "language": language,
                "category": category,
                "status": "PENDING",
                "rejected_reason": "NONE",
                "components": components,
                **_display(components),
            }
            self.templates[name] = template
            review = {**DEFAULT_REVIEW, **(self.config.get("template_review") or {})}
            pnid = _any_number(self, waba_id)
        decision = "reject" if name in (review["reject"] or {}) else review["decision"]
        if decision != "pending":
            reason = (review["reject"] or {}).get(name) or review["reason"]
            job = Job(
                pnid,
                build=lambda: self._review(template, decision, reason),
                delay=max(0.0, float(review["after_ms"]) / 1000),
            )
            self.deliverer.submit(f"template:{template['id']}", [job])
        return {"id": template["id"], "status": "PENDING", "category": category}

    def _review(self, template: dict[str, Any], decision: str, reason: str) -> bytes | None:
        """Decide a pending template; the status webhook's body (None: reset since)."""
        with self.lock:
            if self.templates.get(template["name"]) is not template:
                return None
            approved = decision == "approve"
            template["status"] = "APPROVED" if approved else "REJECTED"
            template["rejected_reason"] = "NONE" if approved else reason
            return self.template_status_body(template)

    def set_template_status(self, data: dict[str, Any]) -> dict[str, Any]:
        """Control API: Meta changes a template's status (PAUSED, DISABLED, APPROVED …); the
        app gets the webhook."""
        name = str(data.get("name") or "")
        status = str(data.get("status") or "").upper()
        if not status:
            raise ValueError("status is required")
        with self.lock:
            template = self.templates.get(name)
            if template is None:
                raise ValueError(f"unknown template {name!r}")
            template["status"] = status
            template["rejected_reason"] = str(data.get("reason") or "NONE")
            body = self.template_status_body(template)
            pnid = _any_number(self, template.get("waba_id") or "")
        self.deliverer.submit(f"template:{template['id']}", [Job(pnid, build=lambda: body)])
        return dict(template)

    def template_status_body(self, template: dict[str, Any]) -> bytes:
        value = {
            "event": template["status"],
            "message_template_id": int(template["id"]),
            "message_template_name": template["name"],
            "message_template_language": template["language"],
            "message_template_category": template["category"].upper(),
            "reason": template.get("rejected_reason") or "NONE",
        }
        waba_id = template.get("waba_id") or ""
        change = payloads.envelope(waba_id, "message_template_status_update", value)
        change["entry"][0]["time"] = int(time.time())
        return payloads.dump(change)


def _check_examples(components: list[Any]) -> None:
    """Meta rejects a body with variables but no example values at submission."""
    for component in components:
        if not isinstance(component, dict) or str(component.get("type")).upper() != "BODY":
            continue
        variables = set(re.findall(r"\{\{(\w+)\}\}", str(component.get("text") or "")))
        example = component.get("example") if isinstance(component.get("example"), dict) else {}
        rows = example.get("body_text") or example.get("body_text_named_params") or []
        if variables and not rows:
            raise GraphError(100, "Invalid parameter: a body with variables needs an example.")


def _display(components: list[Any]) -> dict[str, Any]:
    """The parts the phone page shows: header, body and quick-reply titles."""
    shown: dict[str, Any] = {"header": "", "body": "", "buttons": []}
    for component in components:
        if not isinstance(component, dict):
            continue
        kind = str(component.get("type")).upper()
        if kind == "HEADER":
            shown["header"] = str(component.get("text") or "")
        elif kind == "BODY":
            shown["body"] = str(component.get("text") or "")
        elif kind == "BUTTONS":
            shown["buttons"] = [str(b.get("text") or "") for b in component.get("buttons") or []]
    return shown


def _any_number(account: BusinessAccount, waba_id: str) -> str:
    """A phone number id of the account: the deliverer counts webhooks per number."""
    for number in account.numbers.values():
        if number.waba_id == waba_id:
            return number.phone_number_id
    return waba_id
