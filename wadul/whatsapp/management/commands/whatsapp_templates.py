"""wadul whatsapp_templates push|sync|list — the product's message templates on Meta."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.whatsapp.models import MessageTemplate
from wadul.whatsapp.outbound import message_templates


class Command(BaseCommand):
    help = (
        "push: submit the product's templates Meta does not have (Indonesian, UTILITY, with "
        "examples); sync: record every template's status from Meta; list: what Wadul knows."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["push", "sync", "list"])

    def handle(self, *args, action: str, **options):
        try:
            if action == "push":
                for spec, outcome in message_templates.push():
                    self.stdout.write(f"{spec.name:<24} {spec.language:<6} {outcome}")
            elif action == "sync":
                synced = message_templates.sync()
                self.stdout.write(f"{len(synced)} template(s) synced from Meta.")
        except message_templates.AccountError as error:
            raise CommandError(str(error)) from None
        if action != "push":
            self._list()

    def _list(self) -> None:
        wanted = {(s.name, s.language): s.purpose for s in message_templates.product_templates()}
        known = {(t.name, t.language): t for t in MessageTemplate.objects.all()}
        for key in sorted(set(wanted) | set(known)):
            template = known.get(key)
            status = template.status if template else "not submitted"
            reason = f" ({template.reason})" if template and template.reason else ""
            synced = (
                f"  synced {template.last_synced_at:%Y-%m-%d %H:%M}"
                if template and template.last_synced_at
                else ""
            )
            purpose = wanted.get(key, "-")
            self.stdout.write(f"{key[0]:<24} {key[1]:<6} {purpose:<15} {status}{reason}{synced}")
