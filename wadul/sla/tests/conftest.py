from __future__ import annotations

import importlib

import pytest
from django.apps import apps

defaults = importlib.import_module("wadul.sla.migrations.0002_defaults")


@pytest.fixture(autouse=True)
def clock_defaults(db):
    """The schedules, targets and ladder the data migration installs (a transactional test
    elsewhere may have flushed them)."""
    defaults.create(apps, None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas get real password hashes; the clock's tests never log in with them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
