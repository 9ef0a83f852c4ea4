from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from wadul import testing
from wadul.organisation.models import Official, Unit


def test_subtree_follows_a_moved_unit(regency, unit_a, subunit_a, unit_b):
    assert set(unit_a.subtree()) == {unit_a, subunit_a}
    unit_a.parent = unit_b
    unit_a.save()
    subunit_a.refresh_from_db()
    assert set(unit_b.subtree()) == {unit_b, unit_a, subunit_a}
    assert subunit_a.path.startswith(unit_b.path)


def test_units_get_distinct_paths(regency):
    units = [testing.create_unit(f"Dinas {n}", parent=regency) for n in range(12)]
    assert len({u.path for u in units}) == 12
    assert all(u.path.startswith(regency.path) for u in units)


def test_external_institutions_stand_outside_the_tree(regency):
    with pytest.raises(IntegrityError), transaction.atomic():
        testing.create_unit("PLN", kind=Unit.Kind.EXTERNAL, parent=regency)


def test_staff_and_heads_belong_to_a_unit(db):
    for role in (Official.Role.STAFF, Official.Role.HEAD):
        with pytest.raises(IntegrityError), transaction.atomic():
            testing.create_official(f"no-unit-{role}", unit=None, role=role)
    # The constraint is for the roles whose scope is their unit; an admin may have none.
    testing.create_official("root", unit=None, role=Official.Role.ADMIN)
