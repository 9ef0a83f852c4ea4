"""Small helpers shared by the simulator's views."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from wadul.simulator.core import Simulator


def sim(request: HttpRequest) -> Simulator:
    return request.simulator  # type: ignore[attr-defined]  # set by wadul.simulator.app


def json_response(data: Any, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type="application/json")


def read_json(request: HttpRequest) -> Any:
    """The request's JSON body; read from the stream so large media payloads are allowed."""
    raw = request.read()
    if not raw.strip():
        return {}
    return json.loads(raw)


class BadRequest(Exception):
    """A control API request that does not make sense (HTTP 400 with the reason)."""
