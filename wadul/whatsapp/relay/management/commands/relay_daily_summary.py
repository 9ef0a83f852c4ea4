from __future__ import annotations

from django.core.management.base import BaseCommand

from wadul.whatsapp.relay.services import send_daily_summaries


class Command(BaseCommand):
    help = "Send each unit head a short WhatsApp summary: open cases, late ones, who is on duty."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_daily_summaries()} summaries queued.")
