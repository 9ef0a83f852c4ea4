from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wadul.ops import backup


class Command(BaseCommand):
    help = (
        "Restore a `wadul backup` archive into the configured database (empty, or --force), "
        "and MEDIA_ROOT. Stop the web server and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and directories that are not empty",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file")
        try:
            manifest = backup.restore(archive, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored the backup of {manifest['created_at']} from {archive}")
