"""`wadul breach_notice --since … --until … --what … [--official USER]`: the breach drill."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wadul.organisation.models import Official
from wadul.privacy import breach


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date and time: {text!r} (e.g. 2026-12-06T08:00)") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Find whose personal data an incident exposed (from the access log), draft the "
        "notices and the letter to the authority, and open the DPO case (3 × 24 hours)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", required=True, help="Start (ISO, Asia/Jakarta).")
        parser.add_argument("--until", help="End (ISO, Asia/Jakarta); default now.")
        parser.add_argument("--what", required=True, help="What happened, for the letter.")
        parser.add_argument("--official", help="Username of the account involved.")

    def handle(self, *args, since, until, what, official, **options) -> None:
        start = _moment(since)
        end = _moment(until) if until else timezone.now()
        if end <= start:
            raise CommandError("--until must come after --since")
        account = None
        if official:
            account = Official.objects.filter(username=official).first()
            if account is None:
                raise CommandError(f"No official with username {official!r}")
        incident = breach.record(since=start, until=end, what=what, official=account)
        self.stdout.write(f"People affected: {len(incident.affected)}")
        for person in incident.affected:
            self.stdout.write(f"  contact #{person['contact']}: {', '.join(person['cases'])}")
        self.stdout.write(f"DPO case: {incident.case.tracking_number}")
        self.stdout.write(f"Letter to the authority: {incident.letter.path}")
        self.stdout.write(
            "Draft WhatsApp notices are on the incident (admin); send within 3 × 24 h."
        )
