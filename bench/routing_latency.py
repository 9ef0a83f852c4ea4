"""Routing latency for one message: classifier alone and the whole `route_text` decision.

    .venv/bin/python bench/routing_latency.py [--messages 2000]

Trains a model on the seed corpus in a throw-away SQLite database (with the Banyuwangi
regions for place matching), then times single-message calls on texts from the corpus.
Target (issue 5): p99 ≤ 10 ms per message.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="wadul-bench-")
    os.environ.update(DEBUG="1", WADUL_VAR_DIR=var, DATABASE_URL=f"sqlite:///{var}/bench.db")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wadul.demo.organisation import load_organisation
    from wadul.demo.routing import load_routing
    from wadul.routing import classifier, training
    from wadul.routing.intent import classify_intent
    from wadul.routing.router import route_text

    units = load_organisation()
    load_routing(units)  # trains the first model
    version, artifact = training.active_model()
    pipeline = artifact["pipeline"]
    texts = [e.text for e in training.seed_examples()]
    rng = random.Random(5)
    sample = [rng.choice(texts) for _ in range(args.messages)]
    for text in sample[:50]:  # warm-up
        route_text(text)

    def timed(fn) -> list[float]:
        out = []
        for text in sample:
            started = time.perf_counter()
            fn(text)
            out.append((time.perf_counter() - started) * 1000)
        return out

    rows = [
        ("classify_intent (request kind)", timed(classify_intent)),
        ("classifier.predict (one message)", timed(lambda t: classifier.predict(pipeline, t))),
        ("route_text (kind, rules, remit, places, model)", timed(route_text)),
    ]
    print(
        f"model {version}; {args.messages} messages; {platform.processor() or platform.machine()}"
    )
    print(f"{'measured':<45} {'p50 ms':>8} {'p99 ms':>8}  target p99")
    for name, ms in rows:
        q = statistics.quantiles(ms, n=100)
        print(f"{name:<45} {q[49]:8.2f} {q[98]:8.2f}  ≤ 10 ms")


if __name__ == "__main__":
    main()
