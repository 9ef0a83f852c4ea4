from __future__ import annotations

from wadul import testing


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
