from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wadul.ops import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump), and uploaded media "
        "into one .tar.gz archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="archive file or directory (default: BACKUP_DIR)",
        )

    def handle(self, *args, output: Path | None, **options):
        try:
            path = backup.create(output or Path(settings.BACKUP_DIR))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
