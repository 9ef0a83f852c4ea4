"""WhatsApp channel fixtures: credentials, numbers, and the simulator (real HTTP both ways).

Meta's recorded payloads are addressed to phone_number_id 106540352242922; `meta_number`
registers it for unit A.
"""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.simulator.testing import free_port, running_simulator
from wadul.whatsapp.testing import WEBHOOK_PATH, approve_templates, run_worker, serving_app
from wadul.whatsapp.webhook import processor

APP_SECRET = "test-app-secret"
ACCESS_TOKEN = "test-access-token"
VERIFY_TOKEN = "test-verify-token"
META_PNID = "106540352242922"
UNIT_PNID = "110000000000002"
WABA_ID = "102290129340398"  # the simulator's default business account
CENTRAL_PNID = "110000000000001"


@pytest.fixture(autouse=True)
def whatsapp_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_WABA_ID = WABA_ID
    settings.WHATSAPP_GRAPH_URL = "http://127.0.0.1:9"  # nothing listens: set by `simulator`
    settings.WHATSAPP_RECONCILE_SECONDS = 120
    return settings


@pytest.fixture
def meta_number(unit_a):
    return testing.create_number(unit_a, META_PNID)


@pytest.fixture
def unit_number(unit_a):
    return testing.create_number(unit_a, UNIT_PNID)


@pytest.fixture
def central_number(central_desk):
    return testing.create_number(central_desk, CENTRAL_PNID, is_central=True)


@pytest.fixture
def app_url(transactional_db):
    """The app served over HTTP (the simulator posts its webhooks here)."""
    with serving_app(free_port()) as url:
        yield url


@pytest.fixture
def simulator(app_url, whatsapp_settings):
    """The WhatsApp simulator (the other side: Meta), wired to the app both ways."""
    with running_simulator(
        webhook_url=app_url + WEBHOOK_PATH,
        app_secret=APP_SECRET,
        access_token=ACCESS_TOKEN,
        port=free_port(),
    ) as sim:
        whatsapp_settings.WHATSAPP_GRAPH_URL = sim.base_url
        sim.register_number(UNIT_PNID, "+62 811-3500-201")
        sim.register_number(CENTRAL_PNID, "+62 811-3500-112")
        approve_templates()
        yield sim


@pytest.fixture
def settle(simulator):
    """Run the worker until the app and the simulator have nothing left to say."""

    def run(seconds: float = 15.0) -> None:
        run_worker(seconds=seconds, settle=lambda: simulator.wait_idle(5))

    return run


@pytest.fixture(autouse=True)
def _fresh_number_cache():
    processor.forget_numbers()
    yield
    processor.forget_numbers()
