"""The inbox's live refresh of a case page and the API's case list are looks at personal
data too: logged with one INSERT; the refresh at most once per official, case and window
(PRIVACY_LOG_POLL_MINUTES), and not at all when it only answers "nothing changed"."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wadul import testing
from wadul.api.models import ApiToken
from wadul.inbox.views.case import live_token
from wadul.privacy import services
from wadul.privacy.models import AccessLog


def test_the_live_refresh_is_logged_once_a_window(client, official_a, case_a, settings):
    settings.PRIVACY_LOG_POLL_MINUTES = 10
    testing.login(client, official_a)
    url = f"/inbox/kasus/{case_a.tracking_number}/terbaru/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    [row] = AccessLog.objects.filter(surface=AccessLog.Surface.CASE_LIVE)
    assert row.official == official_a and row.case == case_a

    # Nothing changed: a 204 shows nothing, so nothing is logged.
    assert client.get(url, {"v": live_token(case_a)}).status_code == 204
    # The next window logs again.
    AccessLog.objects.filter(pk=row.pk).update(window=row.window - 1)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    touching = [q["sql"] for q in captured.captured_queries if "privacy_accesslog" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")
    assert AccessLog.objects.filter(surface=AccessLog.Surface.CASE_LIVE).count() == 2


def test_the_api_case_list_logs_each_case_listed_in_one_insert(client, official_a, case_a, unit_a):
    second = testing.create_case(unit=unit_a)
    _token, key = ApiToken.issue(official_a, "dashboard")
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}")
    touching = [q["sql"] for q in captured.captured_queries if "privacy_accesslog" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")
    rows = AccessLog.objects.filter(surface=AccessLog.Surface.API, detail="case list")
    assert set(rows.values_list("case", flat=True)) == {case_a.pk, second.pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_log_one_row_a_window(unit_a):
    # Several tabs (or processes) refreshing at once: each thread its own connection, no
    # read before the INSERT, and still one row (run on PostgreSQL too).
    official = testing.create_official("alice", unit=unit_a)
    case = testing.create_case(unit=unit_a)
    errors: list[Exception] = []
    start = threading.Barrier(4)

    def refresh() -> None:
        try:
            start.wait()
            for _ in range(5):
                services.log_access(
                    official, case, AccessLog.Surface.CASE_LIVE, once_per_minutes=60
                )
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=refresh) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert AccessLog.objects.filter(case=case, surface=AccessLog.Surface.CASE_LIVE).count() == 1
