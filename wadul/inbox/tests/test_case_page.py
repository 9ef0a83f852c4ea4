from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Channel, Message, Via
from wadul.routing.models import Action, RoutingDecision

login = testing.login


def page(client, case) -> str:
    return client.get(f"/inbox/kasus/{case.tracking_number}/").content.decode()


def test_thread_shows_photos_voice_notes_documents_and_location(client, official_a, unit_a):
    case = testing.create_case(unit=unit_a, latitude=-8.2, longitude=114.36)
    inbound = case.messages.get()
    for name, content_type in [
        ("foto.jpg", "image/jpeg"),
        ("suara.ogg", "audio/ogg"),
        ("surat.pdf", "application/pdf"),
    ]:
        services.add_attachment(
            case,
            file=ContentFile(b"data", name=name),
            content_type=content_type,
            actor=None,
            via=Via.WHATSAPP,
            message=inbound,
            original_name=name,
        )
    login(client, official_a)
    html = page(client, case)
    assert "<img" in html and "<audio controls" in html and "surat.pdf" in html
    assert "openstreetmap.org/?mlat=-8.2" in html


def test_delivery_ticks(client, official_a, case_a):
    message = services.answer(case_a, text="Siap", actor=official_a, via=Via.INBOX)
    Message.objects.filter(pk=message.pk).update(delivery=Message.Delivery.READ)
    login(client, official_a)
    assert "tick-read" in page(client, case_a)


def test_reply_box_says_free_text_inside_the_window_and_template_outside(
    client, official_a, unit_a
):
    case = testing.create_case(unit=unit_a, channel=Channel.WHATSAPP)
    login(client, official_a)
    assert "pesan teks bebas" in page(client, case)
    Case.objects.filter(pk=case.pk).update(last_inbound_at=timezone.now() - timedelta(hours=25))
    assert "templat" in page(client, case)


def test_clock_shows_time_left_or_late(client, official_a, case_a):
    login(client, official_a)
    Case.objects.filter(pk=case_a.pk).update(
        resolution_due_at=timezone.now() + timedelta(hours=2, minutes=30)
    )
    assert "2 jam 29 menit lagi" in page(client, case_a) or "2 jam 30 menit lagi" in page(
        client, case_a
    )
    Case.objects.filter(pk=case_a.pk).update(
        resolution_due_at=timezone.now() - timedelta(days=1, hours=2)
    )
    assert "terlambat 1 hari 2 jam" in page(client, case_a)


def test_history_lists_the_events(client, official_a, case_a, unit_b):
    login(client, official_a)
    html = page(client, case_a)
    assert "Riwayat" in html and "dibuka" in html


def test_attachment_is_served_to_the_unit_only(client, official_a, official_b, case_a):
    attachment = services.add_attachment(
        case_a,
        file=ContentFile(b"\xff\xd8jpeg", name="x.jpg"),
        content_type="image/jpeg",
        actor=None,
        via=Via.WHATSAPP,
    )
    url = f"/inbox/kasus/{case_a.tracking_number}/lampiran/{attachment.pk}/"
    login(client, official_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.logout()
    login(client, official_b)
    assert client.get(url).status_code == 404


def test_live_partial_is_204_until_something_changes(client, official_a, official_b, case_a):
    login(client, official_a)
    first = client.get(f"/inbox/kasus/{case_a.tracking_number}/terbaru/")
    assert first.status_code == 200
    token = first.content.decode().split("?v=")[1].split("&")[0]
    url = f"/inbox/kasus/{case_a.tracking_number}/terbaru/?v={token}"
    assert client.get(url).status_code == 204
    services.receive_message(case_a, text="Ada kabar, Pak?")
    response = client.get(url)
    assert response.status_code == 200 and "Ada kabar, Pak?" in response.content.decode()
    client.logout()
    login(client, official_b)
    assert client.get(url).status_code == 404


def test_status_change_of_a_sent_message_refreshes_the_thread(client, official_a, case_a):
    message = services.answer(case_a, text="Siap", actor=official_a, via=Via.INBOX)
    login(client, official_a)
    first = client.get(f"/inbox/kasus/{case_a.tracking_number}/terbaru/").content.decode()
    token = first.split("?v=")[1].split("&")[0]
    url = f"/inbox/kasus/{case_a.tracking_number}/terbaru/?v={token}"
    assert client.get(url).status_code == 204
    Message.objects.filter(pk=message.pk).update(delivery=Message.Delivery.DELIVERED)
    assert client.get(url).status_code == 200


def test_live_update_refreshes_the_actions_when_the_status_changed(client, official_a, case_a):
    services.request_clarification(case_a, text="Di mana?", actor=official_a, via=Via.INBOX)
    login(client, official_a)
    url = f"/inbox/kasus/{case_a.tracking_number}/terbaru/?v=old&s=waiting"
    assert 'id="action-grid"' not in client.get(url).content.decode()
    services.receive_message(Case.objects.get(pk=case_a.pk), text="Di pasar")
    html = client.get(url).content.decode()
    assert 'id="action-grid" hx-swap-oob="true"' in html
    assert "Minta klarifikasi" in html  # offered again now that the case is in progress


def test_triage_card_shows_the_routers_request_kind_and_its_cues(client, operator):
    case = testing.create_case(unit=None, text="Permohonan informasi: salinan DPA 2025")
    RoutingDecision.objects.create(
        case=case,
        action=Action.TRIAGE,
        intent="information_request",
        reasons=[{"kind": "intent", "detail": "jenis permintaan information_request (85%)"}],
    )
    login(client, operator)
    html = page(client, case)
    assert "Jenis permintaan:" in html
    assert "permintaan informasi publik (PPID)" in html
    assert "jenis permintaan information_request (85%)" in html
