"""Who reports: one person seen under two contacts becomes one contact."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import events
from wadul.cases.models import Case, Contact, ContactIdentity
from wadul.cases.services._common import CaseError, E
from wadul.organisation.models import Official


@transaction.atomic
def merge_contacts(
    *,
    into: Contact,
    other: Contact,
    via: str,
    actor: Official | None = None,
    at: datetime | None = None,
) -> Contact:
    """`other` is the same person as `into` (e.g. WhatsApp named them by user id and by phone
    number in separate messages first): its identities and cases move to `into`, which keeps
    the earlier consent and a name, and `other` is deleted. Each case that changes reporter
    records `contact_merged`. A channel re-points its own rows to `into` before calling this.
    """
    if into.pk == other.pk:
        raise CaseError(_("A contact cannot be merged into itself."))
    now = at or timezone.now()
    ContactIdentity.objects.filter(contact=other).update(contact=into)
    # The reporter of these cases is the same person: re-pointing is not a status change,
    # and the event says whose contact it was.
    moved = list(Case.objects.filter(contact=other).order_by("pk"))
    Case.objects.filter(contact=other).update(contact=into)
    for case in moved:
        case.contact = into
    events.record_many(
        [
            (case, E.CONTACT_MERGED, {"from_contact": other.pk, "into_contact": into.pk})
            for case in moved
        ],
        actor=actor,
        via=via,
        at=now,
    )
    if other.consent_at and (into.consent_at is None or other.consent_at < into.consent_at):
        Contact.objects.filter(pk=into.pk).update(consent_at=other.consent_at)
        into.consent_at = other.consent_at
    if not into.display_name and other.display_name:
        Contact.objects.filter(pk=into.pk).update(display_name=other.display_name)
        into.display_name = other.display_name
    other.delete()
    return into
