"""What simulated people do: a user writes to a business number, or the business answers from
the WhatsApp Business app (coexistence echo). Both become signed webhooks delivered at once."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from typing import TYPE_CHECKING, Any

from wadul.simulator import payloads
from wadul.simulator.delivery import Job
from wadul.simulator.state import Message, User

if TYPE_CHECKING:
    from wadul.simulator.core import Simulator

INBOUND_TYPES = (
    "text",
    "image",
    "audio",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "interactive",
    "button",
    "reaction",
)
IDENTITIES = ("phone", "phone+user_id", "user_id_only")
DEFAULT_MIME = {
    "image": "image/png",
    "audio": "audio/ogg; codecs=opus",
    "video": "video/mp4",
    "document": "application/pdf",
    "sticker": "image/webp",
}
# A 1×1 PNG, so a photo sent without content still displays.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class InboundError(ValueError):
    """The control request cannot be turned into a webhook (answered with HTTP 400)."""


def normalise_wa_id(value: str) -> str:
    wa_id = payloads.digits(str(value))
    if wa_id.startswith("0"):
        wa_id = "62" + wa_id[1:]  # Indonesian local notation, as a citizen types it
    return wa_id


def _username(user: User) -> str:
    words = re.findall(r"[a-z0-9]+", user.name.lower())
    return ".".join(words[:2]) or f"user{user.wa_id[-4:]}"


def receive(sim: Simulator, spec: dict[str, Any]) -> dict[str, Any]:
    """`POST /_sim/inbound`: a user sends a message; deliver its webhook synchronously."""
    pnid = str(spec.get("phone_number_id") or "")
    with sim.lock:
        number = sim.numbers.get(pnid)
        if number is None:
            raise InboundError(f"unknown phone_number_id {pnid!r}: register it at /_sim/numbers")
        if "raw" in spec and spec["raw"] is not None:
            raw = spec["raw"]
            body = raw.encode() if isinstance(raw, str) else payloads.dump(raw)
            wamid = _first_wamid(raw)
            lane = wamid or f"raw:{time.monotonic_ns()}"
            message = None
        else:
            message, body = _build_inbound(sim, number, spec)
            wamid = lane = message.wamid
        copies = sim.config["duplicate_webhooks"]
        retry_delay = sim.config["webhook_retry"]["initial_ms"] / 1000
    status = _deliver_now(sim, pnid, body, copies, lane, retry_delay)
    if message is not None:
        with sim.lock:
            message.webhook_status = status
    result: dict[str, Any] = {"wamid": wamid, "webhook_status": status}
    if message is not None and message.media_id:
        result["media_id"] = message.media_id
    return result


def _deliver_now(
    sim: Simulator, pnid: str, body: bytes, copies: int, lane: str, retry_delay: float
) -> int | None:
    first = None
    ok = True
    for i in range(max(1, copies)):
        status = sim.deliverer.post(pnid, body)
        first = status if i == 0 else first
        ok = ok and status == 200
    if not ok:
        job = Job(pnid, build=lambda: body, delay=retry_delay, body=body, attempts=1)
        sim.deliverer.submit(lane, [job])
    return first


def _first_wamid(raw: Any) -> str | None:
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
        value = data["entry"][0]["changes"][0]["value"]
        return (value.get("messages") or value.get("message_echoes"))[0]["id"]
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _build_inbound(sim: Simulator, number, spec: dict[str, Any]) -> tuple[Message, bytes]:
    kind = spec.get("type") or "text"
    if kind not in INBOUND_TYPES:
        raise InboundError(f"type must be one of {', '.join(INBOUND_TYPES)}")
    identity = spec.get("identity") or "phone"
    if identity not in IDENTITIES:
        raise InboundError(f"identity must be one of {', '.join(IDENTITIES)}")
    wa_id = normalise_wa_id(spec.get("from") or "")
    if not 6 <= len(wa_id) <= 15:
        raise InboundError("from must be the user's phone number")
    now = time.time()
    timestamp = int(spec["timestamp"]) if spec.get("timestamp") is not None else int(now)
    user = sim.user(wa_id)
    if spec.get("name"):
        user.name = str(spec["name"])
    user.identity = identity
    if spec.get("username"):
        user.username = str(spec["username"])

    content, media = _content(sim, number, kind, spec)
    business = payloads.digits(number.display_phone_number)
    context: dict[str, Any] = {}
    if spec.get("context_id"):
        context = {"from": business, "id": str(spec["context_id"])}
    if spec.get("forwarded"):
        context["forwarded"] = True
    if spec.get("frequently_forwarded"):
        context["frequently_forwarded"] = True

    wamid = payloads.wamid(wa_id)
    item: dict[str, Any] = {}
    if context:
        item["context"] = context
    if identity != "user_id_only":
        item["from"] = wa_id
    if identity != "phone":
        item["from_user_id"] = user.user_id
    item.update({"id": wamid, "timestamp": str(timestamp), "type": kind, kind: content})

    profile: dict[str, Any] = {"name": user.name or wa_id}
    contact: dict[str, Any] = {"profile": profile}
    if identity != "phone":
        profile["username"] = user.username or _username(user)
    if identity != "user_id_only":
        contact["wa_id"] = wa_id
    if identity != "phone":
        contact["user_id"] = user.user_id

    message = Message(
        seq=next(sim.seq),
        wamid=wamid,
        direction="inbound",
        phone_number_id=number.phone_number_id,
        wa_id=wa_id,
        type=kind,
        timestamp=timestamp,
        content=content,
        context_id=context.get("id"),
        media_id=media.id if media else None,
    )
    sim.store(message)
    key = (number.phone_number_id, wa_id)
    sim.last_user_message[key] = max(sim.last_user_message.get(key, timestamp), timestamp)
    number.window.record(now)  # Meta's throughput counts inbound traffic too
    sim.stats_for(number.phone_number_id)["inbound"] += 1

    value = payloads.message_value(
        payloads.metadata(number.display_phone_number, number.phone_number_id), [contact], [item]
    )
    return message, payloads.dump(payloads.envelope(number.waba_id, "messages", value))


def _content(sim: Simulator, number, kind: str, spec: dict[str, Any]):
    """The per-type object of an inbound message (Meta's shape), and stored media if any."""
    if kind == "text":
        text = spec.get("text")
        if not isinstance(text, str) or not text:
            raise InboundError("text is required for a text message")
        return {"body": text}, None
    if kind in DEFAULT_MIME:
        return _media_content(sim, number, kind, spec.get("media") or {})
    if kind == "location":
        loc = spec.get("location") or {}
        try:
            content = {"latitude": float(loc["latitude"]), "longitude": float(loc["longitude"])}
        except (KeyError, TypeError, ValueError):
            raise InboundError("location needs latitude and longitude") from None
        for key in ("name", "address", "url"):
            if loc.get(key):
                content[key] = str(loc[key])
        return content, None
    if kind == "contacts":
        contacts = spec.get("contacts")
        if not isinstance(contacts, list) or not contacts:
            raise InboundError("contacts must be a list of Meta contact objects")
        return contacts, None
    if kind == "interactive":
        reply = spec.get("reply") or {}
        itype = spec.get("interactive_type") or "button_reply"
        if itype not in ("button_reply", "list_reply") or not reply.get("id"):
            raise InboundError("interactive needs reply {id, title} and interactive_type")
        obj = {"id": str(reply["id"]), "title": str(reply.get("title") or reply["id"])}
        if itype == "list_reply" and reply.get("description"):
            obj["description"] = str(reply["description"])
        return {"type": itype, itype: obj}, None
    if kind == "button":
        button = spec.get("button") or {}
        if not button.get("payload") and not button.get("text"):
            raise InboundError("button needs payload and text")
        text = str(button.get("text") or button.get("payload"))
        return {"payload": str(button.get("payload") or text), "text": text}, None
    # reaction
    reaction = spec.get("reaction") or {}
    if not reaction.get("message_id"):
        raise InboundError("reaction needs message_id")
    content = {"message_id": str(reaction["message_id"])}
    if reaction.get("emoji"):
        content["emoji"] = str(reaction["emoji"])  # removal: emoji absent, as in Meta's sample
    return content, None


def _media_content(sim: Simulator, number, kind: str, media_spec: dict[str, Any]):
    if media_spec.get("content_b64"):
        try:
            data = base64.b64decode(media_spec["content_b64"], validate=True)
        except (binascii.Error, ValueError):
            raise InboundError("media.content_b64 is not base64") from None
    else:
        data = TINY_PNG if kind in ("image", "sticker") else f"simulated {kind}".encode()
    mime = str(media_spec.get("mime_type") or DEFAULT_MIME[kind])
    filename = str(media_spec.get("filename") or "")
    media = sim.store_media(data, mime, filename, number.phone_number_id)
    content: dict[str, Any] = {}
    if media_spec.get("caption") and kind in ("image", "video", "document"):
        content["caption"] = str(media_spec["caption"])
    if kind == "document":
        content["filename"] = filename or "dokumen.pdf"
    content.update({"mime_type": mime, "sha256": payloads.sha256_b64(data), "id": media.id})
    if kind == "audio":
        content["voice"] = bool(media_spec.get("voice", False))
    if kind == "sticker":
        content["animated"] = False
    if sim.base_url:
        content["url"] = sim.media_url(media, sim.base_url)
    return content, media


def echo(sim: Simulator, spec: dict[str, Any]) -> dict[str, Any]:
    """`POST /_sim/echo`: the Business app on a coexistence number writes to a user."""
    pnid = str(spec.get("phone_number_id") or "")
    with sim.lock:
        number = sim.numbers.get(pnid)
        if number is None:
            raise InboundError(f"unknown phone_number_id {pnid!r}: register it at /_sim/numbers")
        if not number.coexistence:
            raise InboundError("echoes exist only on coexistence numbers (coexistence: true)")
        wa_id = normalise_wa_id(spec.get("to") or "")
        text = spec.get("text")
        if not 6 <= len(wa_id) <= 15 or not isinstance(text, str) or not text:
            raise InboundError("an echo needs to (the user's number) and text")
        timestamp = (
            int(spec["timestamp"]) if spec.get("timestamp") is not None else int(time.time())
        )
        sim.user(wa_id)
        wamid = payloads.wamid(wa_id)
        message = Message(
            seq=next(sim.seq),
            wamid=wamid,
            direction="echo",
            phone_number_id=pnid,
            wa_id=wa_id,
            type="text",
            timestamp=timestamp,
            content={"body": text},
            context_id=spec.get("context_id"),
            status="sent",
        )
        sim.store(message)  # an echo never opens or extends the customer service window
        number.window.record(time.time())
        item: dict[str, Any] = {
            "from": payloads.digits(number.display_phone_number),
            "to": wa_id,
            "id": wamid,
            "timestamp": str(timestamp),
            "type": "text",
            "text": {"body": text},
        }
        if spec.get("context_id"):
            item["context"] = {"id": str(spec["context_id"])}
        value = payloads.echo_value(payloads.metadata(number.display_phone_number, pnid), [item])
        body = payloads.dump(payloads.envelope(number.waba_id, "smb_message_echoes", value))
        copies = sim.config["duplicate_webhooks"]
        retry_delay = sim.config["webhook_retry"]["initial_ms"] / 1000
    status = _deliver_now(sim, pnid, body, copies, wamid, retry_delay)
    with sim.lock:
        message.webhook_status = status
    return {"wamid": wamid, "webhook_status": status}
