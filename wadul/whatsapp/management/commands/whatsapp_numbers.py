"""wadul whatsapp_numbers add|list — the official WhatsApp numbers and the units that own them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from wadul.organisation.models import Unit, WhatsAppNumber
from wadul.whatsapp.webhook import processor


class Command(BaseCommand):
    help = "Register (add) or list the WhatsApp Business numbers and the unit each belongs to."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Register a number for a unit (or update it).")
        add.add_argument("phone_number_id", help="Meta's phone number ID (digits).")
        add.add_argument("display_number", help='As citizens see it, e.g. "+62 811-3500-201".')
        add.add_argument("--unit", required=True, help="The unit's short code, e.g. DPU-CK.")
        add.add_argument("--coexistence", action="store_true", help="Also used in the app.")
        add.add_argument("--central", action="store_true", help="The central (routing) number.")
        add.add_argument("--label", default="")
        actions.add_parser("list", help="List the registered numbers.")

    def handle(self, *args, action: str, **options):
        if action == "add":
            self._add(**options)
        else:
            self._list()

    def _add(self, *, phone_number_id, display_number, unit, coexistence, central, label, **_):
        if not phone_number_id.isdigit():
            raise CommandError("PHONE_NUMBER_ID is Meta's numeric id, e.g. 106540352242922.")
        found = Unit.objects.filter(Q(code__iexact=unit) | Q(pk=unit if unit.isdigit() else None))
        owner = found.exclude(kind=Unit.Kind.EXTERNAL).first()
        if owner is None:
            raise CommandError(f"No unit with code {unit!r} (see the admin's unit list).")
        number, created = WhatsAppNumber.objects.update_or_create(
            phone_number_id=phone_number_id,
            defaults={
                "display_number": display_number,
                "unit": owner,
                "coexistence": coexistence,
                "is_central": central,
                "label": label or owner.name,
                "is_active": True,
            },
        )
        processor.forget_numbers()
        verb = "Registered" if created else "Updated"
        self.stdout.write(f"{verb} {number.display_number} ({number.phone_number_id}) → {owner}.")

    def _list(self):
        numbers = WhatsAppNumber.objects.select_related("unit").order_by("display_number")
        if not numbers:
            self.stdout.write("No WhatsApp numbers registered.")
            return
        for number in numbers:
            flags = [
                flag
                for flag, on in (
                    ("central", number.is_central),
                    ("coexistence", number.coexistence),
                    ("inactive", not number.is_active),
                )
                if on
            ]
            self.stdout.write(
                f"{number.phone_number_id:<18} {number.display_number:<20} "
                f"{number.unit.code:<16} {number.unit.name}"
                + (f"  [{', '.join(flags)}]" if flags else "")
            )
