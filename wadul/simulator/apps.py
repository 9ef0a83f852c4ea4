from __future__ import annotations

from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    """The WhatsApp Cloud API simulator: plays Meta on its own port for demos and tests."""

    name = "wadul.simulator"
    label = "simulator"
    verbose_name = "WhatsApp simulator"
