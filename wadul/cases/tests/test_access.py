from __future__ import annotations

from wadul import testing
from wadul.cases import access
from wadul.cases.models import Visibility
from wadul.organisation.models import Official


def test_staff_see_their_unit_and_its_subunits_only(
    unit_a, subunit_a, unit_b, official_a, official_b
):
    mine = testing.create_case(unit=unit_a)
    below = testing.create_case(unit=subunit_a)
    theirs = testing.create_case(unit=unit_b)
    triage = testing.create_case(unit=None)
    assert set(access.visible_cases(official_a)) == {mine, below}
    assert set(access.visible_cases(official_b)) == {theirs}
    assert triage not in access.visible_cases(official_a)


def test_subunit_staff_do_not_see_the_parent_units_cases(unit_a, subunit_a):
    worker = testing.create_official("agus", unit=subunit_a)
    parent_case = testing.create_case(unit=unit_a)
    assert parent_case not in access.visible_cases(worker)


def test_operators_and_supervisors_see_everything(unit_a, unit_b, operator, supervisor):
    cases = {testing.create_case(unit=unit_a), testing.create_case(unit=None)}
    assert set(access.visible_cases(operator)) == cases
    assert set(access.visible_cases(supervisor)) == cases
    assert all(access.can_act(operator, c) for c in cases)
    assert not any(access.can_act(supervisor, c) for c in cases)


def test_inactive_officials_see_nothing(case_a, official_a):
    official_a.is_active = False
    assert list(access.visible_cases(official_a)) == []


def test_confidential_reporter_is_hidden_from_everyone_but_operators(
    unit_a, official_a, head_a, supervisor, operator, citizen
):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    for viewer in (official_a, head_a, supervisor):
        assert access.reporter_label(viewer, case) == "Pelapor rahasia"
    assert access.reporter_label(operator, case) == "Siti Rahayu"
    public = testing.create_case(unit=unit_a, contact=citizen)
    assert access.reporter_label(official_a, public) == "Siti Rahayu"


def test_admins_see_and_act_on_everything_and_see_confidential_reporters(unit_a, regency, citizen):
    admin = testing.create_official("root", unit=regency, role=Official.Role.ADMIN)
    case = testing.create_case(unit=unit_a, contact=citizen, visibility=Visibility.CONFIDENTIAL)
    triage = testing.create_case(unit=None)
    assert set(access.visible_cases(admin)) == {case, triage}
    assert access.can_act(admin, case) and access.can_act(admin, triage)
    assert access.reporter_label(admin, case) == "Siti Rahayu"
