"""Village letters on WhatsApp: the signer is told a letter waits for their signature
(they answer with the relay's `setuju`/`tolak`, `relay/letters.py`), and the signed PDF goes to
the citizen as a WhatsApp document. Both are receivers of `wadul.desa.services` signals."""

from __future__ import annotations

from django.db import transaction

from wadul.cases.models import Attachment, Channel, Message
from wadul.desa import services as desa_services
from wadul.desa.models import Letter
from wadul.whatsapp.outbound import outbox
from wadul.whatsapp.relay import services as relay


def send_document(
    sender, letter: Letter, message: Message, attachment: Attachment, **kwargs
) -> None:
    """`desa.services.letter_issued`: the signed PDF as a document with its message."""
    if letter.case.channel == Channel.WHATSAPP:
        outbox.deliver_attachment(message, attachment)


def ask_signer(sender, letter: Letter, **kwargs) -> None:
    """`desa.services.signature_requested`: each signer of the unit with a WhatsApp number
    gets the letter's summary and the commands to answer."""
    number = relay.unit_number(letter.unit)
    if number is None:
        return
    signers = [s for s in desa_services.signers(letter) if s.whatsapp_number]
    text = (
        f"Surat menunggu tanda tangan: {letter.service.name} ({letter.case.tracking_number}).\n\n"
        f"{letter.body[:700]}\n\n"
        f"Balas *setuju {letter.sign_code}* untuk menandatangani, atau "
        f"*tolak {letter.sign_code} alasan*."
    )
    with transaction.atomic():
        for signer in signers:
            outbox.queue(
                number=number,
                recipient=(signer.whatsapp_number, False),
                purpose=outbox.Purpose.NOTICE,
                kind=outbox.Kind.TEXT,
                content={"text": text, "template_params": [outbox.template_param(text)]},
                case=letter.case,
            )
