"""The phone page: a chat app for simulated WhatsApp users (citizens, officials' own phones)
and, on coexistence numbers, the WhatsApp Business app.

Server-rendered; a few lines of plain JS poll the open chat and send forms without reloading.
Opening a chat marks the business's messages read (and posts `read` status webhooks).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.simulator import inbound
from wadul.simulator.core import Message, Simulator
from wadul.simulator.http import json_response, sim

DEFAULT_ME = "6281234567890"
# Taman Blambangan, Banyuwangi: a sensible default pin.
DEFAULT_LOCATION = (-8.2192, 114.3691)
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/phone")


def _params(request: HttpRequest) -> dict[str, str]:
    data = request.POST if request.method == "POST" else request.GET
    simulator = sim(request)
    me = inbound.normalise_wa_id(data.get("me") or request.COOKIES.get("sim_me") or DEFAULT_ME)
    biz = data.get("biz") or request.COOKIES.get("sim_biz") or ""
    if biz not in simulator.numbers:
        biz = next(iter(simulator.numbers), "")
    mode = "business" if data.get("mode") == "business" else "user"
    if mode == "business" and (
        biz not in simulator.numbers or not simulator.numbers[biz].coexistence
    ):
        mode = "user"
    return {"me": me or DEFAULT_ME, "biz": biz, "mode": mode, "name": data.get("name", "")}


def _url(params: dict[str, str]) -> str:
    return "/phone?" + urlencode({k: params[k] for k in ("me", "biz", "mode")})


def page(request: HttpRequest) -> HttpResponse:
    simulator = sim(request)
    params = _params(request)
    with simulator.lock:
        user = simulator.users.get(params["me"])
        name = params["name"] or (user.name if user else "")
        numbers = list(simulator.numbers.values())
        number = simulator.numbers.get(params["biz"])
        context = {
            **params,
            "name": name,
            "numbers": numbers,
            "number": number,
            "users": sorted(simulator.users.values(), key=lambda u: (u.name or "~", u.wa_id)),
            "chats": _chats(simulator, params),
            "messages": _messages(simulator, params),
            # Strings: the Indonesian locale would print "-8,2192" and the form would send it.
            "lat": str(DEFAULT_LOCATION[0]),
            "lng": str(DEFAULT_LOCATION[1]),
            "chat_url": "/phone/chat?" + urlencode({k: params[k] for k in ("me", "biz", "mode")}),
        }
    if params["mode"] == "user":
        _mark_seen(simulator, params)
    response = HttpResponse(render_to_string("simulator/phone.html", context))
    response.set_cookie("sim_me", params["me"], samesite="Lax")
    if params["biz"]:
        response.set_cookie("sim_biz", params["biz"], samesite="Lax")
    return response


def chat(request: HttpRequest) -> HttpResponse:
    """The open chat's messages (polled); `seen=1` means the user is looking at them."""
    simulator = sim(request)
    params = _params(request)
    if request.GET.get("seen") and params["mode"] == "user":
        _mark_seen(simulator, params)
    with simulator.lock:
        context = {**params, "messages": _messages(simulator, params)}
    return HttpResponse(render_to_string("simulator/_messages.html", context))


def send(request: HttpRequest) -> HttpResponse:
    simulator = sim(request)
    params = _params(request)
    if request.method != "POST":
        return HttpResponseRedirect(_url(params))
    error = ""
    try:
        if params["mode"] == "business":
            _send_echo(simulator, request, params)
        else:
            _send_as_user(simulator, request, params)
    except ValueError as exc:
        error = str(exc)
    if request.headers.get("X-Requested-With") == "fetch":
        return json_response({"ok": not error, "error": error}, status=400 if error else 200)
    return HttpResponseRedirect(_url(params))


def media(request: HttpRequest, media_id: str) -> HttpResponse:
    """Media as the phone shows it (the phone holds its own chats' media; no token here)."""
    found = sim(request).media.get(media_id)
    if found is None:
        return HttpResponse(status=404)
    return HttpResponse(found.data, content_type=found.mime_type)


def played(request: HttpRequest) -> HttpResponse:
    simulator = sim(request)
    message = simulator.by_wamid.get(request.POST.get("wamid", ""))
    if request.method == "POST" and message is not None:
        simulator.request_read(message, played=True)
    return json_response({"ok": message is not None})


# --- what the user does -------------------------------------------------------------------------


def _send_as_user(simulator: Simulator, request: HttpRequest, params: dict[str, str]) -> None:
    data = request.POST
    spec: dict[str, Any] = {
        "phone_number_id": params["biz"],
        "from": params["me"],
        "name": params["name"] or "",
    }
    if data.get("context_id"):
        spec["context_id"] = data["context_id"]
    action = data.get("action") or "text"
    photo = request.FILES.get("photo")
    if action == "reply":
        kind = data.get("reply_kind") or "button_reply"
        if kind == "button":
            spec.update(
                type="button", button={"payload": data["reply_id"], "text": data["reply_title"]}
            )
        else:
            spec.update(
                type="interactive",
                interactive_type=kind,
                reply={"id": data["reply_id"], "title": data.get("reply_title", "")},
            )
        spec["context_id"] = data.get("context_id")
    elif action == "location":
        spec.update(
            type="location",
            location={
                "latitude": _decimal(data.get("latitude"), DEFAULT_LOCATION[0]),
                "longitude": _decimal(data.get("longitude"), DEFAULT_LOCATION[1]),
                "name": data.get("location_name", ""),
            },
        )
    elif photo is not None:
        spec.update(
            type="image",
            media={
                "content_b64": base64.b64encode(photo.read()).decode(),
                "mime_type": photo.content_type or "image/jpeg",
                "caption": data.get("text", ""),
            },
        )
    else:
        text = (data.get("text") or "").strip()
        if not text:
            raise ValueError(_("Write a message first."))
        spec.update(type="text", text=text)
    if not spec["phone_number_id"]:
        raise ValueError(_("No business number is registered with the simulator yet."))
    inbound.receive(simulator, spec)


def _decimal(value: str | None, default: float) -> float:
    """A coordinate as typed: Indonesian writes the decimal comma."""
    if not value or not value.strip():
        return default
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        raise ValueError(_("Latitude and longitude must be numbers.")) from None


def _send_echo(simulator: Simulator, request: HttpRequest, params: dict[str, str]) -> None:
    text = (request.POST.get("text") or "").strip()
    if not text:
        raise ValueError(_("Write a message first."))
    spec = {"phone_number_id": params["biz"], "to": params["me"], "text": text}
    if request.POST.get("context_id"):
        spec["context_id"] = request.POST["context_id"]
    inbound.echo(simulator, spec)


def _mark_seen(simulator: Simulator, params: dict[str, str]) -> None:
    with simulator.lock:
        unread = [
            m
            for m in simulator.messages
            if m.direction == "outbound"
            and m.phone_number_id == params["biz"]
            and m.wa_id == params["me"]
            and not m.read_requested
            and m.status != "failed"
        ]
    for message in unread:
        simulator.request_read(message)


# --- what the page shows ------------------------------------------------------------------------


def _chats(simulator: Simulator, params: dict[str, str]) -> list[dict[str, Any]]:
    latest: dict[tuple[str, str], Message] = {}
    for message in simulator.messages:
        latest[(message.phone_number_id, message.wa_id)] = message
    chats = []
    for (pnid, wa_id), message in sorted(latest.items(), key=lambda kv: -kv[1].seq):
        number = simulator.numbers.get(pnid)
        user = simulator.users.get(wa_id)
        chats.append(
            {
                "me": wa_id,
                "user_name": user.name if user else "",
                "biz": pnid,
                "label": (number.name or number.display_phone_number) if number else pnid,
                "initial": number.name[:1].upper() if number and number.name else "W",
                "preview": message.summary()[:60],
                "time": _time(message.timestamp),
                "active": (pnid, wa_id) == (params["biz"], params["me"]),
                "unread": sum(
                    1
                    for m in simulator.messages
                    if m.direction == "outbound"
                    and (m.phone_number_id, m.wa_id) == (pnid, wa_id)
                    and not m.read_requested
                    and m.status != "failed"
                ),
            }
        )
    return chats


def _time(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).astimezone(
        timezone.get_current_timezone()
    )


def _messages(simulator: Simulator, params: dict[str, str]) -> list[dict[str, Any]]:
    chat = [
        m
        for m in simulator.messages
        if m.phone_number_id == params["biz"] and m.wa_id == params["me"]
    ]
    items = [_display(simulator, m, params["mode"]) for m in chat]
    if params["mode"] == "user":
        # A failed send never reached the phone: one clear line in its place, saying whether
        # the business sent it again as a template (its copy follows as a normal bubble).
        for n, item in enumerate(items):
            if item["from_business"] and item["status"] == "failed":
                item["failed_notice"] = True
                item["followed_by_template"] = any(
                    later["template"] and later["status"] != "failed" for later in items[n + 1 :]
                )
    return items


def _display(simulator: Simulator, message: Message, mode: str) -> dict[str, Any]:
    """What a bubble shows: side, text, media, buttons, the quoted message, ticks."""
    from_business = message.direction in ("outbound", "echo")
    mine = from_business if mode == "business" else not from_business
    item: dict[str, Any] = {
        "wamid": message.wamid,
        "mine": mine,
        "from_business": from_business,
        "echo": message.direction == "echo",
        "type": message.type,
        "time": _time(message.timestamp),
        "status": message.status,
        "error_code": message.error_code,
        "read_by_business": message.read_by_business,
        "failed_notice": False,
        "text": message.summary(),
        "buttons": [],
        "media_url": "",
        "link": "",
        "template": None,
        "quoted": None,
    }
    content = message.content if isinstance(message.content, dict) else {}
    if message.context_id and message.context_id in simulator.by_wamid:
        item["quoted"] = simulator.by_wamid[message.context_id].summary()[:80]
    if message.type in ("image", "audio", "video", "document", "sticker"):
        if content.get("id") in simulator.media:
            item["media_url"] = f"/phone/media/{content['id']}"
        item["link"] = content.get("link", "")
        item["text"] = content.get("caption", "")
        item["filename"] = content.get("filename", "")
    elif message.type == "interactive" and from_business:
        item.update(_interactive(content))
    elif message.type == "template":
        item.update(_template(simulator, content))
    elif message.type == "location":
        lat, lng = content.get("latitude"), content.get("longitude")
        item["text"] = content.get("name") or ""
        item["location"] = f"{lat}, {lng}"
        item["link"] = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}"
    elif message.type == "interactive":
        item["text"] = "↩ " + message.summary()
    return item


def _interactive(content: dict[str, Any]) -> dict[str, Any]:
    kind = content.get("type")
    action = content.get("action") or {}
    shown: dict[str, Any] = {
        "header": (content.get("header") or {}).get("text", ""),
        "text": (content.get("body") or {}).get("text", ""),
        "footer": (content.get("footer") or {}).get("text", ""),
    }
    if kind == "button":
        shown["buttons"] = [
            {"id": b["reply"]["id"], "title": b["reply"]["title"], "kind": "button_reply"}
            for b in action.get("buttons") or []
        ]
    elif kind == "list":
        shown["list_title"] = action.get("button", "")
        shown["buttons"] = [
            {"id": row["id"], "title": row["title"], "kind": "list_reply"}
            for section in action.get("sections") or []
            for row in section.get("rows") or []
        ]
    elif kind == "cta_url":
        params = action.get("parameters") or {}
        shown["cta"] = {"title": params.get("display_text", ""), "url": params.get("url", "")}
    return shown


def _template(simulator: Simulator, content: dict[str, Any]) -> dict[str, Any]:
    """A template as the user sees it: the registered text filled in, else its parameters."""
    name = content.get("name", "")
    registered = simulator.templates.get(name) or {}
    values: dict[str, list[str]] = {}
    buttons = []
    for component in content.get("components") or []:
        params = [
            str(p.get("text") or p.get("payload") or (p.get(p.get("type")) or {}).get("link") or "")
            for p in component.get("parameters") or []
        ]
        if component.get("type") == "button":
            if component.get("sub_type") == "quick_reply":
                payload = params[0] if params else str(component.get("index"))
                index = int(component.get("index") or 0)
                titles = registered.get("buttons") or []
                title = titles[index] if index < len(titles) else payload
                buttons.append({"id": payload, "title": title, "kind": "button"})
        else:
            values[component.get("type", "body")] = params

    def fill(text: str, params: list[str]) -> str:
        def value(match: re.Match) -> str:
            key = match.group(1)
            return params[int(key) - 1] if key.isdigit() and 0 < int(key) <= len(params) else key

        return PLACEHOLDER.sub(value, text)

    body = registered.get("body")
    if body:
        text = fill(body, values.get("body", []))
        header = fill(registered.get("header") or "", values.get("header", []))
        params: list[str] = []
    else:
        text, header = "", ""
        params = [p for group in values.values() for p in group if p]
    if not buttons:
        buttons = [
            {"id": title, "title": title, "kind": "button"}
            for title in registered.get("buttons") or []
        ]
    return {
        "template": {"name": name, "language": (content.get("language") or {}).get("code", "")},
        "header": header,
        "text": text,
        "params": params,
        "buttons": buttons,
    }
