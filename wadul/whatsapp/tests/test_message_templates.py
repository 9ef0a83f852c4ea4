"""The product's templates on Meta: pushed, reviewed (webhooks), synced, and never sent
before they are approved — a message that needs one waits and goes once it is."""

from __future__ import annotations

import time

import pytest
from django.core.management import CommandError, call_command

from wadul.cases import services
from wadul.cases.models import Case, Via
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.models import Alert, MessageTemplate, OutboundMessage, WebhookDelivery
from wadul.whatsapp.outbound import message_templates
from wadul.whatsapp.testing import fixture, post_webhook
from wadul.whatsapp.webhook import processor

CITIZEN = "6281234500077"
Status = MessageTemplate.Status


@pytest.fixture
def unreviewed(simulator):
    """Nothing submitted yet: the simulator's business account knows no template."""
    MessageTemplate.objects.all().delete()
    return simulator


def statuses() -> dict[str, str]:
    return dict(MessageTemplate.objects.values_list("name", "status"))


def test_push_submits_every_product_template_and_the_review_webhooks_approve_them(
    unreviewed, settle
):
    outcomes = message_templates.push()
    assert [outcome for _spec, outcome in outcomes] == ["submitted: pending"] * 5
    assert set(statuses().values()) == {Status.PENDING}
    submitted = unreviewed.simulator.templates
    assert set(submitted) == {
        "wadul_jawaban",
        "wadul_status",
        "wadul_penilaian",
        "wadul_pemberitahuan",
        "wadul_serta_merta",
    }
    for template in submitted.values():
        assert (template["language"], template["category"]) == ("id", "UTILITY")
        (body,) = [c for c in template["components"] if c["type"] == "BODY"]
        assert body["example"]["body_text"][0]  # an example value for every variable
    assert submitted["wadul_penilaian"]["buttons"] == ["Puas", "Cukup", "Tidak puas"]
    settle()
    assert set(statuses().values()) == {Status.APPROVED}
    # A second push submits nothing again.
    again = [outcome for _spec, outcome in message_templates.push()]
    assert again == ["already submitted: approved"] * 5


def test_a_rejection_is_recorded_with_its_reason_and_alerts_an_administrator(unreviewed, settle):
    unreviewed.configure(template_review={"reject": {"wadul_status": "TAG_CONTENT_MISMATCH"}})
    message_templates.push()
    settle()
    template = MessageTemplate.objects.get(name="wadul_status")
    assert (template.status, template.reason) == (Status.REJECTED, "TAG_CONTENT_MISMATCH")
    alert = Alert.objects.get(kind=Alert.Kind.TEMPLATE, reference="wadul_status")
    assert "rejected" in alert.title and "TAG_CONTENT_MISMATCH" in alert.detail
    assert statuses()["wadul_jawaban"] == Status.APPROVED


def test_an_answer_needing_a_pending_template_waits_and_goes_once_it_is_approved(
    unreviewed, settle, unit_number, official_a
):
    unreviewed.configure(template_review={"decision": "pending"})
    message_templates.push()
    unreviewed.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="text",
        text="Saluran air tersumbat",
        timestamp=int(time.time()) - 25 * 3600,
    )
    settle()
    case = Case.objects.get()
    services.answer(case, text="Sudah kami bersihkan.", actor=official_a, via=Via.INBOX)
    settle(seconds=4)
    row = OutboundMessage.objects.get(case=case, purpose=OutboundMessage.Purpose.ANSWER)
    assert row.state == OutboundMessage.State.QUEUED
    assert (row.held_for_template, row.attempts) == ("wadul_jawaban", 0)
    alert = Alert.objects.get(kind=Alert.Kind.TEMPLATE, reference="wadul_jawaban")
    assert "not approved" in alert.title
    sent = unreviewed.control("outbox", phone_number_id=UNIT_PNID)["messages"]
    assert not [m for m in sent if m["template_name"] == "wadul_jawaban"]

    unreviewed.control("template_status", {"name": "wadul_jawaban", "status": "APPROVED"})
    settle()
    row.refresh_from_db()
    assert row.state in (OutboundMessage.State.SENT, OutboundMessage.State.DELIVERED)
    assert row.held_for_template == ""
    sent = unreviewed.control("outbox", phone_number_id=UNIT_PNID)["messages"]
    (answer,) = [m for m in sent if m["template_name"] == "wadul_jawaban"]
    assert "Sudah kami bersihkan." in answer["text"]


def test_a_paused_template_is_not_used_any_more(simulator, settle, client):
    paused = fixture("template_status_approved")
    paused["entry"][0]["changes"][0]["value"]["event"] = "PAUSED"
    assert statuses()["wadul_jawaban"] == Status.APPROVED
    assert post_webhook(client, paused).status_code == 200
    settle(seconds=2)
    assert statuses()["wadul_jawaban"] == Status.PAUSED
    assert Alert.objects.filter(kind=Alert.Kind.TEMPLATE, reference="wadul_jawaban").exists()
    with pytest.raises(message_templates.TemplateNotApproved):
        message_templates.check_approved("wadul_jawaban", "id")


def test_template_webhooks_are_processed_without_a_phone_number(client, db):
    assert post_webhook(client, "template_status_approved").status_code == 200
    assert post_webhook(client, "template_status_rejected").status_code == 200
    processor.drain(budget_seconds=2)
    assert statuses() == {"wadul_jawaban": Status.APPROVED, "wadul_status": Status.REJECTED}
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"processed"}
    rejected = MessageTemplate.objects.get(name="wadul_status")
    assert (rejected.reason, rejected.meta_id) == ("INVALID_FORMAT", "1627019861106476")


def test_sync_and_list_show_what_meta_says(unreviewed, settle, capsys):
    unreviewed.configure(template_review={"reject": {"wadul_penilaian": "INVALID_FORMAT"}})
    message_templates.push()
    unreviewed.wait_idle()
    MessageTemplate.objects.all().delete()  # as if the webhooks had been lost
    call_command("whatsapp_templates", "sync")
    out = capsys.readouterr().out
    assert "5 template(s) synced" in out
    assert "wadul_penilaian" in out and "rejected (INVALID_FORMAT)" in out
    assert "wadul_jawaban            id     answer          approved" in out
    assert MessageTemplate.objects.get(name="wadul_jawaban").last_synced_at is not None


def test_templates_without_a_business_account_say_so(settings):
    settings.WHATSAPP_WABA_ID = ""
    with pytest.raises(CommandError, match="WHATSAPP_WABA_ID is not set"):
        call_command("whatsapp_templates", "push")
