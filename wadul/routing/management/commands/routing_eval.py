from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.routing.evaluation import cross_validate, read_csv
from wadul.routing.training import SEED_CORPUS


class Command(BaseCommand):
    help = (
        "Stratified k-fold cross-validation of the routing pipeline on a labelled CSV; prints "
        "per-class precision/recall and, last, accuracy=… macro_f1=…"
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", default=str(SEED_CORPUS), help="default: the seed corpus")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-column", default="label")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0, help="shuffle seed of the folds")

    def handle(self, *args, csv, text_column, label_column, folds, seed, **options):
        try:
            texts, labels = read_csv(csv, text_column, label_column)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if folds < 2:
            raise CommandError("--folds must be at least 2")
        smallest = min(labels.count(label) for label in set(labels)) if labels else 0
        if smallest < folds:
            raise CommandError(f"every label needs at least {folds} examples (one has {smallest})")
        result = cross_validate(texts, labels, folds=folds, seed=seed)
        self.stdout.write(f"{len(texts)} texts, {len(result.labels)} labels, {folds} folds")
        self.stdout.write(result.report())
