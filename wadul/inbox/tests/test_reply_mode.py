"""The case page says truthfully how an answer reaches the citizen."""

from __future__ import annotations

from django.utils import translation

from wadul import testing
from wadul.cases.models import Channel, Contact
from wadul.inbox.presenters import reply_mode


def test_a_web_report_with_a_whatsapp_number_is_answered_on_whatsapp_too(unit_a):
    case = testing.create_case(unit=unit_a, channel=Channel.WEB)  # the contact has a wa_id
    with translation.override("en"):
        mode = reply_mode(case)
    assert mode.kind == "web_whatsapp"
    assert "WhatsApp number the citizen gave" in mode.text


def test_a_web_report_without_whatsapp_is_read_on_the_private_page(unit_a):
    contact = Contact.objects.create(display_name="Tanpa WA")
    case = testing.create_case(unit=unit_a, channel=Channel.WEB, contact=contact)
    with translation.override("en"):
        mode = reply_mode(case)
    assert mode.kind == "web" and "private page" in mode.text
