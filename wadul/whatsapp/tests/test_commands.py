"""The operator's command line: numbers, the queue, replays and the export."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from wadul.cases.models import Case, Message
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.conftest import META_PNID, UNIT_PNID
from wadul.whatsapp.models import OutboundMessage, WebhookDelivery
from wadul.whatsapp.testing import post_webhook
from wadul.whatsapp.webhook import processor


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_numbers_add_and_list(unit_a, central_desk):
    out = run("whatsapp_numbers", "add", UNIT_PNID, "+62 811-3500-201", "--unit", "dpu")
    assert "Registered +62 811-3500-201" in out
    run(
        "whatsapp_numbers",
        "add",
        "110000000000004",
        "+62 811-3500-401",
        "--unit",
        "PENGADUAN",
        "--coexistence",
        "--central",
    )
    number = WhatsAppNumber.objects.get(phone_number_id="110000000000004")
    assert number.coexistence and number.is_central and number.unit == central_desk
    listing = run("whatsapp_numbers", "list")
    assert UNIT_PNID in listing and "DPU" in listing and "[central, coexistence]" in listing
    assert "Updated" in run("whatsapp_numbers", "add", UNIT_PNID, "+62 811", "--unit", "DPU")


@pytest.mark.django_db
def test_numbers_add_refuses_unknown_units_and_bad_ids(unit_a, pln):
    with pytest.raises(CommandError):
        run("whatsapp_numbers", "add", UNIT_PNID, "+62 811", "--unit", "NOPE")
    with pytest.raises(CommandError):
        run("whatsapp_numbers", "add", UNIT_PNID, "+62 811", "--unit", "PLN")
    with pytest.raises(CommandError):
        run("whatsapp_numbers", "add", "abc", "+62 811", "--unit", "DPU")


@pytest.mark.django_db(transaction=True)
def test_db_worker_batch_drains_the_queue(client, meta_number):
    post_webhook(client, "inbound_text")
    post_webhook(client, "inbound_image")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert not OutboundMessage.objects.filter(attempts__gte=1).exists()  # not its queue
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        "outbox",
        "--no-startup-delay",
        "--no-reload",
        verbosity=0,
    )
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"processed"}
    assert Case.objects.count() == 1
    # The sender ran too (nothing listens at the Graph URL here: retried later).
    assert OutboundMessage.objects.filter(attempts__gte=1).exists()


@pytest.mark.django_db
def test_replay_webhooks_processes_flagged_deliveries_after_the_number_is_added(client, unit_a):
    post_webhook(client, "inbound_text")
    out = run("replay_webhooks")
    assert "0 deliveries" in out
    run("replay_webhooks", "--all")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "flagged" and delivery.unknown_number
    run("whatsapp_numbers", "add", META_PNID, "+1 555", "--unit", "DPU")
    out = run("replay_webhooks")
    assert "1 deliveries marked" in out and "1 processed" in out
    assert Case.objects.count() == 1
    run("replay_webhooks", str(delivery.pk))  # replaying again changes nothing
    assert Case.objects.count() == 1
    assert Message.objects.filter(direction="inbound").count() == 1


@pytest.mark.django_db
def test_export_cases_writes_one_case_per_line_with_messages_ids_events_and_states(
    client, meta_number, tmp_path
):
    post_webhook(client, "inbound_text")
    while processor.process_next():
        pass
    case = Case.objects.get()
    ack = OutboundMessage.objects.get(purpose="acknowledgement")
    ack.wamid, ack.state = "wamid.ACK1", "sent"
    ack.save()
    status = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "1", "phone_number_id": META_PNID},
                            "statuses": [
                                {
                                    "id": "wamid.ACK1",
                                    "status": "delivered",
                                    "timestamp": "1767225600",
                                    "recipient_id": "16505551234",
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    post_webhook(client, status)
    while processor.process_next():
        pass
    target = tmp_path / "cases.jsonl"
    call_command("export_cases", "--output", str(target), stderr=io.StringIO())
    lines = target.read_text().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["tracking_number"] == case.tracking_number
    assert record["channel"] == "whatsapp" and record["unit"] == "DPU"
    inbound, outbound = record["messages"]
    assert inbound["whatsapp_message_id"].startswith("wamid.HBgL")
    assert outbound["whatsapp_message_id"] == "wamid.ACK1"
    assert outbound["delivery"] == "delivered"
    assert [s["status"] for s in outbound["statuses"]] == ["delivered"]
    assert [e["kind"] for e in record["events"]] == ["opened", "assigned"]
    assert "16505551234" not in lines[0]  # no phone numbers in the export
