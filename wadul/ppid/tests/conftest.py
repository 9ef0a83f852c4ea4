"""PPID personas: Diskominfo is the PPID Utama, Dinas PU (unit A) a PPID Pelaksana, the
Setda the atasan PPID (Sekda)."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.conversation.tests.channel import PigeonChannel
from wadul.organisation.models import Official, Unit
from wadul.ppid import services
from wadul.ppid.models import Desk


@pytest.fixture
def kominfo(regency) -> Unit:
    unit = testing.create_unit("Diskominfo", parent=regency, code="KOMINFO")
    services.designate(unit, role=Desk.Role.UTAMA)
    return unit


@pytest.fixture
def setda(regency) -> Unit:
    unit = testing.create_unit(
        "Sekretariat Daerah", kind=Unit.Kind.SEKRETARIAT, parent=regency, code="SETDA"
    )
    services.designate(unit, role=Desk.Role.ATASAN)
    return unit


@pytest.fixture
def pelaksana(unit_a) -> Unit:
    services.designate(unit_a, role=Desk.Role.PELAKSANA)
    return unit_a


@pytest.fixture
def ppid_utama(kominfo) -> Official:
    return testing.create_official("utami", unit=kominfo)


@pytest.fixture
def atasan(setda) -> Official:
    return testing.create_official("sekda.ppid", unit=setda, role=Official.Role.HEAD)


@pytest.fixture
def pigeon(kominfo):
    """The test channel, delivering to the PPID Utama."""
    channel = PigeonChannel(unit=kominfo)
    channel.register()
    yield channel
    channel.unregister()
