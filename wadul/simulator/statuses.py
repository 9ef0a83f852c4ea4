"""Status webhooks of the messages the business sent: sent → delivered → read (→ played).

A mixin of `Simulator` (core.py): the methods run under its lock and read its state.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from wadul.simulator import payloads
from wadul.simulator.delivery import Deliverer, Job
from wadul.simulator.state import STATUS_RANK, WINDOW_SECONDS, Message, Number, User


class StatusWebhooks:
    lock: threading.RLock
    config: dict[str, Any]
    numbers: dict[str, Number]
    by_wamid: dict[str, Message]
    deliverer: Deliverer

    user: Callable[[str], User]

    def _status_jobs(self, message: Message) -> list[Job]:
        """The status webhooks of an accepted message, in delivery order (under the lock)."""
        pnid = message.phone_number_id
        if message.status == "failed":
            return [self._status_job(message, "failed")]
        wanted = ["sent", "delivered"]
        auto_read = self.config["auto_read_after_ms"]
        if auto_read is not None:
            wanted.append("read")
            message.read_requested = True
            if message.type == "audio":
                wanted.append("played")
                message.played_requested = True
        if self.config["shuffle_statuses"]:
            # Build every body now (timestamps in true order), deliver in another order.
            bodies = [self._status_body(message, s) for s in wanted]
            order = bodies[:]
            while order == bodies:
                random.shuffle(order)
            return [Job(pnid, build=lambda b=body: b, delay=0.02) for body in order]
        delays = {
            "sent": 0.0,
            "delivered": self.config["delivered_after_ms"] / 1000,
            "read": (auto_read or 0) / 1000,
            "played": 0.05,
        }
        return [self._status_job(message, s, delay=delays[s]) for s in wanted]

    def _status_job(self, message: Message, status: str, delay: float = 0.0) -> Job:
        def build() -> bytes | None:
            with self.lock:
                if self.by_wamid.get(message.wamid) is not message:
                    return None  # reset since
                if (
                    status != "failed"
                    and STATUS_RANK.get(message.status or "", 0) >= STATUS_RANK[status]
                ):
                    return None  # already reported (e.g. read after an earlier read)
                return self._status_body(message, status)

        return Job(message.phone_number_id, build=build, delay=delay)

    def _status_body(self, message: Message, status: str) -> bytes:
        now = int(time.time())
        last = message.statuses[-1]["timestamp"] if message.statuses else message.timestamp - 1
        ts = max(now, last + 1)  # strictly increasing, so the app can order by timestamp
        message.statuses.append({"status": status, "timestamp": ts})
        if STATUS_RANK[status] > STATUS_RANK.get(message.status or "", 0) or status == "failed":
            message.status = status
        number = self.numbers.get(message.phone_number_id) or Number(
            message.phone_number_id, message.phone_number_id
        )
        user = self.user(message.wa_id)
        item: dict[str, Any] = {"id": message.wamid, "status": status, "timestamp": str(ts)}
        if user.identity != "user_id_only":
            item["recipient_id"] = user.wa_id
        if user.identity != "phone":
            item["recipient_user_id"] = user.user_id
        if message.biz_opaque_callback_data is not None:
            item["biz_opaque_callback_data"] = message.biz_opaque_callback_data
        if status in ("sent", "delivered") and self.config["status_conversation"]:
            conversation: dict[str, Any] = {
                "id": hashlib.md5(  # noqa: S324 (an id, not security)
                    f"{message.phone_number_id}:{message.wa_id}".encode()
                ).hexdigest(),
                "origin": {"type": message.category},
            }
            if status == "sent":
                conversation["expiration_timestamp"] = str(ts + WINDOW_SECONDS)
            item["conversation"] = conversation
        if status in ("sent", "delivered"):
            item["pricing"] = payloads.pricing(message.category, in_window=message.in_window)
        if status == "failed":
            item["errors"] = [payloads.status_error(message.error_code or 131000)]
        contacts = None
        if self.config["status_contacts"]:
            contact: dict[str, str] = {}
            if user.identity != "user_id_only":
                contact["wa_id"] = user.wa_id
            if user.identity != "phone":
                contact["user_id"] = user.user_id
            contacts = [contact]
        value = payloads.status_value(
            payloads.metadata(number.display_phone_number, number.phone_number_id),
            [item],
            contacts,
        )
        return payloads.dump(payloads.envelope(number.waba_id, "messages", value))

    def request_read(self, message: Message, *, played: bool = False) -> None:
        """The user's phone showed (or played) a business message: post `read` / `played`."""
        with self.lock:
            if message.direction != "outbound" or message.status == "failed":
                return
            jobs = []
            if not message.read_requested:
                message.read_requested = True
                jobs.append(self._status_job(message, "read"))
            if played and message.type == "audio" and not message.played_requested:
                message.played_requested = True
                jobs.append(self._status_job(message, "played"))
            self.deliverer.submit(message.wamid, jobs)
