"""The one rule for staff surfaces, proven on every URL Django resolves.

Anonymous visitors are sent to log in, and a supervisor (or admin) who has not entered the
second factor is sent to enter it, on every URL that is not listed as public — /pantau/
included. URLs added later are walked too.
"""

from __future__ import annotations

import pytest
from django.test import Client

from wadul import testing
from wadul.core.tests.urlwalk import all_urls
from wadul.inbox.security import OWN_AUTH_NAMESPACES, PUBLIC_URLS, SECOND_FACTOR_EXEMPT

URLS = all_urls()
STAFF = [u for u in URLS if u.view_name not in PUBLIC_URLS and u.namespaces[:1] != ("api",)]
STAFF = [u for u in STAFF if not (u.namespaces and u.namespaces[0] in OWN_AUTH_NAMESPACES)]


def test_the_walk_sees_the_staff_surfaces_and_the_public_list_is_what_we_mean():
    names = {u.view_name for u in STAFF}
    assert {"portal:dashboard", "portal:photo_queue", "portal:monthly_report_csv"} <= names
    assert {"inbox:case_list", "admin:index", "portal:publication"} <= names
    # Nothing under /pantau/, /inbox/ or /admin/ is public, except the admin's login page.
    public_staff_paths = [
        u.path
        for u in URLS
        if u.view_name in PUBLIC_URLS and u.path.startswith(("/pantau/", "/inbox/", "/admin/"))
    ]
    assert public_staff_paths == ["/admin/login/"]


def test_anonymous_visitors_are_sent_to_log_in_on_every_staff_url(db):
    client = Client()
    for url in STAFF:
        for method in (client.get, client.post):
            response = method(url.path)
            assert response.status_code == 302, (url.path, response.status_code)
            assert "/masuk/" in response["Location"] or "/admin/login/" in response["Location"], (
                url.path
            )


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_the_second_factor_is_asked_on_every_staff_url(persona, regency, request):
    if persona == "admin":
        official = testing.create_official(
            "root", unit=regency, role="admin", is_staff=True, is_superuser=True
        )
    else:
        official = request.getfixturevalue("supervisor")
    client = Client()
    assert client.login(username=official.username, password=testing.PASSWORD)
    for url in STAFF:
        if url.view_name in SECOND_FACTOR_EXEMPT:
            continue
        response = client.get(url.path)
        assert response.status_code == 302, (url.path, response.status_code)
        assert response["Location"].startswith("/inbox/akun/2fa/"), url.path


def test_a_verified_supervisor_opens_the_dashboard(client, supervisor):
    testing.login(client, supervisor)
    assert client.get("/pantau/").status_code == 200
