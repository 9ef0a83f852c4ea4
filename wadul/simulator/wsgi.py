"""A module-level simulator for WSGI servers (granian): configured from the environment.

    DJANGO_SETTINGS_MODULE=wadul.simulator.settings WHATSAPP_APP_SECRET=… \\
    granian --interface wsgi --workers 1 wadul.simulator.wsgi:application

One worker only: the simulator's state lives in this process's memory.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.simulator.settings")
django.setup()

from wadul.simulator.app import make_app  # noqa: E402
from wadul.simulator.serve import simulator_from_env  # noqa: E402

simulator = simulator_from_env()
application = make_app(simulator)
