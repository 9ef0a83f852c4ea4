"""State changes of the WhatsApp channel's own: who a WhatsApp user is.

Contacts are keyed by the business-scoped user id (BSUID, `user_id`) when WhatsApp gives one,
else by the phone-based `wa_id`; a message that carries both links them, merging two contacts
that were created from one identity each.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q

from wadul.cases import services as case_services
from wadul.cases.models import Contact, ContactIdentity, Via
from wadul.whatsapp.models import InboundMessage, OutboundMessage

if TYPE_CHECKING:  # the payload's types only: the webhook's parser is not run from here
    from wadul.whatsapp.webhook.parser import Identity

K = ContactIdentity.Kind


def identity_keys(identity: Identity) -> list[tuple[str, str]]:
    keys = []
    if identity.user_id:
        keys.append((K.WA_USER_ID, identity.user_id))
    if identity.wa_id:
        keys.append((K.WA_ID, identity.wa_id))
    return keys


def find_contact(identity: Identity) -> Contact | None:
    """The contact for this identity, if one exists (user_id first)."""
    for kind, value in identity_keys(identity):
        found = (
            ContactIdentity.objects.filter(kind=kind, value=value).select_related("contact").first()
        )
        if found is not None:
            return found.contact
    return None


# Within the processor's transaction for the delivery (its one caller), no savepoint of its
# own: an error here fails the delivery, which is rolled back and kept for replay anyway.
@transaction.atomic(savepoint=False)
def find_or_create_contact(identity: Identity) -> Contact:
    """The contact behind a WhatsApp sender, created on first contact, linked across ids."""
    keys = identity_keys(identity)
    if not keys:
        raise ValueError("A WhatsApp identity needs a wa_id or a user_id.")
    for _attempt in range(3):
        owners = _owners(keys)
        if not owners:
            try:
                with transaction.atomic():
                    contact = Contact.objects.create(display_name=identity.name[:200])
                    for kind, value in keys:
                        ContactIdentity.objects.create(contact=contact, kind=kind, value=value)
            except IntegrityError:
                continue  # another worker created it first: look again
            _add_username(contact, identity)
            return contact
        contacts = sorted({c.pk: c for c in owners.values()}.values(), key=lambda c: c.pk)
        contact = contacts[0]
        for other in contacts[1:]:
            _merge(into=contact, other=other)
        for kind, value in keys:
            if (kind, value) not in owners:
                try:
                    with transaction.atomic():
                        ContactIdentity.objects.create(contact=contact, kind=kind, value=value)
                except IntegrityError:
                    break  # claimed concurrently: link on the next message
        if identity.name and not contact.display_name:
            Contact.objects.filter(pk=contact.pk).update(display_name=identity.name[:200])
            contact.display_name = identity.name[:200]
        _add_username(contact, identity)
        return contact
    raise IntegrityError("Could not settle the contact for this WhatsApp identity.")


def _owners(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
    query = Q()
    for kind, value in keys:
        query |= Q(kind=kind, value=value)
    return {
        (identity.kind, identity.value): identity.contact
        for identity in ContactIdentity.objects.filter(query).select_related("contact")
    }


def _add_username(contact: Contact, identity: Identity) -> None:
    if not identity.username:
        return
    if ContactIdentity.objects.filter(kind=K.WA_USERNAME, value=identity.username).exists():
        return
    try:
        with transaction.atomic():
            ContactIdentity.objects.create(
                contact=contact, kind=K.WA_USERNAME, value=identity.username
            )
    except IntegrityError:
        pass


def _merge(*, into: Contact, other: Contact) -> None:
    """One person, seen first by user_id and by phone separately: keep the older contact."""
    InboundMessage.objects.filter(contact=other).update(contact=into)
    OutboundMessage.objects.filter(contact=other).update(contact=into)
    case_services.merge_contacts(into=into, other=other, via=Via.WHATSAPP)


def record_privacy_notice(contact: Contact, at: datetime) -> bool:
    """Note that the citizen was shown the privacy notice; True only the first time."""
    updated = Contact.objects.filter(pk=contact.pk, consent_at__isnull=True).update(consent_at=at)
    if updated:
        contact.consent_at = at
    return bool(updated)
