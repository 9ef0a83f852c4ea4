"""The data protection officer persona, on top of the shared ones."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from wadul import testing
from wadul.organisation.models import Official


@pytest.fixture
def dpo(regency) -> Official:
    official = testing.create_official("dewi", unit=regency, role=Official.Role.STAFF)
    official.user_permissions.add(Permission.objects.get(codename="act_as_dpo"))
    return official
