"""How often officials overrode the router, per month and unit type."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wadul import testing
from wadul.cases import services as case_services
from wadul.cases.models import Via
from wadul.routing.stats import overrides

pytestmark = pytest.mark.usefixtures("immediate_tasks")


@pytest.fixture
def ready(model, units):
    return units


def routed(text: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = testing.create_case(unit=None, text=text)
    case.refresh_from_db()
    return case


def this_month():
    now = timezone.now()
    return now - timezone.timedelta(days=1), now + timezone.timedelta(days=1)


def test_an_official_sending_a_case_to_another_type_is_an_override(
    ready, operator, official_a, settings, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    roads = routed("jalan depan SD Kemiren berlubang parah, sudah 2 bulan", capture)
    assert roads.unit == ready["roads"]
    kept = routed("jalan poros desa Licin rusak berat, aspal mengelupas", capture)
    settings.ROUTING_CONFIDENCE_THRESHOLD = 0.999
    lamp = routed("lampu PJU mati di Rogojampi", capture)
    assert lamp.unit is None  # left to the operator, with suggestions
    # The roads case was really a health matter; the operator took the router's suggestion
    # for the lamp; the last one stayed where the router put it.
    case_services.transfer(
        roads, to_unit=ready["health"], reason="bukan kami", actor=official_a, via=Via.INBOX
    )
    case_services.assign(lamp, unit=ready["lighting"], actor=operator, via=Via.INBOX)
    assert kept.unit == ready["roads"]

    result = overrides(*this_month())
    assert (result.total.decisions, result.total.overridden) == (3, 1)
    by_label = {row.label: row for row in result.by_label}
    assert by_label["roads"].decisions == 2 and by_label["roads"].overridden == 1
    assert by_label["roads"].rate == 0.5
    assert by_label["street_lighting_drainage"].overridden == 0
    assert result.by_label[0].label == "roads"  # most overridden first


def test_months_without_decisions_have_no_rate(db):
    result = overrides(*this_month())
    assert result.total.decisions == 0 and result.total.rate is None and result.by_label == []
