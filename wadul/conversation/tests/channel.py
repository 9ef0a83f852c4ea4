"""A test-only channel: what a second channel needs to carry a whole request through the
conversation core. It keeps what it would send in a list instead of a network."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from wadul.cases import channels
from wadul.cases.channels import Notice
from wadul.cases.models import Case, Contact, Message
from wadul.conversation import core
from wadul.conversation.messages import Entry, Inbound, Location, Outcome
from wadul.organisation.models import Unit

_ids = itertools.count(1)


@dataclass(frozen=True)
class Sent:
    """One message the channel was asked to carry."""

    to: int  # the contact
    text: str
    notice: Notice
    case: Case | None = None


class PigeonChannel:
    """Carries messages by (imaginary) carrier pigeon: a code and two methods."""

    code = "pigeon"

    def __init__(self, unit: Unit | None = None) -> None:
        self.unit = unit
        self.sent: list[Sent] = []

    # --- CaseChannel ---------------------------------------------------------------------

    def deliver(self, message: Message, notice: Notice) -> None:
        self.sent.append(Sent(message.case.contact_id, message.text, notice, message.case))
        Message.objects.filter(pk=message.pk).update(delivery=Message.Delivery.DELIVERED)

    def send(self, address: Any, text: str, notice: Notice) -> None:
        self.sent.append(Sent(address, text, notice))

    def asks_for_rating(self, case: Case) -> bool:
        return True

    # --- the citizen's side ----------------------------------------------------------------

    def receive(
        self,
        contact: Contact,
        text: str = "",
        *,
        reply_id: str = "",
        location: Location | None = None,
        has_file: bool = False,
        form: str = "text",
        at: datetime | None = None,
    ) -> Outcome:
        """A citizen's message arrives, as a channel's worker would hand it on."""
        with transaction.atomic():
            return core.receive(
                Inbound(
                    entry=Entry(channel=self.code, unit=self.unit),
                    contact=contact,
                    address=contact.pk,
                    at=at or timezone.now(),
                    text=text,
                    external_id=f"pigeon-{next(_ids)}",
                    location=location,
                    has_file=has_file,
                    reply_id=reply_id,
                    form=form,
                )
            )

    def last(self) -> Sent:
        return self.sent[-1]

    def register(self) -> None:
        channels.register(self)

    def unregister(self) -> None:
        channels.unregister(self.code)
