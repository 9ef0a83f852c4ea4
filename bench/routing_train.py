"""Training time of the routing classifier on 50,000 labelled texts.

    .venv/bin/python bench/routing_train.py [--texts 50000]

The texts are generated from the seed corpus by recombining sentences of the same unit
type and perturbing them (dropped words, typos, informal spellings, place names), with a
fixed seed. Target (issue 5): ≤ 60 s. The seed corpus alone is timed as the baseline.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PLACES = ["Kemiren", "Genteng Kulon", "Rogojampi", "Srono", "Bagorejo", "Muncar", "Licin"]
INFORMAL = {"jalan": "jln", "tidak": "gak", "yang": "yg", "sudah": "udah", "tolong": "tlg"}


def perturb(text: str, rng: random.Random) -> str:
    words = text.split()
    out = []
    for word in words:
        roll = rng.random()
        if roll < 0.05 and len(words) > 4:
            continue  # dropped word
        if roll < 0.12 and len(word) > 4:
            i = rng.randrange(1, len(word) - 1)
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
        out.append(INFORMAL.get(word.lower(), word))
    if rng.random() < 0.4:
        out += ["di", rng.choice(PLACES)]
    return " ".join(out)


def generate(n: int, seed: int = 50_000) -> tuple[list[str], list[str]]:
    from wadul.routing.training import seed_examples

    rng = random.Random(seed)
    by_label: dict[str, list[str]] = defaultdict(list)
    for e in seed_examples():
        by_label[e.label].append(e.text)
    labels = sorted(by_label)
    texts, ys = [], []
    for i in range(n):
        label = labels[i % len(labels)]
        first = rng.choice(by_label[label])
        text = first
        if rng.random() < 0.5:  # recombine with the tail of another text of the same type
            other = rng.choice(by_label[label]).split()
            text = f"{first} {' '.join(other[len(other) // 2 :])}"
        texts.append(perturb(text, rng))
        ys.append(label)
    return texts, ys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=50_000)
    args = parser.parse_args()
    from wadul.routing.classifier import fit_pipeline
    from wadul.routing.training import seed_examples

    seed = seed_examples()
    started = time.perf_counter()
    fit_pipeline([e.text for e in seed], [e.label for e in seed])
    baseline = time.perf_counter() - started

    texts, labels = generate(args.texts)
    started = time.perf_counter()
    fit_pipeline(texts, labels)
    seconds = time.perf_counter() - started
    print(f"{'measured':<40} {'seconds':>8}  target")
    print(f"{'fit on seed corpus (' + str(len(seed)) + ' texts)':<40} {baseline:8.1f}  (baseline)")
    print(f"{'fit on ' + str(len(texts)) + ' generated texts':<40} {seconds:8.1f}  ≤ 60 s")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    main()
