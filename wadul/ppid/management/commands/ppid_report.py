"""`wadul ppid_report --year 2026 [--format json|pdf] [-o FILE]`: the Pasal 12 figures."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from wadul.ppid import reports


class Command(BaseCommand):
    help = "The yearly public-information figures (UU 14/2008 Pasal 12) as text, JSON or PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["text", "json", "pdf"], default="text")
        parser.add_argument("-o", "--output", default="")

    def handle(self, *args, year: int, format: str, output: str, **options) -> None:
        data = reports.figures(year)
        if format == "pdf":
            pdf = reports.figures_pdf(data)
            if output:
                with open(output, "wb") as handle:
                    handle.write(pdf)
            else:
                sys.stdout.buffer.write(pdf)
            return
        if format == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2)
        else:
            lines = [f"Tahun {year}"]
            lines += [f"{label}: {data[key]}" for key, label in reports.LABELS]
            lines += [f"Ditolak {b}: {n}" for b, n in data["refused_by_basis"].items()]
            lines += [f"Keberatan {o}: {n}" for o, n in data["objection_outcomes"].items()]
            lines += [f"Sengketa {o}: {n}" for o, n in data["dispute_outcomes"].items()]
            text = "\n".join(lines)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
