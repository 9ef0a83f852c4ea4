"""Media: upload, retrieve the URL, download with the Bearer token; users' media likewise."""

from __future__ import annotations

import base64
import hashlib

import httpx

from wadul.simulator.tests.conftest import ACCESS_TOKEN, CITIZEN, PNID

AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
PHOTO = bytes(range(256)) * 40


def upload(sim, data: bytes = PHOTO, mime: str = "image/jpeg", **fields) -> httpx.Response:
    return sim.http.post(
        f"/v21.0/{PNID}/media",
        data={"messaging_product": "whatsapp", "type": mime, **fields},
        files={"file": ("jalan.jpg", data, mime)},
        headers=AUTH,
    )


def test_upload_then_retrieve_then_download_with_the_token(sim):
    media_id = upload(sim).json()["id"]
    assert media_id.isdigit()

    info = sim.http.get(f"/v21.0/{media_id}", headers=AUTH).json()

    assert set(info) == {"messaging_product", "url", "mime_type", "sha256", "file_size", "id"}
    assert info["messaging_product"] == "whatsapp"
    assert info["mime_type"] == "image/jpeg"
    assert info["file_size"] == len(PHOTO)
    assert info["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert info["url"].startswith(sim.base_url)
    download = httpx.get(info["url"], headers=AUTH)
    assert download.status_code == 200
    assert download.content == PHOTO
    assert download.headers["content-type"] == "image/jpeg"


def test_the_media_url_needs_the_bearer_token(sim):
    media_id = upload(sim).json()["id"]
    info = sim.http.get(f"/v21.0/{media_id}", headers=AUTH).json()
    assert httpx.get(info["url"]).status_code == 401
    assert httpx.get(info["url"], headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_tampered_media_url_is_404(sim):
    media_id = upload(sim).json()["id"]
    url = sim.http.get(f"/v21.0/{media_id}", headers=AUTH).json()["url"]
    assert httpx.get(url.replace("hash=", "hash=0"), headers=AUTH).status_code == 404
    assert httpx.get(url.replace("hash=", "hash=%C3%A9"), headers=AUTH).status_code == 404


def test_retrieving_media_needs_the_token_and_a_known_id(sim):
    media_id = upload(sim).json()["id"]
    assert sim.http.get(f"/v21.0/{media_id}").status_code == 401
    response = sim.http.get("/v21.0/123456789", headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 100


def test_upload_needs_the_token_and_messaging_product(sim):
    response = sim.http.post(
        f"/v21.0/{PNID}/media", files={"file": ("a.jpg", b"x", "image/jpeg")}, headers=AUTH
    )
    assert response.json()["error"]["code"] == 100
    response = sim.http.post(
        f"/v21.0/{PNID}/media",
        data={"messaging_product": "whatsapp"},
        files={"file": ("a.jpg", b"x", "image/jpeg")},
    )
    assert response.status_code == 401


def test_an_uploaded_image_can_be_sent_by_id(sim):
    sim.inbound()
    media_id = upload(sim).json()["id"]
    response = sim.send(to=CITIZEN, type="image", image={"id": media_id, "caption": "Peta"})
    assert response.status_code == 200
    assert sim.control("outbox")["messages"][0]["media_id"] == media_id


def test_a_users_photo_arrives_with_an_id_the_app_can_download(sim):
    photo = b"\xff\xd8\xff\xe0 a photo of a pothole"
    result = sim.inbound(
        type="image",
        media={
            "content_b64": base64.b64encode(photo).decode(),
            "mime_type": "image/jpeg",
            "caption": "Jalan berlubang",
        },
    )

    [webhook] = sim.receiver.requests
    image = webhook.value["messages"][0]["image"]
    assert image["id"] == result["media_id"]
    assert image["caption"] == "Jalan berlubang"
    assert image["mime_type"] == "image/jpeg"
    assert image["sha256"] == base64.b64encode(hashlib.sha256(photo).digest()).decode()
    info = sim.http.get(f"/v21.0/{image['id']}", headers=AUTH).json()
    assert info["sha256"] == hashlib.sha256(photo).hexdigest()
    assert httpx.get(info["url"], headers=AUTH).content == photo
    assert httpx.get(image["url"], headers=AUTH).content == photo


def test_voice_notes_and_documents_carry_metas_fields(sim):
    sim.inbound(type="audio", media={"content_b64": "T2dnUw==", "voice": True})
    sim.inbound(type="document", media={"content_b64": "JVBERi0=", "filename": "ktp.pdf"})

    audio, document = (r.value["messages"][0] for r in sim.receiver.requests)

    assert audio["audio"]["voice"] is True
    assert audio["audio"]["mime_type"] == "audio/ogg; codecs=opus"
    assert document["document"]["filename"] == "ktp.pdf"
    assert document["document"]["mime_type"] == "application/pdf"
