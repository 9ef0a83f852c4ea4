"""`python -m wadul.simulator.serve`: the simulator as its own process.

`wadul whatsapp_simulator` execs this with the simulator's own settings module, so the process
shares neither the app's URLconf nor its database. Configuration comes from the command line,
falling back to the environment (WHATSAPP_SIMULATOR_PORT, WHATSAPP_WEBHOOK_URL,
WHATSAPP_APP_SECRET, WHATSAPP_ACCESS_TOKEN, WHATSAPP_SIMULATOR_NUMBERS as a JSON list).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading

import django

log = logging.getLogger("wadul.simulator")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get
    parser.add_argument("--port", type=int, default=int(env("WHATSAPP_SIMULATOR_PORT", "8001")))
    parser.add_argument("--host", default=env("WHATSAPP_SIMULATOR_HOST", "127.0.0.1"))
    parser.add_argument("--webhook-url", default=env("WHATSAPP_WEBHOOK_URL", ""))
    parser.add_argument("--app-secret", default=env("WHATSAPP_APP_SECRET", ""))
    parser.add_argument("--access-token", default=env("WHATSAPP_ACCESS_TOKEN", ""))
    parser.add_argument("--api-version", default=env("WHATSAPP_API_VERSION", "v21.0"))
    parser.add_argument(
        "--numbers",
        default=env("WHATSAPP_SIMULATOR_NUMBERS", ""),
        help='Business numbers to register, JSON: [{"phone_number_id": …, …}, …]',
    )


def simulator_from_env():
    """A Simulator configured like `add_arguments` reads the environment (for granian)."""
    from wadul.simulator.core import Simulator

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    options = parser.parse_args([])
    simulator = Simulator(
        webhook_url=options.webhook_url,
        app_secret=options.app_secret,
        access_token=options.access_token,
        api_version=options.api_version,
    )
    simulator.base_url = f"http://{options.host}:{options.port}"
    register_numbers(simulator, options.numbers)
    return simulator


def register_numbers(simulator, numbers_json: str) -> None:
    for number in json.loads(numbers_json) if numbers_json else []:
        simulator.register_number(number)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="whatsapp_simulator")
    add_arguments(parser)
    options = parser.parse_args(argv)
    if not options.app_secret or not options.access_token:
        parser.error("--app-secret and --access-token (or their environment variables) are needed")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.simulator.settings")
    django.setup()
    from wadul.simulator.core import Simulator
    from wadul.simulator.server import make_server

    simulator = Simulator(
        webhook_url=options.webhook_url,
        app_secret=options.app_secret,
        access_token=options.access_token,
        api_version=options.api_version,
    )
    register_numbers(simulator, options.numbers)
    server = make_server(simulator, options.host, options.port)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info(
        "WhatsApp simulator on %s (webhooks to %s); phone page %s/phone",
        simulator.base_url,
        options.webhook_url or "nowhere yet",
        simulator.base_url,
    )
    sys.stdout.flush()
    server.serve_forever()
    server.server_close()
    simulator.deliverer.stop()


if __name__ == "__main__":
    main()
