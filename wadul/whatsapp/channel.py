"""WhatsApp as a case channel (`wadul.cases.channels.CaseChannel`): through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wadul.cases.channels import Notice
from wadul.cases.models import Case, Channel, Contact, Message
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.outbound import outbox


@dataclass(frozen=True)
class Address:
    """How to answer a citizen who wrote to one of our numbers: from that number, to
    `recipient` ((wa_id or BSUID, is_user_id))."""

    number: WhatsAppNumber
    recipient: tuple[str, bool]
    contact: Contact | None = None


class WhatsAppChannel:
    code = Channel.WHATSAPP

    def deliver(self, message: Message, notice: Notice) -> None:
        if isinstance(notice.address, Address):
            notice.address = notice.address.recipient
        if notice.attachment is not None:
            outbox.deliver_attachment(message, notice.attachment)
            return
        outbox.deliver_case_message(message, notice)

    def send(self, address: Any, text: str, notice: Notice) -> None:
        if not isinstance(address, Address):
            return
        if notice.choices:
            # A menu: an interactive list (its rows carry the choices' ids back).
            outbox.queue(
                number=address.number,
                recipient=address.recipient,
                contact=address.contact,
                purpose=notice.purpose,
                kind=outbox.Kind.BUTTONS,
                content={
                    "text": text,
                    "list": [
                        {"id": c.id, "title": c.title, "description": c.description}
                        for c in notice.choices
                    ],
                    "list_label": notice.choices_label,
                    "template_params": [outbox.template_param(text)],
                },
            )
            return
        outbox.queue_text(
            number=address.number,
            recipient=address.recipient,
            text=text,
            purpose=notice.purpose,
            template_params=notice.template_params,
            contact=address.contact,
        )

    def asks_for_rating(self, case: Case) -> bool:
        return case.channel == Channel.WHATSAPP and case.channel_number_id is not None


WHATSAPP = WhatsAppChannel()
