"""Request ids in every log record, and one INFO line per web request.

A web request gets the id its proxy sent (`X-Request-ID`, Caddy sets one) or a new one,
and answers with it. A WhatsApp webhook's id is derived from its raw body
(`webhook_request_id`), so the worker that processes the stored delivery later logs under
the same id without anything extra stored or spooled: grep one id, see the webhook arrive
and become a case. Records carry the id through `RequestIdFilter` (settings.LOGGING),
whether the format is plain text or JSON (LOG_FORMAT).

Nothing personal goes into these lines: the request line names the route pattern, never
the path (it may hold a private link's token) nor the query string.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
# What a proxy may hand us: short, no spaces or quotes (it ends up in every log line).
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{8,64}")
request_log = logging.getLogger("wadul.request")


def current() -> str:
    return _request_id.get()


def set_request_id(value: str) -> None:
    """Replace the current request's id (the webhook view: the id of its body)."""
    _request_id.set(value)


@contextmanager
def bound(value: str) -> Iterator[None]:
    """Log under `value` inside the block (a worker processing one webhook delivery)."""
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


def webhook_request_id(body: bytes | str) -> str:
    """The id of a webhook delivery, the same in the web process and in the worker."""
    if isinstance(body, str):
        body = body.encode("utf-8", errors="surrogatepass")
    return "wh-" + hashlib.sha256(body).hexdigest()[:16]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """First in MIDDLEWARE: everything logged while serving the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        value = offered if _ACCEPTABLE.fullmatch(offered) else uuid.uuid4().hex
        token = _request_id.set(value)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = _request_id.get()
            if settings.LOG_REQUESTS:
                match = request.resolver_match
                request_log.info(
                    "%s %s %s %.1fms",
                    request.method,
                    "/" + match.route if match else "(unresolved)",
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
            return response
        finally:
            _request_id.reset(token)
