"""wadul replay_webhooks — process stored webhook deliveries again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wadul.whatsapp.models import WebhookDelivery
from wadul.whatsapp.webhook import processor, replay


class Command(BaseCommand):
    help = (
        "Reprocess stored WhatsApp webhook deliveries: the flagged ones by default "
        "(unknown number, not understood), or all, or the given ids. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Delivery ids (default: flagged).")
        parser.add_argument("--all", action="store_true", help="Every stored delivery.")
        parser.add_argument("--queue", action="store_true", help="Only queue them for the worker.")

    def handle(self, *args, ids: list[int], all: bool, queue: bool, **options):
        deliveries = WebhookDelivery.objects.all()
        if ids:
            deliveries = deliveries.filter(pk__in=ids)
        elif not all:
            deliveries = deliveries.filter(state=WebhookDelivery.State.FLAGGED)
        pks = list(deliveries.values_list("pk", flat=True))
        marked = replay.mark_for_replay(WebhookDelivery.objects.filter(pk__in=pks))
        self.stdout.write(f"{marked} deliveries marked for processing.")
        if queue:
            return
        done = 0
        while processor.process_next():
            done += 1
        counts = {
            state: WebhookDelivery.objects.filter(pk__in=pks, state=state).count()
            for state in WebhookDelivery.State.values
        }
        summary = ", ".join(f"{count} {state}" for state, count in counts.items() if count)
        self.stdout.write(f"Processed {done}: {summary or 'nothing'}.")
