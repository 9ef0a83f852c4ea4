"""Issue 15 before/after: webhook, intake burst, sender and inbox p95 of two checkouts, measured
alternately in one run (before, after, then after, before, ...), each variant on its own
database, and printed side by side (median and min–max per variant).

    .venv/bin/python bench/redesign_ab.py --before /path/to/before-checkout [--rounds 4]
        [--only webhook-sqlite,webhook-postgres,intake,sender,inbox] [--out results.json]

Nothing is measured here: each benchmark is the existing script, run as a subprocess with
`--json`. "Before" runs the other checkout's `wadul` under this checkout's bench scripts and
.venv (PYTHONPATH=<before>:bench, as whatsapp_webhook_ab.py does). The webhook alternates
inside whatsapp_webhook_ab.py (before with its default spool, before with
WHATSAPP_WEBHOOK_SPOOL=0, after); the other three alternate here, run by run. The inbox
databases `wadul_bench_inbox_before` / `_after` are generated on first use and then reused.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
BENCHMARKS = ("webhook-sqlite", "webhook-postgres", "intake", "sender", "inbox")


def run(script: str, args: list[str], pythonpath: str | None, extra_env=None) -> tuple:
    env = {**os.environ, **(extra_env or {})}
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = f"{pythonpath}:{BENCH}"
    load = os.getloadavg()[0]
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(BENCH / script), *args, "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"{script} {args} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    for line in out.stdout.splitlines():
        if "serves the checkout" in line:  # whatsapp_webhook_ab.py: which code each server runs
            print(line)
    return json.loads(out.stdout.strip().splitlines()[-1]), load


def spread(values: list[float], digits: int = 0) -> str:
    if not values:
        return "—"
    f = f"{{:,.{digits}f}}"
    median = f.format(statistics.median(values))
    return f"{median} ({f.format(min(values))}–{f.format(max(values))})"


def alternate(rounds: int, measure) -> dict[str, list]:
    """measure(variant) for before and after, the order flipped every round."""
    results: dict[str, list] = {"before": [], "after": []}
    for number in range(rounds):
        for variant in ("before", "after") if number % 2 == 0 else ("after", "before"):
            figures, load = measure(variant)
            results[variant].append({**figures, "load": load})
            print(f"  round {number + 1} {variant}: {figures} (load {load:.1f})", flush=True)
    return results


def table(title: str, rows: list[tuple[str, list, list, int]], results: dict) -> None:
    loads = [r["load"] for runs in results.values() for r in runs]
    print(f"\n{title} (load average at the runs' starts {min(loads):.1f}–{max(loads):.1f})")
    print("| measured | before: median (min–max) | after: median (min–max) | after ÷ before |")
    print("|---|---|---|---|")
    for label, before, after, digits in rows:
        base = statistics.median(before) if before else 0
        ratio = f"{statistics.median(after) / base:.2f}" if base and after else "—"
        print(f"| {label} | {spread(before, digits)} | {spread(after, digits)} | {ratio} |")


def webhook(args, database: str) -> dict:
    before = f"PYTHONPATH={args.before}:bench"
    variants = {
        "before, spool (its default)": before,
        "before, WHATSAPP_WEBHOOK_SPOOL=0": f"{before},WHATSAPP_WEBHOOK_SPOOL=0",
        "after": "WADUL_BENCH_VARIANT=after",
    }
    options = ["--rounds", str(args.rounds * 2), "--seconds", str(args.webhook_seconds)]
    if database == "postgres":
        options.append(f"--postgres={args.postgres}")
    figures, load = run("whatsapp_webhook_ab.py", [*options, *variants.values()], None)
    rounds = len(figures[variants["after"]])
    print(
        f"\nwebhook, {database} (load average at start {load:.1f}; {rounds} "
        f"alternating rounds of {args.webhook_seconds} s per view and variant)"
    )
    print("| variant | webhook/s median (min–max) | no-op/s | × no-op median (min–max) | p99 ms |")
    print("|---|---|---|---|---|")
    for name, variant in variants.items():
        rounds = figures[variant]
        print(
            f"| {name} | {spread([r[0] for r in rounds])} | "
            f"{spread([r[1] for r in rounds])} | {spread([r[0] / r[1] for r in rounds], 2)} | "
            f"{spread([r[2] for r in rounds], 1)} |"
        )
    return {"load": load, **{name: figures[v] for name, v in variants.items()}}


def intake(args) -> dict:
    options = ["--messages", str(args.intake_messages), "--citizens", str(args.intake_citizens)]

    def measure(variant):
        (result,), load = run("whatsapp_intake.py", options, path(args, variant))
        return {
            "msg_s": result["inbound"] / result["elapsed"],
            "processing_msg_s": result["inbound"] / result["span"],
            "cpu_ms": 1000 * result["worker_cpu"] / result["inbound"],
            "processed": result["inbound"],
            "cases": result["cases"],
            "acks": result["acks"],
        }, load

    results = alternate(args.rounds, measure)
    rows = [
        (label, [r[key] for r in results["before"]], [r[key] for r in results["after"]], digits)
        for label, key, digits in (
            ("msg/s, worker time incl. start-up", "msg_s", 0),
            ("msg/s, first→last delivery processed", "processing_msg_s", 0),
            ("worker CPU per message, ms (start-up included)", "cpu_ms", 2),
            ("cases opened", "cases", 0),
            ("acknowledgements queued", "acks", 0),
        )
    ]
    table(f"intake burst, SQLite, {args.intake_messages} messages", rows, results)
    return results


def sender(args) -> dict:
    options = ["--messages", str(args.sender_messages), "--recipients", str(args.recipients)]

    def measure(variant):
        result, load = run("whatsapp_sender.py", options, path(args, variant))
        return {
            "rate": result["achieved_rate"],
            "peak": result["peak_rate"],
            "accepted": result["accepted"],
            "refused": sum(result["rejected"].values()),
        }, load

    results = alternate(args.rounds, measure)
    rows = [
        (label, [r[key] for r in results["before"]], [r[key] for r in results["after"]], digits)
        for label, key, digits in (
            ("achieved rate, msg/s (limit 80)", "rate", 1),
            ("peak in any second", "peak", 0),
            ("accepted", "accepted", 0),
            ("refused (130429 + 131056)", "refused", 0),
        )
    ]
    table(f"sender, SQLite, {args.sender_messages} messages", rows, results)
    return results


def inbox(args) -> dict:
    def measure(variant):
        options = ["--cases", str(args.inbox_cases), "--requests", str(args.inbox_requests)]
        options += ["--database", f"wadul_bench_inbox_{variant}"]
        rows, load = run(
            "inbox_p95.py", options, path(args, variant), {"DATABASE_URL": args.postgres}
        )
        return {row["label"]: row["p95"] for row in rows}, load

    results = alternate(args.rounds, measure)
    labels = [k for k in results["before"][0] if k != "load"]
    rows = [
        (
            f"{label}, p95 ms",
            [r[label] for r in results["before"]],
            [r[label] for r in results["after"]],
            1,
        )
        for label in labels
    ]
    table(f"inbox p95, PostgreSQL, {args.inbox_cases:,} cases", rows, results)
    return results


def path(args, variant: str) -> str | None:
    return args.before if variant == "before" else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the checkout measured as 'before'")
    parser.add_argument("--rounds", type=int, default=4, help="runs per variant (webhook: 2×)")
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--webhook-seconds", type=int, default=3)
    parser.add_argument("--intake-messages", type=int, default=2000)
    parser.add_argument("--intake-citizens", type=int, default=400)
    parser.add_argument("--sender-messages", type=int, default=800)
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--inbox-cases", type=int, default=1_000_000)
    parser.add_argument("--inbox-requests", type=int, default=60)
    parser.add_argument("--out", type=Path, help="write every run's figures here as JSON")
    args = parser.parse_args()
    machine = subprocess.run(["lscpu"], capture_output=True, text=True).stdout  # noqa: S607
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in machine.splitlines()
            if line.startswith("Model name")
        ),
        "?",
    )
    print(f"machine: {os.cpu_count()} CPUs, {model}; load average {os.getloadavg()}")
    for name in ("before", "after"):
        checkout = args.before if name == "before" else ROOT
        head = subprocess.run(  # noqa: S603
            ["git", "-C", str(checkout), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
        ).stdout.strip()
        env = {**os.environ, "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnop"}
        env.pop("PYTHONPATH", None)
        if name == "before":
            env["PYTHONPATH"] = f"{args.before}:{BENCH}"
        imported = subprocess.run(  # noqa: S603
            [
                str(Path(sys.executable).parent / "wadul"),
                "shell",
                "-c",
                "import wadul; print(wadul.__file__)",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        imported = imported.splitlines()[-1] if imported else "nothing (failed)"
        print(f"{name}: {checkout} at {head}; its `wadul` command imports {imported}")
    everything = {}
    for name in args.only.split(","):
        print(f"\n== {name}", flush=True)
        if name.startswith("webhook-"):
            everything[name] = webhook(args, name.removeprefix("webhook-"))
        else:
            everything[name] = {"intake": intake, "sender": sender, "inbox": inbox}[name](args)
        sys.stdout.flush()
        if args.out:
            args.out.write_text(json.dumps(everything, indent=1))


if __name__ == "__main__":
    main()
