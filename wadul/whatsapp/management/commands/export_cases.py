"""wadul export_cases — cases as JSON Lines (one case per line with messages and events)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wadul.cases.models import Case
from wadul.whatsapp.export import export_cases


class Command(BaseCommand):
    help = (
        "Write cases as JSON Lines: one case per line with its messages (each with its "
        "WhatsApp message id, delivery state and statuses), attachments and events."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="File to write (default stdout).")
        parser.add_argument("--since", help="Only cases opened at or after this ISO time.")
        parser.add_argument("--channel", help="Only cases of this channel, e.g. whatsapp.")
        parser.add_argument("tracking_numbers", nargs="*", help="Only these cases.")

    def handle(self, *args, output: str, since, channel, tracking_numbers, **options):
        cases = Case.objects.all()
        if since:
            moment = parse_datetime(since)
            if moment is None:
                self.stderr.write(f"--since: not an ISO date-time: {since!r}")
                sys.exit(2)
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            cases = cases.filter(created_at__gte=moment)
        if channel:
            cases = cases.filter(channel=channel)
        if tracking_numbers:
            cases = cases.filter(tracking_number__in=tracking_numbers)
        if output == "-":
            count = export_cases(cases, self.stdout)
        else:
            with open(output, "w", encoding="utf-8") as out:
                count = export_cases(cases, out)
        self.stderr.write(f"{count} cases exported.")
