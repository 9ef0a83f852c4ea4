from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Via

login = testing.login


def test_head_sees_open_cases_by_official_and_age(client, head_a, official_a, unit_a):
    mine = testing.create_case(unit=unit_a)
    services.assign(mine, actor=head_a, via=Via.INBOX, official=official_a)
    testing.create_case(unit=unit_a, at=timezone.now() - timedelta(days=10))
    login(client, head_a)
    response = client.get("/inbox/papan/")
    context = response.context
    assert response.status_code == 200
    assert context["open_total"] == 2
    counts = {row["assigned_to"]: row["count"] for row in context["by_official"]}
    assert counts == {official_a.pk: 1, None: 1}
    ages = dict((str(label), count) for label, count in context["by_age"])
    assert ages["di bawah 1 hari"] == 1 and ages["7–30 hari"] == 1


def test_breaches_this_week_and_median_first_response_and_rating(client, head_a, unit_a):
    now = timezone.now()
    late = testing.create_case(unit=unit_a, at=now - timedelta(minutes=10))
    Case.objects.filter(pk=late.pk).update(first_response_due_at=now - timedelta(minutes=5))
    answered = testing.create_case(unit=unit_a, at=now - timedelta(minutes=90))
    services.answer(
        answered, text="ok", actor=head_a, via=Via.INBOX, at=now - timedelta(minutes=30)
    )
    services.resolve(answered, actor=head_a, via=Via.INBOX)
    services.rate(answered, rating=4, via=Via.WHATSAPP)
    login(client, head_a)
    context = client.get("/inbox/papan/").context
    assert context["breach_count"] == 1
    assert context["median_clock_minutes"] == 60
    assert context["rating"]["average"] == 4 and context["rating"]["count"] == 1


def test_staff_have_no_board(client, official_a):
    login(client, official_a)
    assert client.get("/inbox/papan/").status_code == 403


def test_a_head_cannot_open_another_units_board(client, head_a, unit_b):
    login(client, head_a)
    assert client.get(f"/inbox/papan/?unit={unit_b.pk}").status_code == 403


def test_supervisor_picks_any_unit(client, supervisor, unit_b):
    testing.create_case(unit=unit_b)
    login(client, supervisor)
    response = client.get(f"/inbox/papan/?unit={unit_b.pk}")
    assert response.status_code == 200 and response.context["open_total"] == 1
