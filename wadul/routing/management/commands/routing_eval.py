from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.routing.evaluation import cross_validate, held_out, read_csv, read_intents
from wadul.routing.training import SEED_CORPUS, seed_examples, title_examples


class Command(BaseCommand):
    help = (
        "Stratified k-fold cross-validation of the routing pipeline on a labelled CSV, or with "
        "--held-out the model trained on the seed corpus (as shipped) measured on the CSV; "
        "prints per-class precision/recall, accuracy=… macro_f1=…, and what the router would "
        "do: complaints routed right, spam precision/recall, share left to triage, request "
        "kinds right"
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", default=str(SEED_CORPUS), help="default: the seed corpus")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-column", default="label")
        parser.add_argument(
            "--intent-column",
            default="intent",
            help="request kind of each row, if the file has it (else: complaint, spam for spam)",
        )
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0, help="shuffle seed of the folds")
        parser.add_argument(
            "--held-out",
            action="store_true",
            dest="held_out_only",
            help="train on the seed corpus (and its title forms) only; measure on the CSV",
        )

    def handle(
        self, *args, csv, text_column, label_column, intent_column, folds, seed, held_out_only, **o
    ):
        try:
            texts, labels = read_csv(csv, text_column, label_column)
            intents = read_intents(csv, text_column, label_column, intent_column)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not texts:
            raise CommandError(f"{csv} has no labelled rows")
        if held_out_only:
            train = seed_examples()
            train += title_examples(train)
            result, routed = held_out(
                [e.text for e in train],
                [e.label for e in train],
                texts,
                labels,
                train_weights=[e.weight for e in train],
                intents=intents,
            )
            self.stdout.write(f"{len(texts)} texts held out, trained on {len(train)} seed texts")
        else:
            if folds < 2:
                raise CommandError("--folds must be at least 2")
            smallest = min(labels.count(label) for label in set(labels))
            if smallest < folds:
                raise CommandError(
                    f"every label needs at least {folds} examples (one has {smallest})"
                )
            result, routed = cross_validate(texts, labels, folds=folds, seed=seed, intents=intents)
            self.stdout.write(f"{len(texts)} texts, {len(result.labels)} labels, {folds} folds")
        # The classifier's own line stays last: scripts read `accuracy=… macro_f1=…` there.
        self.stdout.write(routed.report())
        self.stdout.write(result.report())
