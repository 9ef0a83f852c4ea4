from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.routing.boundaries import BoundaryFileError, import_boundaries


class Command(BaseCommand):
    help = (
        "Import kecamatan/desa polygons from a GeoJSON file whose features carry Kemendagri "
        "codes (regions must exist: run `wadul import_regions` first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--code-property", help="property holding the code (default: found automatically)"
        )

    def handle(self, *args, file: str, code_property: str | None, **options):
        try:
            counts = import_boundaries(file, code_property=code_property)
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "{imported} boundaries imported; skipped: {unknown_region} unknown regions, "
            "{no_code} without a code, {bad_geometry} bad geometries".format(**counts)
        )
