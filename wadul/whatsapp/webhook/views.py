"""The webhook Meta calls: verify, store raw, answer. Everything else happens in the worker.

Meta's latency standard is a median under 250 ms, and a non-200 answer makes Meta retry for
seven days, so this view stores the body (`deliveries.store`: INSERTed into the table, many
requests per transaction) and never parses more than `json.loads` needs to tell JSON from
garbage.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from wadul.core import logs
from wadul.whatsapp.webhook import deliveries, undecodable

MAX_BODY_BYTES = 3 * 1024 * 1024  # Meta: payloads up to 3 MB


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return HttpResponse("payload too large", status=413, content_type="text/plain")
    # Read the stream ourselves: `request.body` would refuse anything over Django's
    # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), below Meta's 3 MB.
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return HttpResponse("payload too large", status=413, content_type="text/plain")
    # META rather than request.headers: that one builds a dict of every header first.
    signature = request.META.get("HTTP_X_HUB_SIGNATURE_256", "")
    if not signature:
        return HttpResponse("missing signature", status=401, content_type="text/plain")
    if not signature_is_valid(body, signature):
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    # The worker logs under the same id when it processes this delivery.
    logs.set_request_id(logs.webhook_request_id(body))
    if undecodable.decode(body) is None:
        # Any decoding failure (encoding, depth, numbers) is a 400, and the body is kept.
        undecodable.keep(body, "not JSON that can be read")
        return HttpResponse("not JSON", status=400, content_type="text/plain")
    try:
        deliveries.store(body)
    except deliveries.StoreFailed:
        # Not stored, so not acknowledged: Meta sends it again later.
        return HttpResponse(
            "try again later", status=503, content_type="text/plain", headers={"Retry-After": "5"}
        )
    return HttpResponse("OK", content_type="text/plain")


def signature_is_valid(body: bytes, header: str) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    # Not hmac.digest: that one releases the interpreter lock on every call, and getting it
    # back costs more than the HMAC (bench/README.md, Webhook).
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    # As bytes, like the handshake's token: compare_digest refuses non-ASCII text.
    given = header[len("sha256=") :].strip().lower()
    return hmac.compare_digest(expected.encode(), given.encode())


def sign(body: bytes, secret: str | None = None) -> str:
    """The X-Hub-Signature-256 header value for `body` (tests and the benchmark use it)."""
    key = (secret if secret is not None else settings.WHATSAPP_APP_SECRET).encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def _verify(request: HttpRequest) -> HttpResponse:
    token = settings.WHATSAPP_VERIFY_TOKEN
    mode = request.GET.get("hub.mode", "")
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if token and mode == "subscribe" and hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse(challenge, content_type="text/plain")
    return HttpResponse("verification failed", status=403, content_type="text/plain")
