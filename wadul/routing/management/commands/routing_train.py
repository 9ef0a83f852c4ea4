from __future__ import annotations

from django.core.management.base import BaseCommand

from wadul.routing.training import train


class Command(BaseCommand):
    help = "Train the routing classifier on the seed corpus and operators' decisions; activate it."

    def add_arguments(self, parser):
        parser.add_argument("--no-activate", action="store_true")

    def handle(self, *args, no_activate: bool, **options):
        model = train(activate=not no_activate)
        state = "active" if model.is_active else "not activated"
        self.stdout.write(
            f"model {model.version} ({state}): {model.seed_examples} seed examples, "
            f"{model.operator_examples} operator decisions, {model.training_seconds:.1f}s, "
            f"{model.size / 1e6:.1f} MB"
        )
