"""The control API under /_sim/: what tests, the phone page and the demo use to drive the
simulator. No authentication; JSON in, JSON out; HTTP 400 with {"error"} for bad requests."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wadul.simulator import inbound
from wadul.simulator.http import json_response, read_json, sim


def _control(methods: tuple[str, ...]) -> Callable:
    def decorate(handler):
        def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                return json_response({"error": f"use {' or '.join(methods)}"}, status=405)
            try:
                data = read_json(request) if request.method == "POST" else {}
                if not isinstance(data, dict):
                    raise ValueError("the body must be a JSON object")
                return json_response(handler(request, data, *args, **kwargs))
            except (ValueError, TypeError, KeyError) as error:
                return json_response({"error": str(error)}, status=400)

        return view

    return decorate


@_control(("GET",))
def health(request, data):
    return {"ok": True}


@_control(("GET", "POST"))
def numbers(request, data):
    if request.method == "POST":
        return sim(request).register_number(data)
    return {"numbers": sim(request).list_numbers()}


@_control(("GET", "POST"))
def users(request, data):
    simulator = sim(request)
    if request.method == "POST":
        return simulator.set_user(data)
    with simulator.lock:
        return {
            "users": [
                {
                    "wa_id": u.wa_id,
                    "name": u.name,
                    "user_id": u.user_id,
                    "undeliverable": u.undeliverable,
                    "identity": u.identity,
                }
                for u in simulator.users.values()
            ]
        }


@_control(("GET", "POST"))
def config(request, data):
    simulator = sim(request)
    if request.method == "POST":
        return simulator.configure(data)
    with simulator.lock:
        return dict(simulator.config)


@_control(("POST",))
def reset(request, data):
    sim(request).reset()
    return {"ok": True}


@_control(("GET", "POST"))
def templates(request, data):
    simulator = sim(request)
    if request.method == "POST":
        return simulator.register_template(data)
    with simulator.lock:
        return {"templates": list(simulator.templates.values())}


@_control(("POST",))
def template_status(request, data):
    """Meta changes a template's status ({name, status, reason}); the app gets the webhook."""
    return sim(request).set_template_status(data)


@_control(("POST",))
def inbound_message(request, data):
    return inbound.receive(sim(request), data)


@_control(("POST",))
def echo(request, data):
    return inbound.echo(sim(request), data)


def _user_filter(simulator, value: str) -> str:
    user = simulator.user_by_any_id(value) or simulator.user_by_any_id(
        inbound.normalise_wa_id(value)
    )
    return user.wa_id if user else inbound.normalise_wa_id(value)


@_control(("GET",))
def conversations(request, data):
    simulator = sim(request)
    pnid = request.GET.get("phone_number_id", "")
    user = request.GET.get("user", "")
    with simulator.lock:
        wa_id = _user_filter(simulator, user) if user else ""
        return {
            "messages": [
                m.as_dict()
                for m in simulator.messages
                if (not pnid or m.phone_number_id == pnid) and (not wa_id or m.wa_id == wa_id)
            ]
        }


@_control(("GET",))
def outbox(request, data):
    simulator = sim(request)
    pnid = request.GET.get("phone_number_id", "")
    with simulator.lock:
        result = {
            "messages": [
                m.as_dict()
                for m in simulator.messages
                if m.direction == "outbound" and (not pnid or m.phone_number_id == pnid)
            ]
        }
        if request.GET.get("include_rejected"):
            result["rejected"] = [
                r for r in simulator.rejected if not pnid or r["phone_number_id"] == pnid
            ]
        return result


@_control(("GET",))
def reads(request, data):
    """Mark-as-read calls the business made (`{"status": "read"}` sends)."""
    simulator = sim(request)
    with simulator.lock:
        return {"reads": list(simulator.read_receipts)}


@_control(("POST",))
def read(request, data):
    """The user reads business messages: one `wamid`, or every one of a chat."""
    simulator = sim(request)
    with simulator.lock:
        if data.get("wamid"):
            found = simulator.by_wamid.get(data["wamid"])
            if found is None:
                raise ValueError("unknown wamid")
            chosen = [found]
        else:
            wa_id = _user_filter(simulator, str(data.get("user") or ""))
            chosen = [
                m
                for m in simulator.messages
                if m.direction == "outbound"
                and m.phone_number_id == data.get("phone_number_id")
                and m.wa_id == wa_id
            ]
    for message in chosen:
        simulator.request_read(message, played=bool(data.get("played")))
    return {"read": [m.wamid for m in chosen]}


@_control(("GET",))
def stats(request, data):
    return sim(request).stats_report()


@_control(("GET", "POST"))
def idle(request, data):
    """Wait (up to `timeout` seconds) until every queued webhook was delivered or dropped."""
    timeout = float(request.GET.get("timeout") or data.get("timeout") or 10)
    started = time.monotonic()
    ok = sim(request).deliverer.wait_idle(min(timeout, 60))
    return {"idle": ok, "waited_s": round(time.monotonic() - started, 3)}
