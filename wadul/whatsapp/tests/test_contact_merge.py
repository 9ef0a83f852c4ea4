"""Two contacts of one WhatsApp user (phone and user id seen apart) are merged through
`cases.services.merge_contacts`, which records the merge on the moved cases."""

from __future__ import annotations

from wadul import testing
from wadul.cases.models import CaseEvent, Contact, ContactIdentity, Via
from wadul.whatsapp import services
from wadul.whatsapp.webhook.parser import Identity


def test_a_message_with_both_ids_merges_and_records_it_on_the_moved_case(unit_a):
    by_phone = services.find_or_create_contact(Identity(wa_id="6281234567001", name="Budi"))
    by_user_id = services.find_or_create_contact(Identity(user_id="ID.77"))
    testing.create_case(unit=unit_a, contact=by_phone)
    moved = testing.create_case(unit=unit_a, contact=by_user_id)

    merged = services.find_or_create_contact(Identity(wa_id="6281234567001", user_id="ID.77"))

    assert merged == by_phone and Contact.objects.count() == 1
    assert ContactIdentity.objects.get(value="ID.77").contact == by_phone
    event = moved.events.get(kind=CaseEvent.Kind.CONTACT_MERGED)
    assert (event.via, event.data["into_contact"]) == (Via.WHATSAPP, by_phone.pk)
