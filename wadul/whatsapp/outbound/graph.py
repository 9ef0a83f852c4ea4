"""The one seam for outbound HTTP to the WhatsApp Cloud (Graph) API.

Every call is logged as a `ProviderCall` with the access token redacted. Callers get a
`GraphResult` that says plainly whether Meta accepted the request, refused it (with Meta's
error code), or whether we cannot know (the request may have reached Meta: a read timeout
or a dropped connection after sending) — the sender must not blindly repeat those.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings

from wadul.whatsapp.models import ProviderCall
from wadul.whatsapp.outbound.graph_ids import is_path_id

LOG_BODY_CHARS = 4000


class Outcome:
    ACCEPTED = "accepted"
    REFUSED = "refused"  # Meta answered with an error
    NOT_SENT = "not_sent"  # the request never left (connection refused, connect timeout)
    UNKNOWN = "unknown"  # it may have been received (read timeout, connection dropped)


@dataclass
class GraphResult:
    outcome: str
    status_code: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    error_code: int | None = None
    error_detail: str = ""
    content: bytes = b""
    content_type: str = ""
    log: ProviderCall | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.ACCEPTED


_client: httpx.Client | None = None


def client() -> httpx.Client:
    global _client
    if _client is None:
        _client = httpx.Client(
            timeout=httpx.Timeout(settings.WHATSAPP_HTTP_TIMEOUT, connect=5.0),
            limits=httpx.Limits(max_keepalive_connections=10, max_connections=20),
        )
    return _client


def base_url() -> str:
    return f"{settings.WHATSAPP_GRAPH_URL}/{settings.WHATSAPP_API_VERSION}"


def send_message(
    phone_number_id: str, body: dict[str, Any], *, save_log: bool = True
) -> GraphResult:
    """POST /<PHONE_NUMBER_ID>/messages (messages, templates, read receipts). With
    save_log=False the caller saves `result.log` (in the transaction that records it)."""
    if not is_path_id(phone_number_id):
        return refused_id(phone_number_id)
    return _call(
        "POST", f"{base_url()}/{phone_number_id}/messages", json_body=body, save_log=save_log
    )


def media_info(media_id: str, phone_number_id: str = "") -> GraphResult:
    """GET /<MEDIA_ID>: the short-lived download URL, type, size and checksum."""
    # The id comes from a webhook payload: checked before it becomes part of a URL.
    if not is_path_id(media_id):
        return refused_id(media_id)
    params = {"phone_number_id": phone_number_id} if phone_number_id else None
    return _call("GET", f"{base_url()}/{media_id}", params=params)


def download(url: str) -> GraphResult:
    """GET the media URL itself (needs the bearer token too)."""
    return _call("GET", url, binary=True)


def upload_media(
    phone_number_id: str, *, content: bytes, filename: str, mime_type: str, save_log: bool = True
) -> GraphResult:
    """POST /<PHONE_NUMBER_ID>/media (multipart): a file to send by its returned `id`."""
    return _call(
        "POST",
        f"{base_url()}/{phone_number_id}/media",
        form={"messaging_product": "whatsapp", "type": mime_type},
        files={"file": (filename, content, mime_type)},
        save_log=save_log,
    )


def account_call(
    method: str,
    path: str,
    *,
    json_body: dict[str, Any] | None = None,
    params: dict[str, str] | None = None,
) -> GraphResult:
    """The business account's management endpoints (`debug_token`, `<WABA_ID>/phone_numbers`,
    `<WABA_ID>/subscribed_apps`, `<WABA_ID>/message_templates`), logged like every call."""
    return _call(method, f"{base_url()}/{path.lstrip('/')}", json_body=json_body, params=params)


def _call(
    method: str,
    url: str,
    *,
    json_body: dict[str, Any] | None = None,
    params: dict[str, str] | None = None,
    binary: bool = False,
    form: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    save_log: bool = True,
) -> GraphResult:
    token = settings.WHATSAPP_ACCESS_TOKEN
    headers = {"Authorization": f"Bearer {token}"}
    started = time.monotonic()
    if json_body is not None:
        logged = _redact(json.dumps(json_body, ensure_ascii=False), token)[:LOG_BODY_CHARS]
    elif files:  # the form and the files' sizes, never their bytes
        sizes = {name: f"<{len(f[1])} bytes {f[2]}>" for name, f in files.items()}
        logged = json.dumps({**(form or {}), **sizes}, ensure_ascii=False)[:LOG_BODY_CHARS]
    else:
        logged = ""
    shown = httpx.URL(url, params=params)
    if binary:  # a media URL's query is its signature: valid for minutes, never logged
        shown = shown.copy_with(query=None)
    log = ProviderCall(
        method=method,
        url=_redact(str(shown), token)[:500],
        request_body=logged,
    )
    try:
        response = client().request(
            method, url, json=json_body, params=params, data=form, files=files, headers=headers
        )
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        result = GraphResult(Outcome.NOT_SENT, error_detail=_describe(error))
    except httpx.HTTPError as error:
        result = GraphResult(Outcome.UNKNOWN, error_detail=_describe(error))
    else:
        result = _interpret(response, binary)
        log.status_code = response.status_code
        log.response_body = (
            f"<{len(response.content)} bytes {result.content_type}>"
            if binary and result.ok
            else _redact(response.text, token)[:LOG_BODY_CHARS]
        )
    log.duration_ms = int((time.monotonic() - started) * 1000)
    if not result.ok:
        log.error = result.error_detail[:300]
    result.log = log
    if save_log:
        log.save()
    return result


def _interpret(response: httpx.Response, binary: bool) -> GraphResult:
    content_type = response.headers.get("content-type", "")
    if response.status_code < 300:
        if binary:
            return GraphResult(
                Outcome.ACCEPTED,
                response.status_code,
                content=response.content,
                content_type=content_type,
            )
        try:
            data = response.json()
        except ValueError:
            data = {}
        return GraphResult(Outcome.ACCEPTED, response.status_code, data=data)
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    if not isinstance(error, dict):
        error = {}
    code = error.get("code")
    details = error.get("error_data") if isinstance(error.get("error_data"), dict) else {}
    return GraphResult(
        Outcome.REFUSED,
        response.status_code,
        error_code=int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
        error_detail=str(details.get("details") or error.get("message") or response.reason_phrase)[
            :500
        ],
    )


def refused_id(value: str) -> GraphResult:
    """Refused here, never sent: an id that would change the URL's path."""
    return GraphResult(Outcome.REFUSED, 400, error_detail=f"invalid id {value[:40]!r}")


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _redact(text: str, token: str) -> str:
    return text.replace(token, "[redacted]") if token else text
