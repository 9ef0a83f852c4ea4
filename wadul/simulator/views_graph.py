"""Graph API endpoints, answered as Meta answers them."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from wadul.simulator.http import json_response, read_json, sim
from wadul.simulator.payloads import GraphError

# Meta's upload limits per media kind (bytes).
UPLOAD_LIMITS = {"image": 5 << 20, "audio": 16 << 20, "video": 16 << 20}
DEFAULT_UPLOAD_LIMIT = 100 << 20


def _graph(handler):
    """Answer GraphError with Meta's envelope; require the Bearer token first."""

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        simulator = sim(request)
        try:
            simulator.check_token(
                request.headers.get("Authorization", ""), request.GET.get("access_token", "")
            )
            return handler(request, *args, **kwargs)
        except GraphError as error:
            pnid = kwargs.get("phone_number_id")
            if error.code == 190 and pnid in simulator.numbers:
                with simulator.lock:
                    simulator.count_rejected(pnid, 190)
            return json_response(error.envelope(), status=error.http_status)

    return view


@_graph
def messages(request: HttpRequest, version: str, phone_number_id: str) -> HttpResponse:
    if request.method != "POST":
        raise GraphError(100, "Unsupported get request.")
    try:
        body = read_json(request)
    except (ValueError, UnicodeDecodeError):
        raise GraphError(100, "The request body is not valid JSON.") from None
    return json_response(sim(request).send(phone_number_id, body))


@_graph
def upload_media(request: HttpRequest, version: str, phone_number_id: str) -> HttpResponse:
    simulator = sim(request)
    if request.method != "POST":
        raise GraphError(100, "Unsupported get request.")
    with simulator.lock:
        simulator.number(phone_number_id)
    if request.POST.get("messaging_product") != "whatsapp":
        raise GraphError(100, "The parameter messaging_product is required.")
    upload = request.FILES.get("file")
    if upload is None:
        raise GraphError(100, "The parameter file is required.")
    mime = request.POST.get("type") or upload.content_type or "application/octet-stream"
    data = upload.read()
    kind = mime.split("/")[0]
    limit = 500 << 10 if mime == "image/webp" else UPLOAD_LIMITS.get(kind, DEFAULT_UPLOAD_LIMIT)
    if len(data) > limit:
        raise GraphError(131053, f"Uploaded file is too large: {len(data)} > {limit} bytes.")
    media = simulator.store_media(data, mime, upload.name or "", phone_number_id)
    return json_response({"id": media.id})


@_graph
def media(request: HttpRequest, version: str, media_id: str) -> HttpResponse:
    simulator = sim(request)
    found = simulator.media.get(media_id)
    if found is None:
        raise GraphError(
            100,
            f"Unsupported {request.method.lower()} request. Object with ID '{media_id}' does not "
            "exist, cannot be loaded due to missing permissions, or does not support this "
            "operation.",
        )
    if request.method == "DELETE":
        with simulator.lock:
            simulator.media.pop(media_id, None)
        return json_response({"success": True})
    return json_response(
        {
            "messaging_product": "whatsapp",
            "url": simulator.media_url(found, request_base_url(request)),
            "mime_type": found.mime_type,
            "sha256": found.sha256_hex,
            "file_size": len(found.data),
            "id": found.id,
        }
    )


def download(request: HttpRequest) -> HttpResponse:
    """The media URL (Meta's lookaside host): Bearer token required, bytes back."""
    simulator = sim(request)
    try:
        simulator.check_token(request.headers.get("Authorization", ""))
    except GraphError as error:
        return json_response(error.envelope(), status=401)
    found = simulator.media_for_url(
        request.GET.get("mid", ""), request.GET.get("ext", ""), request.GET.get("hash", "")
    )
    if found is None:
        return HttpResponse(status=404)
    data = found.data
    if simulator.take_corruption():
        data = data[:-1] + bytes([data[-1] ^ 0xFF]) if data else b"\x00"
    response = HttpResponse(data, content_type=found.mime_type)
    if found.filename:
        response["Content-Disposition"] = f"inline; filename={json.dumps(found.filename)}"
    return response


def request_base_url(request: HttpRequest) -> str:
    # The simulator answers on any host name it is reached by (no ALLOWED_HOSTS check).
    host = request.META.get("HTTP_HOST") or (
        f"{request.META['SERVER_NAME']}:{request.META['SERVER_PORT']}"
    )
    return f"{request.scheme}://{host}"


# --- the business account: token, numbers, subscription, templates -------------------------------


@_graph
def debug_token(request: HttpRequest, version: str) -> HttpResponse:
    return json_response(sim(request).debug_token(request.GET.get("input_token", "")))


@_graph
def phone_numbers(request: HttpRequest, version: str, waba_id: str) -> HttpResponse:
    if request.method != "GET":
        raise GraphError(100, f"Unsupported {request.method.lower()} request.")
    return json_response(sim(request).phone_numbers(waba_id))


@_graph
def subscribed_apps(request: HttpRequest, version: str, waba_id: str) -> HttpResponse:
    if request.method == "POST":
        return json_response(sim(request).subscribe_app(waba_id))
    return json_response(sim(request).subscriptions(waba_id))


@_graph
def message_templates(request: HttpRequest, version: str, waba_id: str) -> HttpResponse:
    simulator = sim(request)
    if request.method != "POST":
        return json_response(simulator.list_templates(waba_id))
    try:
        body = read_json(request)
    except (ValueError, UnicodeDecodeError):
        raise GraphError(100, "The request body is not valid JSON.") from None
    return json_response(simulator.create_template(waba_id, body))
