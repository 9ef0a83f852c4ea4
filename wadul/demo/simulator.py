"""The simulator in `make run`: its process, its secrets, and the demo's business numbers."""

from __future__ import annotations

import json
import os
import sys

from wadul.demo.organisation import NUMBERS, OPDS
from wadul.simulator.state import DEFAULT_WABA_ID

# Published demo values: `make run` is a demo on one machine, never production.
DEMO_APP_SECRET = "wadul-demo-app-secret"  # noqa: S105
DEMO_ACCESS_TOKEN = "wadul-demo-access-token"  # noqa: S105
DEMO_VERIFY_TOKEN = "wadul-demo-verify-token"  # noqa: S105


def demo_numbers() -> list[dict[str, object]]:
    """The demo regency's WhatsApp numbers, as /_sim/numbers takes them."""
    names = {code: name for code, name, _kind, _parent in OPDS}
    numbers = []
    for phone_number_id, display, unit_code, _central, coexistence in NUMBERS:
        name = names.get(unit_code) or unit_code.replace("KEC-", "Kecamatan ").title()
        numbers.append(
            {
                "phone_number_id": phone_number_id,
                "display_phone_number": display,
                "coexistence": coexistence,
                "name": name,
            }
        )
    return numbers


def simulator_process(*, host: str, port: int) -> tuple[dict[str, str], tuple[str, list[str]], str]:
    """(environment for the web and worker processes, (name, argv), simulator base URL).

    The app reaches the simulator as its Graph API and the simulator posts webhooks to the app,
    both signed with the same demo secrets unless the environment sets real ones.
    """
    sim_port = int(os.environ.get("SIMULATOR_PORT") or port + 1)
    base_url = f"http://127.0.0.1:{sim_port}"
    env = {
        "WHATSAPP_APP_SECRET": os.environ.get("WHATSAPP_APP_SECRET") or DEMO_APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": os.environ.get("WHATSAPP_ACCESS_TOKEN") or DEMO_ACCESS_TOKEN,
        "WHATSAPP_GRAPH_URL": os.environ.get("WHATSAPP_GRAPH_URL") or base_url,
        "WHATSAPP_VERIFY_TOKEN": os.environ.get("WHATSAPP_VERIFY_TOKEN") or DEMO_VERIFY_TOKEN,
        "WHATSAPP_WABA_ID": os.environ.get("WHATSAPP_WABA_ID") or DEFAULT_WABA_ID,
    }
    argv = [
        sys.executable,
        "-m",
        "wadul",
        "whatsapp_simulator",
        f"--host={host}",
        f"--port={sim_port}",
        f"--webhook-url=http://127.0.0.1:{port}/webhooks/whatsapp/",
        f"--numbers={json.dumps(demo_numbers())}",
    ]
    return env, ("whatsapp-simulator", argv), f"http://{host}:{sim_port}"
