"""The web form as a case channel (`wadul.cases.channels.CaseChannel`).

The reporter reads every answer on the case's private page. A reporter who gave a WhatsApp
number also gets it there, from the central number, through the WhatsApp channel."""

from __future__ import annotations

from typing import Any

from wadul.cases import channels
from wadul.cases import services as case_services
from wadul.cases.channels import Notice
from wadul.cases.models import Case, Channel, Message


class WebChannel:
    code = Channel.WEB

    def deliver(self, message: Message, notice: Notice) -> None:
        whatsapp = channels.get(Channel.WHATSAPP)
        if whatsapp is not None:
            whatsapp.deliver(message, notice)
        else:  # the private page is the only way: nothing to deliver
            case_services.set_delivery(message, Message.Delivery.NOT_APPLICABLE)

    def send(self, address: Any, text: str, notice: Notice) -> None:
        """The web answers within the page that asked; nothing goes out later."""

    def asks_for_rating(self, case: Case) -> bool:
        return False  # the private page asks for the rating itself


WEB = WebChannel()
