from __future__ import annotations

import json

import pytest

from wadul.whatsapp.testing import FIXTURES, fixture
from wadul.whatsapp.webhook import parser

ALL_FIXTURES = sorted(path.stem for path in FIXTURES.glob("*.json"))
NOT_UNDERSTOOD = {
    "inbound_unknown_type",
    "inbound_interactive_nfm_reply_broken",
    "field_account_update",
    "template_status_without_language",
}


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_parses_without_raising(name):
    payload = parser.parse(json.dumps(fixture(name)))
    assert payload.changes
    assert payload.understood == (name not in NOT_UNDERSTOOD), payload.notes


def first_message(name: str) -> parser.InboundMessage:
    return parser.parse(fixture(name)).changes[0].messages[0]


def test_text_message_has_sender_name_time_and_metadata():
    payload = parser.parse(fixture("inbound_text"))
    change = payload.changes[0]
    assert change.phone_number_id == "106540352242922"
    message = change.messages[0]
    assert message.text == "Does it come in another color?"
    assert message.sender.wa_id == "16505551234"
    assert message.sender.name == "Sheena Nelson"
    assert message.timestamp.timestamp() == 1749416383


def test_image_has_media_id_checksum_and_caption():
    message = first_message("inbound_image")
    assert message.media.id == "1003383421387256"
    assert message.media.sha256 == "SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI="
    assert message.text == "Taj Mahal"


def test_voice_note_is_audio_with_voice_flag():
    message = first_message("inbound_audio_voice")
    assert message.type == "audio" and message.media.voice


def test_document_keeps_its_filename():
    assert first_message("inbound_document").media.filename == "surat.pdf"


def test_location_has_coordinates_name_and_address():
    location = first_message("inbound_location").location
    assert (location.latitude, location.longitude) == (37.44221496582, -122.16165924072)
    assert location.name == "Philz Coffee"


def test_shared_contacts_are_read():
    card = first_message("inbound_contacts").shared_contacts[0]
    assert card.name == "Barbara J. Johnson"
    assert card.phones == ["+1 (415) 555-0829"]


def test_button_and_list_replies_and_template_button_taps():
    assert first_message("inbound_interactive_button_reply").reply == parser.Reply(
        "button_reply", "cancel-button", "Cancel"
    )
    assert first_message("inbound_interactive_list_reply").reply.id == "priority_express"
    tap = first_message("inbound_button_template_quick_reply")
    assert tap.reply == parser.Reply("template_button", "Unsubscribe", "Unsubscribe")
    assert tap.context.id.startswith("wamid.")


def test_reaction_and_its_removal():
    assert first_message("inbound_reaction").reaction.emoji == "👍"
    removed = first_message("inbound_reaction_removed").reaction
    assert removed.message_id == "wamid.EARLIER" and removed.emoji == ""


def test_unsupported_message_keeps_its_inner_type_and_error():
    message = first_message("inbound_unsupported")
    assert message.unsupported_type == "edit"
    assert message.errors[0].code == 131051


def test_context_reply_forward_referral_and_product():
    assert first_message("inbound_text_forwarded").context.forwarded
    reply = first_message("inbound_text_frequently_forwarded_reply").context
    assert reply.frequently_forwarded and reply.id == "wamid.EARLIER"
    assert first_message("inbound_text_ctwa_referral").referral["source_type"] == "ad"
    product = first_message("inbound_text_product_inquiry_context").context.referred_product
    assert product["product_retailer_id"] == "di9ozbzfi4"


def test_order_keeps_its_items():
    message = first_message("inbound_order")
    assert message.order["product_items"][0]["quantity"] == 1
    assert message.text == "Tolong kirim"


def test_user_id_only_identity_with_username():
    sender = first_message("inbound_text_user_id_only").sender
    assert sender.wa_id == ""
    assert sender.user_id == "ID.1349120865530274191"
    assert sender.username == "budi.s"


def test_phone_and_user_id_identity():
    sender = first_message("inbound_text_phone_and_user_id").sender
    assert (sender.wa_id, sender.user_id) == ("6281234567001", "ID.1349120865530274191")
    assert sender.parent_user_id == "ID.ENT.55"


def test_missing_contacts_type_and_timestamp_are_tolerated():
    assert first_message("inbound_text_without_contacts").sender.wa_id == "6281234567001"
    guessed = first_message("inbound_without_type_or_timestamp")
    assert guessed.type == "text" and guessed.timestamp is None


def test_unknown_type_is_reported_not_raised():
    payload = parser.parse(fixture("inbound_unknown_type"))
    assert payload.changes[0].messages[0].type == "poll_vote"
    assert "poll_vote" in payload.notes[0]


def test_statuses_with_and_without_contacts_and_both_pricing_shapes():
    delivered = parser.parse(fixture("status_delivered_with_contacts")).changes[0].statuses[0]
    assert delivered.recipient.user_id == "ID.1349120865530274191"
    assert delivered.pricing == {
        "model": "PMP",
        "category": "service",
        "type": "free_customer_service",
        "billable": False,
    }
    old = parser.parse(fixture("status_sent_old_pricing")).changes[0].statuses[0]
    assert old.pricing["model"] == "CBP" and old.pricing["conversation"] == "c0ffee"
    read = parser.parse(fixture("status_read_user_id_only")).changes[0].statuses[0]
    assert read.recipient.wa_id == "" and read.recipient.user_id


def test_failed_status_carries_its_error():
    status = parser.parse(fixture("status_failed_131049")).changes[0].statuses[0]
    assert status.status == "failed"
    assert status.errors[0].code == 131049


def test_value_errors_echoes_and_batches():
    assert parser.parse(fixture("value_errors")).changes[0].errors[0].code == 131000
    echo = parser.parse(fixture("smb_message_echo")).changes[0].echoes[0]
    assert echo.to.wa_id == "6281234567001" and echo.text.startswith("Sudah")
    batch = parser.parse(fixture("batch_message_and_status"))
    assert [len(c.messages) for c in batch.changes] == [1, 0]
    assert [len(c.statuses) for c in batch.changes] == [0, 1]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        "{}",
        '{"entry": "x"}',
        '{"entry": [{"changes": [{"field": "messages", "value": {"messages": [1, null]}}]}]}',
        '{"entry": [{"changes": [{"field": "messages", "value": {"statuses": [{"id": 5}]}}]}]}',
    ],
)
def test_garbage_is_reported_never_raised(body):
    payload = parser.parse(body)
    assert not payload.understood


def test_a_template_rejection_has_name_language_reason_and_id():
    (change,) = parser.parse(fixture("template_status_rejected")).changes
    (update,) = change.template_updates
    assert (update.event, update.name, update.language) == ("REJECTED", "wadul_status", "id")
    assert (update.reason, update.template_id, update.category) == (
        "INVALID_FORMAT",
        "1627019861106476",
        "UTILITY",
    )


def test_a_template_update_without_its_language_is_kept_for_replay():
    payload = parser.parse(fixture("template_status_without_language"))
    assert payload.changes[0].template_updates == []
    assert "template update without" in payload.notes[0]
