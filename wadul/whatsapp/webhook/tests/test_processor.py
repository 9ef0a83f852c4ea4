"""The worker side of the webhook, driven by signed fixture posts (no sending here: the
outbox rows it queues are checked; `test_sender.py` sends them to the simulator)."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Contact, ContactIdentity, Message, Status, Via
from wadul.whatsapp.models import (
    Alert,
    InboundMessage,
    MediaDownload,
    MessageStatus,
    OutboundMessage,
    WebhookDelivery,
)
from wadul.whatsapp.testing import fixture, post_webhook
from wadul.whatsapp.webhook import processor
from wadul.whatsapp.webhook.tests.test_parser import ALL_FIXTURES, NOT_UNDERSTOOD

pytestmark = pytest.mark.django_db
K = ContactIdentity.Kind
Purpose = OutboundMessage.Purpose


def process() -> None:
    while processor.process_next():
        pass


def post_and_process(client, payload) -> WebhookDelivery:
    assert post_webhook(client, payload).status_code == 200
    process()
    return WebhookDelivery.objects.order_by("-id").first()


def text_payload(text: str, *, wamid: str, sender: str = "6281234567001", ts: int | None = None):
    payload = copy.deepcopy(fixture("inbound_text"))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update(id=wamid, timestamp=str(ts or int(timezone.now().timestamp())))
    message["from"] = sender
    message["text"]["body"] = text
    payload["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = sender
    return payload


def end(case: Case, at=None) -> None:
    services.resolve(case, actor=None, via=Via.SYSTEM, at=at)
    services.close(case, actor=None, via=Via.SYSTEM, at=at)


def acks() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(purpose=Purpose.ACKNOWLEDGEMENT).order_by("id"))


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_is_processed_or_flagged_never_lost(client, meta_number, name):
    delivery = post_and_process(client, name)
    expected = (
        WebhookDelivery.State.FLAGGED
        if name in NOT_UNDERSTOOD or name == "inbound_text_unknown_number"
        else WebhookDelivery.State.PROCESSED
    )
    assert delivery.state == expected, delivery.notes
    # Replaying changes nothing.
    counts = (Case.objects.count(), Message.objects.count(), OutboundMessage.objects.count())
    delivery.state = WebhookDelivery.State.PENDING
    delivery.save()
    process()
    after = (Case.objects.count(), Message.objects.count(), OutboundMessage.objects.count())
    assert after == counts


def test_first_message_opens_a_case_on_the_numbers_unit_with_an_acknowledgement(
    client, meta_number, unit_a
):
    post_and_process(client, "inbound_text")
    case = Case.objects.get()
    assert case.unit == unit_a and case.status == Status.ASSIGNED
    assert case.channel == "whatsapp" and case.channel_number == meta_number
    assert case.last_inbound_at.timestamp() == 1749416383
    inbound = case.messages.get(direction=Message.Direction.INBOUND)
    assert inbound.text == "Does it come in another color?"
    assert (
        inbound.external_id
        == fixture("inbound_text")["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    )
    (ack,) = acks()
    assert case.tracking_number in ack.content["text"]
    assert "Nomor laporan" in ack.content["text"]
    assert "Privasi" in ack.content["text"]
    assert ack.recipient == "16505551234" and ack.state == OutboundMessage.State.QUEUED
    assert ack.message.direction == Message.Direction.OUTBOUND
    assert case.contact.display_name == "Sheena Nelson"
    assert case.contact.consent_at is not None


def test_the_message_is_marked_read(client, meta_number):
    post_and_process(client, "inbound_text")
    receipt = OutboundMessage.objects.get(kind=OutboundMessage.Kind.READ_RECEIPT)
    assert receipt.content["message_id"].startswith("wamid.")


@pytest.fixture
def whole_batches(monkeypatch):
    """A batch takes every pending delivery, however slow this machine is right now."""
    monkeypatch.setattr(processor, "BATCH_SECONDS", 60.0)


def test_a_batch_marks_each_chat_read_once_at_its_newest_message(
    client, meta_number, whole_batches
):
    for n, sender in enumerate(["6281234567001", "6281234567002", "6281234567001"]):
        post_webhook(client, text_payload(f"Pesan {n}", wamid=f"wamid.R{n}", sender=sender))
    with CaptureQueriesContext(connection) as queries:
        assert processor.process_batch() == 3
    written = [
        q["sql"]
        for q in queries
        if "read_receipt" in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert len(written) == 1  # one INSERT for the batch
    receipts = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.READ_RECEIPT)
    assert sorted((r.recipient, r.content["message_id"]) for r in receipts) == [
        ("6281234567001", "wamid.R2"),
        ("6281234567002", "wamid.R1"),
    ]
    # The next batch: the receipt still waiting for the chat moves on to the newer message.
    post_webhook(client, text_payload("Pesan 3", wamid="wamid.R3", sender="6281234567002"))
    process()
    assert receipts.count() == 2
    assert receipts.get(recipient="6281234567002").content["message_id"] == "wamid.R3"


def test_a_delivery_that_fails_leaves_no_read_receipt_and_the_batch_goes_on(
    client, meta_number, pln, whole_batches
):
    # A number wrongly registered to an external institution: opening the case is refused.
    testing.create_number(pln, "110000000000099")
    wrong = text_payload("Listrik padam", wamid="wamid.F1", sender="6281234567009")
    wrong["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "110000000000099"
    post_webhook(client, wrong)
    post_webhook(client, text_payload("Jalan rusak", wamid="wamid.F2"))
    assert processor.process_batch() == 2
    first, second = WebhookDelivery.objects.order_by("id")
    assert (first.state, second.state) == (WebhookDelivery.State.FLAGGED, "processed")
    receipts = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.READ_RECEIPT)
    assert [r.content["message_id"] for r in receipts] == ["wamid.F2"]
    assert Alert.objects.filter(kind=Alert.Kind.PROCESSING).exists()


def test_a_batch_records_its_deliveries_outcomes_in_one_statement(
    client, meta_number, whole_batches
):
    for n in range(3):
        post_webhook(client, text_payload(f"Pesan {n}", wamid=f"wamid.B{n}", sender=f"62812000{n}"))
    with CaptureQueriesContext(connection) as queries:
        assert processor.process_batch() == 3
    updates = [q for q in queries if q["sql"].startswith('UPDATE "whatsapp_webhookdelivery"')]
    assert len(updates) == 1
    deliveries = WebhookDelivery.objects.all()
    assert {(d.state, d.attempts) for d in deliveries} == {(WebhookDelivery.State.PROCESSED, 1)}
    assert len({d.processed_at for d in deliveries}) == 1


def test_central_number_sends_the_case_to_triage(client, central_number):
    payload = text_payload("Ada pohon tumbang", wamid="wamid.C1")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = (
        central_number.phone_number_id
    )
    post_and_process(client, payload)
    case = Case.objects.get()
    assert case.unit is None and case.status == Status.TRIAGE


def test_later_messages_append_and_the_privacy_notice_is_only_sent_once(client, meta_number):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.A1"))
    post_and_process(client, text_payload("Di depan SD", wamid="wamid.A2"))
    case = Case.objects.get()
    assert case.messages.filter(direction=Message.Direction.INBOUND).count() == 2
    assert len(acks()) == 1


def test_a_message_after_closing_reopens_within_the_grace_period(client, meta_number):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.R1"))
    case = Case.objects.get()
    end(case)
    post_and_process(client, text_payload("Belum diperbaiki", wamid="wamid.R2"))
    case.refresh_from_db()
    assert case.status == Status.REOPENED
    assert Case.objects.count() == 1
    assert case.messages.filter(external_id="wamid.R2").exists()
    notices = OutboundMessage.objects.filter(case=case, purpose=Purpose.STATUS_UPDATE)
    assert "buka kembali" in notices.get().content["text"]


def test_a_message_after_the_grace_period_opens_a_new_case_without_privacy_notice(
    client, meta_number, settings
):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.G1"))
    case = Case.objects.get()
    long_ago = timezone.now() - timedelta(days=settings.CASE_REOPEN_GRACE_DAYS + 1)
    end(case, at=long_ago)
    post_and_process(client, text_payload("Lampu mati", wamid="wamid.G2"))
    assert Case.objects.count() == 2
    second = Case.objects.exclude(pk=case.pk).get()
    assert second.status == Status.ASSIGNED
    first_ack, second_ack = acks()
    assert "Privasi" in first_ack.content["text"]
    assert "Privasi" not in second_ack.content["text"]
    assert second.tracking_number in second_ack.content["text"]


def test_duplicate_deliveries_are_processed_once(client, meta_number):
    for _ in range(3):
        post_webhook(client, "inbound_text")
    post_webhook(client, "inbound_text_twice_in_one_post")
    process()
    assert InboundMessage.objects.count() == 2
    assert Message.objects.filter(direction=Message.Direction.INBOUND).count() == 2
    assert len(acks()) == 2  # two senders, one ack each
    assert WebhookDelivery.objects.filter(state=WebhookDelivery.State.PROCESSED).count() == 4


def test_contacts_are_keyed_by_user_id_and_linked_when_both_ids_arrive(client, meta_number):
    post_and_process(client, "inbound_text")  # someone else, by phone
    post_and_process(client, "inbound_text_user_id_only")
    budi = Contact.objects.get(identities__value="ID.1349120865530274191")
    assert set(budi.identities.values_list("kind", flat=True)) == {K.WA_USER_ID, K.WA_USERNAME}
    # A phone-only message first would have made a second contact; both ids link them.
    post_and_process(
        client, text_payload("Dari HP: lampu jalan mati", wamid="wamid.PH1", sender="6281234567001")
    )
    assert Contact.objects.count() == 3
    post_and_process(client, "inbound_text_phone_and_user_id")
    assert Contact.objects.count() == 2
    budi = Contact.objects.get(identities__value="ID.1349120865530274191")
    assert budi.identities.filter(kind=K.WA_ID, value="6281234567001").exists()
    assert Case.objects.filter(contact=budi).count() == 2
    (open_case,) = Case.objects.filter(contact=budi, status=Status.ASSIGNED).order_by("-pk")[:1]
    assert open_case.messages.filter(external_id="wamid.BSUID0002").exists()


def test_replies_go_to_the_phone_number_when_known_else_to_the_user_id(client, meta_number):
    post_and_process(client, "inbound_text_user_id_only")
    (ack,) = acks()
    assert (ack.recipient, ack.recipient_is_user_id) == ("ID.1349120865530274191", True)


def test_media_is_queued_for_download_and_a_pin_sets_the_location(client, meta_number):
    post_and_process(client, "inbound_image")
    download = MediaDownload.objects.get()
    assert download.media_id == "1003383421387256"
    assert download.message.text == "Taj Mahal"
    post_and_process(client, "inbound_location")
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (37.44221496582, -122.16165924072)
    pin = case.messages.get(external_id__startswith="wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0")
    assert pin.text.startswith("[lokasi] Philz Coffee, 101 Forest Ave")


def test_a_photo_without_caption_is_still_a_message_with_its_wamid(client, meta_number):
    payload = fixture("inbound_image")
    del payload["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["caption"]
    post_and_process(client, payload)
    message = Message.objects.get(direction=Message.Direction.INBOUND)
    assert message.text == "" and message.external_id.startswith("wamid.")


def test_status_command_answers_with_the_cases_status(client, meta_number):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.S1"))
    case = Case.objects.get()
    post_and_process(
        client, text_payload(f"status {case.tracking_number.lower()}", wamid="wamid.S2")
    )
    reply = OutboundMessage.objects.get(purpose=Purpose.STATUS_UPDATE)
    assert case.tracking_number in reply.content["text"]
    assert "Status: *didisposisikan*" in reply.content["text"]
    assert Case.objects.count() == 1


def test_status_command_never_reveals_someone_elses_case(client, meta_number):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.X1", sender="628111"))
    other = Case.objects.get()
    post_and_process(
        client, text_payload(f"status {other.tracking_number}", wamid="wamid.X2", sender="628222")
    )
    reply = OutboundMessage.objects.get(purpose=Purpose.STATUS_UPDATE)
    assert "tidak kami temukan" in reply.content["text"]


def test_resolution_asks_for_a_rating_with_buttons_and_the_tap_is_recorded(
    client, meta_number, official_a, django_capture_on_commit_callbacks
):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.RT1"))
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(case, actor=official_a, via=Via.INBOX)
    request = OutboundMessage.objects.get(purpose=Purpose.RATING_REQUEST)
    assert request.kind == OutboundMessage.Kind.BUTTONS
    ids = [button["id"] for button in request.content["buttons"]]
    assert ids == [f"rate:{case.tracking_number}:{n}" for n in (5, 3, 1)]
    tap = copy.deepcopy(fixture("inbound_interactive_button_reply"))
    message = tap["entry"][0]["changes"][0]["value"]["messages"][0]
    message["from"] = "6281234567001"
    message["timestamp"] = str(int(timezone.now().timestamp()))
    message["interactive"]["button_reply"] = {"id": ids[0], "title": "Puas"}
    tap["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "6281234567001"
    post_and_process(client, tap)
    case.refresh_from_db()
    assert case.rating == 5 and case.status == Status.RESOLVED
    assert case.events.filter(kind="rated", via=Via.WHATSAPP).exists()


def test_a_template_button_tap_rates_too(client, meta_number, official_a):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.TB1"))
    case = Case.objects.get()
    services.resolve(case, actor=official_a, via=Via.INBOX)
    tap = copy.deepcopy(fixture("inbound_button_template_quick_reply"))
    message = tap["entry"][0]["changes"][0]["value"]["messages"][0]
    message["from"] = "6281234567001"
    message["button"] = {"payload": f"rate:{case.tracking_number}:3", "text": "Cukup"}
    tap["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "6281234567001"
    post_and_process(client, tap)
    case.refresh_from_db()
    assert case.rating == 3


def test_unknown_number_is_stored_flagged_and_alerted_then_replayed(client, unit_a):
    delivery = post_and_process(client, "inbound_text_unknown_number")
    assert delivery.state == WebhookDelivery.State.FLAGGED
    assert delivery.unknown_number and "999999999999" in delivery.notes
    alert = Alert.objects.get(kind=Alert.Kind.UNKNOWN_NUMBER)
    assert alert.reference == "999999999999"
    assert not Case.objects.exists()

    testing.create_number(unit_a, "999999999999")
    delivery.state = WebhookDelivery.State.PENDING
    delivery.save()
    process()
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.PROCESSED
    assert Case.objects.count() == 1


def test_value_errors_raise_an_alert(client, meta_number):
    post_and_process(client, "value_errors")
    assert Alert.objects.get().code == 131000


def test_statuses_are_stored_once_and_applied_in_any_order(client, meta_number, citizen):
    row = OutboundMessage.objects.create(
        number=meta_number, recipient="6281234567001", purpose=Purpose.NOTICE, kind="text"
    )
    row.wamid = "wamid.OUT1"
    row.state = OutboundMessage.State.SENT
    row.save()
    post_and_process(client, "status_read_user_id_only")
    post_and_process(client, "status_delivered_with_contacts")
    post_and_process(client, "status_delivered_with_contacts")
    row.refresh_from_db()
    assert row.state == OutboundMessage.State.READ
    assert row.delivered_at is not None and row.read_at is not None
    assert MessageStatus.objects.filter(wamid="wamid.OUT1").count() == 2


def test_a_status_for_a_send_not_yet_recorded_is_kept_for_later(client, meta_number):
    post_and_process(client, "status_sent_old_pricing")
    status = MessageStatus.objects.get()
    assert status.wamid == "wamid.OUT3" and status.status == "sent"


def test_an_echo_from_the_business_app_is_the_answer_of_the_open_case(client, meta_number):
    post_and_process(client, text_payload("Jalan rusak", wamid="wamid.E1"))
    case = Case.objects.get()
    post_and_process(client, "smb_message_echo")
    answer = case.messages.get(via=Via.COEXISTENCE)
    assert answer.text == "Sudah kami tindak lanjuti, Bu."
    assert answer.external_id == "wamid.ECHO1" and answer.delivery == Message.Delivery.SENT
    case.refresh_from_db()
    assert case.first_response_at is not None
    # Not sent again: the citizen already has it.
    assert not OutboundMessage.objects.filter(
        message=answer, state=OutboundMessage.State.QUEUED
    ).exists()
    post_and_process(client, "smb_message_echo")
    assert case.messages.filter(via=Via.COEXISTENCE).count() == 1


def test_a_reaction_or_unsupported_message_never_opens_a_case(client, meta_number):
    post_and_process(client, "inbound_reaction")
    unsupported = fixture("inbound_unsupported")
    unsupported["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.UNSUP1"
    post_and_process(client, unsupported)
    assert not Case.objects.exists()
    assert set(InboundMessage.objects.values_list("outcome", flat=True)) == {"reaction", "ignored"}


def test_a_nul_character_in_text_is_dropped_not_fatal(client, meta_number):
    post_and_process(client, text_payload("Jalan\u0000 rusak", wamid="wamid.NUL1"))
    assert Message.objects.get(direction=Message.Direction.INBOUND).text == "Jalan rusak"
