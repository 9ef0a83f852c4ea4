"""How fast can the WhatsApp simulator take sends? stdlib threaded server vs granian.

    .venv/bin/python bench/simulator_capacity.py [--seconds 5] [--clients 8]

Starts a receiver (answers every webhook 200) and the simulator twice — once as
`python -m wadul.simulator.serve` (threaded stdlib WSGI server) and once under granian
(one worker, `wadul.simulator.wsgi:application`) — lifts the throughput and pair-rate limits,
then sends text messages from `--clients` threads for `--seconds`. Reports accepted sends per
second, send latency p50/p95, and webhooks delivered, next to Meta's default of 80 msg/s per
number (what the app's sender must be able to saturate).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET, TOKEN, PNID = "bench-secret", "bench-token", "110000000000001"
RECEIVER = """
import socket, sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, WSGIRequestHandler, make_server
class S(ThreadingMixIn, WSGIServer): daemon_threads = True
class H(WSGIRequestHandler):
    def setup(self):
        super().setup(); self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def log_message(self, *a): pass
def app(environ, start):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start("200 OK", [("Content-Type", "text/plain")]); return [b"ok"]
make_server("127.0.0.1", int(sys.argv[1]), app, S, H).serve_forever()
"""


def wait_up(url: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def start(kind: str, port: int, hook: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wadul.simulator.settings",
        "WHATSAPP_SIMULATOR_PORT": str(port),
        "WHATSAPP_WEBHOOK_URL": hook,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
    }
    if kind == "stdlib":
        argv = [sys.executable, "-m", "wadul.simulator.serve"]
    else:
        argv = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1"]
        argv += ["--port", str(port), "--workers", "1", "--blocking-threads", "8", "--no-ws"]
        argv += ["--log-level", "warning", "wadul.simulator.wsgi:application"]
    return subprocess.Popen(argv, env=env, cwd=ROOT)  # noqa: S603


def run(kind: str, port: int, hook: str, seconds: float, clients: int) -> dict:
    started = time.monotonic()
    proc = start(kind, port, hook)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base + "/_sim/health")
        startup = time.monotonic() - started
        httpx.post(
            base + "/_sim/numbers",
            json={"phone_number_id": PNID, "display_phone_number": "628113500112"},
        )
        httpx.post(base + "/_sim/config", json={"throughput": 1_000_000, "pair_rate": None})
        for i in range(clients):  # open each user's window
            httpx.post(
                base + "/_sim/inbound",
                json={"phone_number_id": PNID, "from": f"62812000{i:04d}", "text": "halo"},
            )
        latencies: list[float] = []
        errors = [0]
        stop_at = time.monotonic() + seconds

        def client(i: int) -> None:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
                body = {
                    "messaging_product": "whatsapp",
                    "to": f"+62812000{i:04d}",
                    "type": "text",
                    "text": {"body": "Terima kasih, laporan Anda kami terima."},
                }
                while time.monotonic() < stop_at:
                    t = time.perf_counter()
                    r = c.post(f"/v21.0/{PNID}/messages", json=body)
                    latencies.append(time.perf_counter() - t)
                    if r.status_code != 200:
                        errors[0] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        httpx.get(base + "/_sim/idle", params={"timeout": 30}, timeout=40)
        stats = httpx.get(base + "/_sim/stats").json()["numbers"][PNID]
        q = statistics.quantiles(latencies, n=100)
        return {
            "server": kind,
            "startup_s": round(startup, 2),
            "sends_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1),
            "p95_ms": round(q[94] * 1000, 1),
            "errors": errors[0],
            "webhooks_ok": stats["webhooks"]["ok"],
            "webhooks_failed": stats["webhooks"]["failed"],
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8240)
    options = parser.parse_args()
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, str(options.port + 9)])  # noqa: S603
    hook = f"http://127.0.0.1:{options.port + 9}/hook"
    try:
        time.sleep(0.5)
        rows = [
            run(kind, options.port, hook, options.seconds, options.clients)
            for kind in ("stdlib", "granian")
        ]
    finally:
        receiver.terminate()
    print(f"\n{options.clients} clients, {options.seconds} s each; Meta's default: 80 msg/s/number")
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row[k]) for k in keys))


if __name__ == "__main__":
    main()
