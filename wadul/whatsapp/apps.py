from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhatsAppConfig(AppConfig):
    name = "wadul.whatsapp"
    label = "whatsapp"
    verbose_name = _("WhatsApp")

    def ready(self) -> None:
        # Imported here: models may be imported only once every app is loaded.
        from wadul.cases import channels
        from wadul.conversation import core as conversation
        from wadul.core import codes as core_codes
        from wadul.core.schedule import every_minute
        from wadul.desa import services as desa_services
        from wadul.ppid import services as ppid_services
        from wadul.privacy import requests as privacy_requests
        from wadul.whatsapp import announcements, checks, codes, letters, retention, tasks
        from wadul.whatsapp.channel import WHATSAPP
        from wadul.whatsapp.outbound import outbox

        channels.register(WHATSAPP)
        core_codes.SENDERS.append(codes.send_code)
        checks.register()
        retention.register_rules()
        # A citizen's copy of their data goes out as documents.
        privacy_requests.FILE_SENDERS[WHATSAPP.code] = outbox.deliver_attachment
        desa_services.letter_issued.connect(letters.send_document, dispatch_uid="wa_letter_pdf")
        desa_services.signature_requested.connect(letters.ask_signer, dispatch_uid="wa_signer")
        # Serta merta announcements: the subscription commands and the template broadcast.
        if announcements.command not in conversation.COMMANDS:
            conversation.COMMANDS.append(announcements.command)
        ppid_services.ANNOUNCERS[WHATSAPP.code] = announcements.announce
        # A stored delivery whose nudge failed (deliveries._kick) is processed within a
        # minute all the same; so is an outbox row whose sender was killed mid-run.
        every_minute(tasks.process_webhooks, tasks.send_outbox)
