"""A query compiled once gives what the ORM gives: the same rows, values converted the same
way (aware datetimes, booleans, JSON), instances that save as loaded ones."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from wadul import testing
from wadul.cases.models import Case
from wadul.core import compiled
from wadul.whatsapp.models import InboundMessage


def _cases_of_unit() -> QuerySet[Case]:
    return Case.objects.filter(unit_id=0).order_by("pk")


def test_compiled_rows_are_the_orms_rows(unit_a, subunit_a):
    first, second = testing.create_case(unit=unit_a), testing.create_case(unit=unit_a)
    testing.create_case(unit=subunit_a)
    expected = list(Case.objects.filter(unit_id=unit_a.pk).order_by("pk"))

    got = compiled.rows(Case, _cases_of_unit, (0,), [unit_a.pk])
    again = compiled.rows(Case, _cases_of_unit, (0,), [unit_a.pk])  # from the compiled SQL

    assert [c.pk for c in got] == [c.pk for c in again] == [first.pk, second.pk]
    fields = [f.attname for f in Case._meta.concrete_fields]
    for mine, orms in zip(got, expected, strict=True):
        assert [getattr(mine, f) for f in fields] == [getattr(orms, f) for f in fields]
        assert mine.created_at.tzinfo is not None
        assert mine._state.adding is False and mine._state.db == "default"
    got[0].subject = "Diperbarui"
    got[0].save(update_fields=["subject"])
    assert Case.objects.get(pk=first.pk).subject == "Diperbarui"


def _flagged_json() -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(wamid="")


def test_json_and_other_converted_columns_come_back_as_python_values(unit_a):
    number = testing.create_number(unit_a, "555000111")
    row = InboundMessage.objects.create(
        wamid="wamid.X",
        number=number,
        type="text",
        sent_at=timezone.now(),
        raw={"text": {"body": "halo"}},
    )
    (got,) = compiled.rows(InboundMessage, _flagged_json, ("",), ["wamid.X"])
    assert got.raw == {"text": {"body": "halo"}} and got.pk == row.pk


def _wrong() -> QuerySet[Case]:
    return Case.objects.filter(unit_id=0, status="open")


def test_an_example_with_other_parameters_than_declared_is_refused(unit_a):
    with pytest.raises(RuntimeError, match="unexpected parameters"):
        compiled.rows(Case, _wrong, (0,), [unit_a.pk])
