"""Two web hosts with separate var/ directories and three workers on one PostgreSQL, workers
killed (SIGKILL) and restarted at random: every message processed once, every
acknowledgement sent once. (`bench/whatsapp_multihost.py` runs the same with 20,000.)"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from wadul import testing
from wadul.simulator.testing import free_port, running_simulator
from wadul.whatsapp import multihost
from wadul.whatsapp.conftest import ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN

MESSAGES = 120
NUMBERS = ["120000000000001", "120000000000002", "120000000000003"]


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("several hosts share a PostgreSQL database; SQLite is one host's file")


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_two_hosts_three_killed_workers_process_each_message_once(postgresql, regency, tmp_path):
    for index, pnid in enumerate(NUMBERS):
        unit = testing.create_unit(f"Kecamatan {index}", parent=regency, code=f"KEC-{index}")
        testing.create_number(unit, pnid)
    with running_simulator(app_secret=APP_SECRET, access_token=ACCESS_TOKEN) as sim:
        ports = multihost.free_ports(2, free_port)
        for pnid in NUMBERS:
            sim.register_number(pnid, f"+62 811-{pnid[-4:]}")
        sim.configure(webhook_urls=[f"http://127.0.0.1:{p}/webhooks/whatsapp/" for p in ports])
        env = {
            **{k: v for k, v in os.environ.items() if k != "WADUL_VAR_DIR"},
            "DATABASE_URL": database_url(),
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_GRAPH_URL": sim.base_url,
            "WHATSAPP_RECONCILE_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
        }
        cluster = multihost.Cluster(env=env, root=tmp_path, web_ports=ports, workers=3)
        cluster.start()
        try:
            # Kills while messages arrive and are processed; then time to finish (a worker
            # needs a few seconds to start on a busy machine).
            with multihost.chaos(cluster, every=(3.0, 6.0)):
                posted = multihost.drive(sim.base_url, NUMBERS, MESSAGES, threads=8)
                multihost.wait_for_acknowledgements(sim.base_url, MESSAGES, timeout=15)
            multihost.wait_for_acknowledgements(sim.base_url, MESSAGES, timeout=120)
            multihost.wait_for_recorded_acknowledgements(MESSAGES, timeout=120)
            report = multihost.check(sim.base_url, posted, kills=cluster.kills)
        finally:
            cluster.stop()
    assert report.kills >= 1
    assert report.lost == 0, report
    assert report.duplicates == 0, report
    assert report.processed == report.cases == MESSAGES
    assert report.acknowledged_sim == report.acknowledged_db == MESSAGES
