"""The simulator's state: business numbers, users, messages, media, limits and knobs.

One `Simulator` lives in one process; every read and write of its state holds `self.lock`.
HTTP (webhooks to the app) happens outside the lock, in `Deliverer` threads or, for the
synchronous paths (`/_sim/inbound`, `statuses_before_response`), in the request's thread.
"""

from __future__ import annotations

import copy
import hmac
import itertools
import random
import threading
import time
from typing import Any

from wadul.simulator import payloads
from wadul.simulator.business import DEFAULT_REVIEW, REVIEW_DECISIONS, BusinessAccount
from wadul.simulator.delivery import Deliverer, Job
from wadul.simulator.limits import TokenBucket
from wadul.simulator.media import MediaStore
from wadul.simulator.payloads import GraphError
from wadul.simulator.sending import validate_message
from wadul.simulator.state import (
    DEFAULT_WABA_ID,
    WINDOW_SECONDS,
    Media,
    Message,
    Number,
    User,
    new_stats,
)
from wadul.simulator.statuses import StatusWebhooks

__all__ = ["DEFAULT_WABA_ID", "Media", "Message", "Number", "Simulator", "User"]

DEFAULT_CONFIG: dict[str, Any] = {
    "webhook_url": "",
    # Several hosts of the app behind no load balancer: webhooks go to each in turn.
    "webhook_urls": [],
    # Token bucket per (business number, user): `burst` tokens, one back every `interval_s`.
    "pair_rate": {"interval_s": 6.0, "burst": 45},
    # Messages per second for every number without its own `throughput` (None: 80, 20 coex.).
    "throughput": None,
    "window_error_mode": "async",  # 131047 as a failed status webhook, or "sync": HTTP 400
    "statuses_before_response": False,
    "duplicate_webhooks": 1,
    "shuffle_statuses": False,
    "delivered_after_ms": 50,
    "auto_read_after_ms": None,
    "fail_next": None,  # {"count": N, "code": 131000, "http_status": 500}
    "corrupt_downloads": 0,  # the next N media downloads arrive damaged (a broken transfer)
    "status_contacts": True,  # value.contacts on status webhooks
    "status_conversation": False,  # the pre-v24 `conversation` object on statuses
    "webhook_retry": {"attempts": 5, "initial_ms": 200, "factor": 2.0},
    "webhook_timeout_s": 10.0,
    # The network between the app and Meta: each send waits up to this long before Meta
    # takes it, so two requests sent close together may arrive in either order.
    "send_jitter_ms": 0,
    "template_category": "utility",
    # How Meta reviews a submitted template: decision approve | reject | pending, after_ms,
    # and `reject`: {template name: reason} for the ones rejected whatever the decision.
    "template_review": DEFAULT_REVIEW,
}


class Simulator(StatusWebhooks, MediaStore, BusinessAccount):
    """Plays Meta's Cloud API for the business numbers registered with it."""

    def __init__(
        self,
        *,
        webhook_url: str = "",
        app_secret: str,
        access_token: str,
        api_version: str = "v21.0",
        delivery_threads: int = 4,
    ):
        self.lock = threading.RLock()
        self.app_secret = app_secret
        self.access_token = access_token
        self.api_version = api_version
        self.startup_webhook_url = webhook_url
        self.base_url = ""  # set by the server once it knows its address
        self.media_key = payloads.fbtrace_id().encode()
        self.deliverer = Deliverer(self, threads=delivery_threads)
        self.reset()

    # --- administration ---------------------------------------------------------------------------

    def reset(self) -> None:
        self.deliverer.clear()
        with self.lock:
            self.config: dict[str, Any] = copy.deepcopy(DEFAULT_CONFIG)
            self.config["webhook_url"] = self.startup_webhook_url
            self.numbers: dict[str, Number] = {}
            self.users: dict[str, User] = {}
            self.messages: list[Message] = []
            self.by_wamid: dict[str, Message] = {}
            self.last_user_message: dict[tuple[str, str], int] = {}
            self.media: dict[str, Media] = {}
            self.buckets: dict[tuple[str, str], TokenBucket] = {}
            self.stats: dict[str, dict[str, Any]] = {}
            self.read_receipts: list[dict[str, Any]] = []
            self.rejected: list[dict[str, Any]] = []
            self.templates: dict[str, dict[str, Any]] = {}
            self.subscribed_apps: set[str] = set()
            self.seq = itertools.count(1)

    def register_number(self, data: dict[str, Any]) -> dict[str, Any]:
        pnid = str(data.get("phone_number_id") or "").strip()
        if not pnid:
            raise ValueError("phone_number_id is required")
        with self.lock:
            number = self.numbers.get(pnid) or Number(phone_number_id=pnid, display_phone_number="")
            number.display_phone_number = str(
                data.get("display_phone_number") or number.display_phone_number or pnid
            )
            for flag in ("coexistence", "restricted", "spam_limited"):
                if flag in data:
                    setattr(number, flag, bool(data[flag]))
            if "throughput" in data:
                number.throughput = int(data["throughput"]) if data["throughput"] else None
            number.waba_id = str(data.get("waba_id") or number.waba_id)
            number.name = str(data.get("name") or number.name)
            for text in ("quality_rating", "messaging_limit_tier"):
                if data.get(text):
                    setattr(number, text, str(data[text]))
            number.window.limit = self.throughput_limit(number)
            self.numbers[pnid] = number
            self.stats.setdefault(pnid, new_stats())
            return number.as_dict(number.window.limit)

    def list_numbers(self) -> list[dict[str, Any]]:
        with self.lock:
            return [n.as_dict(self.throughput_limit(n)) for n in self.numbers.values()]

    def throughput_limit(self, number: Number) -> int:
        if number.throughput:
            return number.throughput
        if self.config["throughput"]:
            return int(self.config["throughput"])
        return 20 if number.coexistence else 80

    def set_user(self, data: dict[str, Any]) -> dict[str, Any]:
        wa_id = payloads.digits(str(data.get("wa_id") or ""))
        if not wa_id:
            raise ValueError("wa_id is required")
        with self.lock:
            user = self.user(wa_id)
            if "undeliverable" in data:
                user.undeliverable = bool(data["undeliverable"])
            if data.get("name"):
                user.name = str(data["name"])
            return {"wa_id": user.wa_id, "name": user.name, "undeliverable": user.undeliverable}

    def user(self, wa_id: str) -> User:
        with self.lock:
            user = self.users.get(wa_id)
            if user is None:
                user = self.users[wa_id] = User(wa_id=wa_id)
            return user

    def user_by_any_id(self, value: str) -> User | None:
        """A user by wa_id or by BSUID (`ID.…`)."""
        with self.lock:
            if value in self.users:
                return self.users[value]
            for user in self.users.values():
                if user.user_id == value:
                    return user
        return None

    def configure(self, data: dict[str, Any]) -> dict[str, Any]:
        unknown = set(data) - set(DEFAULT_CONFIG)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        with self.lock:
            new = copy.deepcopy(self.config)
            new.update(data)
            if new["window_error_mode"] not in ("async", "sync"):
                raise ValueError("window_error_mode must be async or sync")
            pair = new["pair_rate"]
            if pair and not (isinstance(pair, dict) and {"interval_s", "burst"} <= set(pair)):
                raise ValueError("pair_rate must be null or {interval_s, burst}")
            if new["fail_next"]:
                fail = {"count": 1, "code": 131000, "http_status": None, **new["fail_next"]}
                new["fail_next"] = fail
            retry = new["webhook_retry"]
            new["webhook_retry"] = {**DEFAULT_CONFIG["webhook_retry"], **(retry or {})}
            new["duplicate_webhooks"] = max(1, int(new["duplicate_webhooks"]))
            new["corrupt_downloads"] = max(0, int(new["corrupt_downloads"]))
            review = {**DEFAULT_REVIEW, **(new["template_review"] or {})}
            if review["decision"] not in REVIEW_DECISIONS:
                raise ValueError(f"template_review.decision must be one of {REVIEW_DECISIONS}")
            new["template_review"] = review
            if "pair_rate" in data:
                self.buckets.clear()
            if "webhook_urls" in data:  # a new set of hosts starts with its first
                self.deliverer.restart_turns()
            self.config = new
            for number in self.numbers.values():
                number.window.limit = self.throughput_limit(number)
            return copy.deepcopy(self.config)

    def register_template(self, data: dict[str, Any]) -> dict[str, Any]:
        """Optional: an approved template's text, so the phone page can show it filled in."""
        name = str(data.get("name") or "")
        if not name:
            raise ValueError("name is required")
        with self.lock:
            self.templates[name] = {
                "name": name,
                "category": str(data.get("category") or self.config["template_category"]),
                "language": str(data.get("language") or "id"),
                "header": data.get("header") or "",
                "body": str(data.get("body") or ""),
                "buttons": list(data.get("buttons") or []),
                "id": payloads.media_id(),
                "status": "APPROVED",
            }
            return dict(self.templates[name])

    # --- stats ------------------------------------------------------------------------------------

    def stats_for(self, pnid: str) -> dict[str, Any]:
        return self.stats.setdefault(pnid, new_stats())

    def count_webhook(self, pnid: str, outcome: str) -> None:
        with self.lock:
            self.stats_for(pnid)["webhooks"][outcome] += 1

    def count_rejected(self, pnid: str, code: int) -> None:
        rejected = self.stats_for(pnid)["rejected"]
        rejected[str(code)] = rejected.get(str(code), 0) + 1

    def stats_report(self) -> dict[str, Any]:
        with self.lock:
            report = {}
            for pnid, s in self.stats.items():
                first, last = s["first_accept"], s["last_accept"]
                span = (last - first) if first is not None and last is not None else 0
                report[pnid] = {
                    "accepted": s["accepted"],
                    "inbound": s["inbound"],
                    "rejected": dict(s["rejected"]),
                    "failed_async": dict(s["failed_async"]),
                    "achieved_rate": round(s["accepted"] / span, 2) if span > 0 else None,
                    "peak_rate": s["peak_rate"],
                    "webhooks": dict(s["webhooks"]),
                }
            return {"numbers": report}

    # --- the window -------------------------------------------------------------------------------

    def in_window(self, pnid: str, wa_id: str, now: float) -> bool:
        last = self.last_user_message.get((pnid, wa_id))
        return last is not None and now - last < WINDOW_SECONDS

    # --- Graph API: send --------------------------------------------------------------------------

    def check_token(self, authorization: str, query_token: str = "") -> None:
        token = ""
        if authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
        token = token or query_token
        if not token or not hmac.compare_digest(token.encode(), self.access_token.encode()):
            raise GraphError(190, "Invalid OAuth access token - Cannot parse access token")

    def number(self, pnid: str) -> Number:
        number = self.numbers.get(pnid)
        if number is None:
            raise GraphError(
                100,
                f"Unsupported post request. Object with ID '{pnid}' does not exist, cannot be "
                "loaded due to missing permissions, or does not support this operation.",
            )
        return number

    def send(self, pnid: str, body: Any) -> dict[str, Any]:
        """`POST /{version}/{pnid}/messages`: a send or a mark-as-read; raises GraphError."""
        jitter = self.config["send_jitter_ms"]
        if jitter:
            time.sleep(random.uniform(0, float(jitter)) / 1000)  # noqa: S311 (not a secret)
        now = time.time()
        if not isinstance(body, dict):
            raise GraphError(100, "Request body must be a JSON object.")
        with self.lock:
            number = self.number(pnid)
            try:
                if body.get("messaging_product") != "whatsapp":
                    raise GraphError(100, "The parameter messaging_product is required.")
                if body.get("status") == "read":
                    return self._mark_read(number, body, now)
                response, message, jobs = self._send(number, body, now)
            except GraphError as error:
                self.count_rejected(pnid, error.code)
                self.rejected.append(
                    {"phone_number_id": pnid, "code": error.code, "at": now, "request": body}
                )
                raise
            before_response = self.config["statuses_before_response"]
        if before_response and jobs:
            # The app must cope with a status for a wamid it has not recorded yet.
            first = jobs.pop(0)
            if not self._post_now(first):
                jobs.insert(0, first)  # retried first, so the order stays sent → delivered
        self.deliverer.submit(message.wamid, jobs)
        return response

    def _post_now(self, job: Job) -> bool:
        """POST a job in the caller's thread; on failure prepare it for a retry."""
        body = job.build()
        if body is None:
            return True
        job.body = body
        job.attempts = 1
        ok = True
        for _ in range(self.config["duplicate_webhooks"]):
            ok = self.deliverer.post(job.phone_number_id, body) == 200 and ok
        job.delay = self.config["webhook_retry"]["initial_ms"] / 1000
        return ok

    def _mark_read(self, number: Number, body: dict[str, Any], now: float) -> dict[str, Any]:
        message = self.by_wamid.get(str(body.get("message_id") or ""))
        if message is None or message.phone_number_id != number.phone_number_id:
            raise GraphError(131009, "Invalid message_id.")
        # Meta marks the earlier messages of the chat read too.
        for earlier in self.messages:
            if (
                earlier.direction == "inbound"
                and earlier.phone_number_id == number.phone_number_id
                and earlier.wa_id == message.wa_id
                and earlier.seq <= message.seq
            ):
                earlier.read_by_business = True
        self.read_receipts.append(
            {
                "phone_number_id": number.phone_number_id,
                "message_id": message.wamid,
                "typing_indicator": body.get("typing_indicator"),
                "at": now,
            }
        )
        return {"success": True}

    def _send(
        self, number: Number, body: dict[str, Any], now: float
    ) -> tuple[dict[str, Any], Message, list[Job]]:
        pnid = number.phone_number_id
        kind, content, recipient = validate_message(body, media=self.media)
        user = self._recipient(number, recipient)
        if kind == "template" and self.templates:
            known = self.templates.get(content["name"])
            if known is None or known.get("status", "APPROVED") != "APPROVED":
                raise GraphError(132001)
        fail = self.config["fail_next"]
        if fail and fail["count"] > 0:
            fail["count"] -= 1
            if fail["count"] <= 0:
                self.config["fail_next"] = None
            raise GraphError(int(fail["code"]), http_status=fail.get("http_status"))
        if number.restricted:
            raise GraphError(368)
        if number.spam_limited:
            raise GraphError(131048)
        number.window.limit = self.throughput_limit(number)
        if not number.window.allows(now):
            raise GraphError(130429)
        pair = self.config["pair_rate"]
        if pair:
            bucket = self.buckets.get((pnid, user.wa_id))
            if bucket is None:
                bucket = TokenBucket(capacity=float(pair["burst"]), interval=pair["interval_s"])
                self.buckets[(pnid, user.wa_id)] = bucket
            if not bucket.take(now):
                raise GraphError(131056)
        in_window = self.in_window(pnid, user.wa_id, now)
        failure = None
        if kind != "template" and not in_window:
            if self.config["window_error_mode"] == "sync":
                raise GraphError(131047)
            failure = 131047
        elif user.undeliverable:
            failure = 131026

        number.window.record(now)
        stats = self.stats_for(pnid)
        stats["accepted"] += 1
        stats["first_accept"] = stats["first_accept"] or now
        stats["last_accept"] = now
        stats["peak_rate"] = max(stats["peak_rate"], len(number.window.events))
        if kind == "template":
            template = self.templates.get(content["name"]) or {}
            category = template.get("category") or self.config["template_category"]
        else:
            category = "service"
        context = body.get("context") if isinstance(body.get("context"), dict) else {}
        message = Message(
            seq=next(self.seq),
            wamid=payloads.wamid(user.wa_id),
            direction="outbound",
            phone_number_id=pnid,
            wa_id=user.wa_id,
            type=kind,
            timestamp=int(now),
            content=content,
            context_id=context.get("message_id"),
            status="accepted",
            accepted_at=now,
            biz_opaque_callback_data=body.get("biz_opaque_callback_data"),
            request=body,
            category=category.lower(),
            in_window=in_window,
            media_id=content.get("id") if isinstance(content, dict) else None,
        )
        if failure:
            message.status = "failed"
            message.error_code = failure
            fa = stats["failed_async"]
            fa[str(failure)] = fa.get(str(failure), 0) + 1
        self.store(message)
        contact: dict[str, str] = {"input": str(recipient)}
        if user.identity != "user_id_only":
            contact["wa_id"] = user.wa_id
        if user.identity != "phone" or str(recipient).startswith("ID."):
            contact["user_id"] = user.user_id
        response = {
            "messaging_product": "whatsapp",
            "contacts": [contact],
            "messages": [{"id": message.wamid}],
        }
        return response, message, self._status_jobs(message)

    def _recipient(self, number: Number, recipient: str) -> User:
        if recipient.startswith("ID."):
            user = self.user_by_any_id(recipient)
            if user is None:
                raise GraphError(100, "Invalid parameter: unknown recipient user id.")
            return user
        wa_id = payloads.digits(recipient)
        if not recipient.strip().startswith("+") and wa_id.startswith("0"):
            # Without "+", Meta prepends the business number's country code.
            wa_id = _country_code(number.display_phone_number) + wa_id[1:]
        if len(wa_id) < 6 or len(wa_id) > 15:
            raise GraphError(100, "Invalid parameter: to is not a valid phone number.")
        return self.user(wa_id)

    def store(self, message: Message) -> None:
        self.messages.append(message)
        self.by_wamid[message.wamid] = message


def _country_code(display: str) -> str:
    number = payloads.digits(display)
    return "62" if number.startswith("62") or not number else number[:2]
