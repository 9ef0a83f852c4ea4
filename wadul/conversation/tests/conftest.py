from __future__ import annotations

import pytest

from .channel import PigeonChannel


@pytest.fixture
def pigeon(unit_a):
    """The test channel, delivering to unit A's cases, registered for the test only."""
    channel = PigeonChannel(unit=unit_a)
    channel.register()
    yield channel
    channel.unregister()
