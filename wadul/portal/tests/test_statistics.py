"""League table, open statistics, dashboard, monthly report and photo queue (from the clock)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wadul import testing
from wadul.api.models import ApiToken
from wadul.cases import services
from wadul.cases.models import Case, Via
from wadul.portal.stats import LEAGUE_FIELDS, Period
from wadul.routing.models import Action, RoutingDecision, UnitTypeMapping
from wadul.sla import metrics, snapshots
from wadul.sla.models import StatsSnapshot


@pytest.fixture
def activity(unit_a, unit_b, official_a, official_b, regions):
    """This month: two DPU cases (one answered, one resolved and rated), one Dinkes case."""
    answered = testing.create_case(unit=unit_a, region=regions["kemiren"])
    services.answer(answered, text="Sudah kami cek", actor=official_a, via=Via.INBOX)
    resolved = testing.create_case(unit=unit_a, region=regions["kemiren"])
    services.answer(resolved, text="Selesai diperbaiki", actor=official_a, via=Via.INBOX)
    services.resolve(resolved, actor=official_a, via=Via.INBOX)
    services.rate(resolved, rating=4, via=Via.WHATSAPP)
    testing.create_case(unit=unit_b, region=regions["genteng"])
    return answered, resolved


def _body(response) -> str:
    content = (
        b"".join(response.streaming_content)
        if hasattr(response, "streaming_content")
        else response.content
    )
    return content.decode().lstrip("\ufeff")


def test_the_league_table_shows_the_clocks_figures_and_the_methodology(client, activity):
    response = client.get("/statistik/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dinas PU" in page and "Dinas Kesehatan" in page and "Metodologi" in page
    rows = {r["unit_code"]: r for r in response.context["rows"]}
    assert rows["DPU"]["received"] == 2 and rows["DPU"]["resolved"] == 1
    assert rows["DPU"]["rating_average"] == 4.0 and rows["DINKES"]["received"] == 1
    assert response.context["regency"]["received"] == 3
    assert "<svg" in page  # trend chart and map drawn on the server


def test_the_league_table_matches_the_metrics_module(client, activity, unit_a):
    period = Period.parse(None)
    [expected] = metrics.unit_stats(period.start, period.end, units=[unit_a])
    body = json.loads(client.get("/data/statistik.json").content)
    row = next(r for r in body["data"] if r["unit_code"] == "DPU")
    assert row["received"] == expected.received
    assert row["first_response_within_target_share"] == expected.first_response_within_target_share
    assert row["first_response_median_working_minutes"] == (
        expected.first_response_median_working_minutes
    )


def test_the_league_table_csv_has_the_documented_columns(client, activity):
    text = _body(client.get("/data/statistik.csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == LEAGUE_FIELDS
    assert {r["unit_code"] for r in rows} >= {"DPU", "DINKES"}


def test_a_past_month_without_cases_is_empty(client, activity):
    page = client.get("/statistik/", {"bulan": "2001-01"}).content.decode()
    assert "Januari 2001" in page


def test_the_map_counts_cases_per_kecamatan(client, activity):
    response = client.get("/statistik/")
    counts = {region.name: n for region, n in response.context["region_counts"]}
    assert counts == {"Glagah": 2, "Genteng": 1}
    assert "Kec. Glagah: 2" in response.content.decode()


def test_figures_are_stored_and_refreshed_in_the_background_when_stale(
    client, activity, settings, unit_a, official_a, django_capture_on_commit_callbacks
):
    client.get("/statistik/")
    snapshot = StatsSnapshot.objects.get(key=f"unit_stats:{Period.parse(None).key}:all")
    testing.create_case(unit=unit_a)
    # Fresh: the stored figures are shown as they are.
    rows = {r["unit_code"]: r for r in client.get("/statistik/").context["rows"]}
    assert rows["DPU"]["received"] == 2
    StatsSnapshot.objects.update(computed_at=timezone.now() - timezone.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        rows = {r["unit_code"]: r for r in client.get("/statistik/").context["rows"]}
    assert rows["DPU"]["received"] == 2  # the stale figures, while the task recomputes
    snapshot.refresh_from_db()
    assert snapshot.refreshing_since is not None

    assert DBTaskResult.objects.filter(task_path="wadul.sla.snapshots.refresh").exists()

    snapshots.refresh.call("unit_stats", snapshot.key.split(":")[1:])
    rows = {r["unit_code"]: r for r in client.get("/statistik/").context["rows"]}
    assert rows["DPU"]["received"] == 3


def test_the_dashboard_is_for_supervisors_operators_and_admins(
    client, activity, supervisor, operator, official_a, head_a
):
    assert client.get("/pantau/").status_code == 302  # not logged in
    for refused in (official_a, head_a):
        testing.login(client, refused)
        assert client.get("/pantau/").status_code == 403
        assert client.get("/pantau/laporan/").status_code == 403
        assert client.get("/pantau/laporan.pdf").status_code == 403
        assert client.get("/pantau/laporan.csv").status_code == 403
    for allowed in (supervisor, operator):
        testing.login(client, allowed)
        response = client.get("/pantau/")
        assert response.status_code == 200
        assert "Dinas PU" in response.content.decode()


def test_the_dashboard_lists_overdue_cases_by_unit(client, activity, supervisor):
    answered, _resolved = activity
    late = testing.create_case(unit=answered.unit)
    Case.objects.filter(pk=late.pk).update(
        first_response_due_at=timezone.now() - timezone.timedelta(hours=1)
    )
    testing.login(client, supervisor)
    overdue = client.get("/pantau/").context["overdue"]
    assert overdue == [
        {"unit__code": "DPU", "unit__name": "Dinas PU", "overdue": 1, "no_first_response": 1}
    ]


def test_the_monthly_report_as_csv_and_pdf(client, activity, supervisor):
    testing.login(client, supervisor)
    month = Period.parse(None).key
    text = _body(client.get("/pantau/laporan.csv", {"bulan": month, "unit": "DPU"}))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["unit_code"] == "DPU" and rows[0]["received"] == "2"
    regency = list(csv.DictReader(io.StringIO(_body(client.get("/pantau/laporan.csv")))))
    assert regency[0]["unit_code"] == "PEMKAB" and regency[0]["received"] == "3"
    pdf = client.get("/pantau/laporan.pdf", {"bulan": month, "unit": "DPU"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")
    assert b"Dinas PU" in pdf.content
    html = client.get("/pantau/laporan/", {"bulan": month}).content.decode()
    assert "Laporan kabupaten" in html


def test_an_unknown_unit_report_is_404(client, supervisor, db):
    testing.login(client, supervisor)
    assert client.get("/pantau/laporan.csv", {"unit": "NOPE"}).status_code == 404


def test_only_operators_check_photos(client, photo, operator, supervisor):
    testing.login(client, supervisor)
    assert client.get("/pantau/foto/").status_code == 403
    assert client.get(f"/pantau/foto/{photo.pk}/").status_code == 403
    testing.login(client, operator)
    page = client.get("/pantau/foto/").content.decode()
    assert f"/pantau/foto/{photo.pk}/" in page
    assert client.get(f"/pantau/foto/{photo.pk}/").status_code == 200
    client.post("/pantau/foto/", {"attachment": photo.pk, "decision": "approve"})
    photo.refresh_from_db()
    assert photo.approved_for_public and photo.photo_decision.decided_by == operator
    assert f"/pantau/foto/{photo.pk}/" not in client.get("/pantau/foto/").content.decode()


def test_the_statistics_api_uses_the_same_figures(client, activity, official_a):
    key = ApiToken.issue(official_a, "dash")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get("/api/v1/statistics", **headers).json()
    row = next(r for r in body if r["unit_code"] == "DPU")
    assert row["received"] == 2 and row["rating_count"] == 1
    one = client.get("/api/v1/statistics", {"unit": "DPU"}, **headers).json()
    assert one[0]["unit_code"] == "DPU"
    assert client.get("/api/v1/statistics", {"unit": "NOPE"}, **headers).status_code == 404


def test_operators_mark_names_and_keep_answers_private_on_the_publication_page(
    client, published_case, operator, official_a
):
    url = f"/pantau/kasus/{published_case.tracking_number}/"
    testing.login(client, official_a)
    assert client.get(url).status_code == 403
    testing.login(client, operator)
    assert "[nama disamarkan]" in client.get(url).content.decode()
    client.post(url, {"action": "term", "term": "SD Kemiren"})
    public = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "SD Kemiren" not in public
    answer = published_case.messages.get(direction="outbound")
    client.post(url, {"action": "private", "message": answer.pk})
    public = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "penambalan" not in public
    client.post(url, {"action": "public", "message": answer.pk})
    public = client.get(f"/kasus/{published_case.tracking_number}/").content.decode()
    assert "penambalan" in public


def test_the_dashboard_shows_how_often_the_router_was_overridden(
    client, unit_a, unit_b, official_a, supervisor
):
    UnitTypeMapping.objects.create(label="roads", unit=unit_a)
    UnitTypeMapping.objects.create(label="health", unit=unit_b)
    moved = testing.create_case(unit=unit_a)
    stayed = testing.create_case(unit=unit_a)
    for case in (moved, stayed):
        RoutingDecision.objects.create(case=case, label="roads", unit=unit_a, action=Action.ASSIGN)
    services.transfer(moved, to_unit=unit_b, reason="bukan kami", actor=official_a, via=Via.INBOX)
    testing.login(client, supervisor)
    response = client.get("/pantau/")
    _month, total = response.context["router"]["monthly"][-1]
    assert (total.decisions, total.overridden) == (2, 1)
    [roads] = response.context["router"]["by_label"]
    assert (roads.label, roads.overridden, roads.rate) == ("roads", 1, 0.5)
    page = response.content.decode()
    assert 'id="router-overrides"' in page and "50 %" in page
