"""One login limiter for every way in, counted in the database; client addresses through
trusted proxies only."""

from __future__ import annotations

from django.test import Client, RequestFactory

from wadul import testing
from wadul.api.models import ApiToken
from wadul.core import limits
from wadul.core.models import Attempt


def _admin_login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password})


def test_the_admin_login_is_throttled(client, regency, settings):
    settings.LOGIN_MAX_FAILURES_PER_USER = 3
    testing.create_official("root", unit=regency, role="admin", is_staff=True, is_superuser=True)
    for _ in range(3):
        assert _admin_login(client, "root", "wrong").status_code == 200
    response = _admin_login(client, "root", testing.PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan gagal" in response.content.decode()


def test_failures_on_the_admin_login_count_for_masuk_too(client, official_a, settings):
    settings.LOGIN_MAX_FAILURES_PER_USER = 3
    for _ in range(3):
        _admin_login(client, "alice", "wrong")
    response = client.post("/masuk/", {"username": "alice", "password": testing.PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_success_on_the_admin_login_does_not_lift_the_address_limit(client, regency, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 3
    testing.create_official("root", unit=regency, role="admin", is_staff=True, is_superuser=True)
    for name in ("a", "b", "c"):
        client.post("/masuk/", {"username": name, "password": "x"})
    assert _admin_login(client, "root", testing.PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


def test_bad_api_tokens_are_limited_per_address(official_a, settings):
    settings.API_MAX_FAILURES_PER_IP = 3
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    _token, key = ApiToken.issue(official_a, name="t")
    # Even a good token waits: the address is guessing.
    response = client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 429
    other = client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer nope", REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 401


def test_forwarded_headers_are_ignored_by_default(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")
    assert limits.client_ip(request) == "10.0.0.1"


def test_the_client_is_read_through_the_trusted_proxies_only(settings):
    settings.TRUSTED_PROXIES = 1
    forged = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4", REMOTE_ADDR="10.0.0.1"
    )
    # The proxy appended 1.2.3.4 (who connected to it); 6.6.6.6 was written by the client.
    assert limits.client_ip(forged) == "1.2.3.4"
    settings.TRUSTED_PROXIES = 2
    assert limits.client_ip(forged) == "6.6.6.6"
    garbage = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="nonsense", REMOTE_ADDR="10.0.0.1")
    assert limits.client_ip(garbage) == "10.0.0.1"


def test_web_reports_behind_a_proxy_are_counted_per_client(client, settings, db):
    settings.TRUSTED_PROXIES = 1
    settings.PORTAL_REPORTS_PER_HOUR = 1
    data = {"type": "complaint", "text": "Lampu PJU di perempatan mati.", "visibility": "public"}
    first = client.post("/lapor/", data, HTTP_X_FORWARDED_FOR="1.1.1.1")
    second = client.post("/lapor/", data, HTTP_X_FORWARDED_FOR="2.2.2.2")
    again = client.post("/lapor/", data, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert (first.status_code, second.status_code, again.status_code) == (302, 302, 429)
    # In the database, where every process sees it.
    assert Attempt.objects.filter(scope=limits.REPORT_IP).count() == 2
