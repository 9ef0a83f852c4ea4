"""Open311 API keys are issued and revoked in the admin; the key is shown once and then works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wadul import testing
from wadul.organisation.models import Official
from wadul.portal.open311.models import ApiKey

REQUEST = {
    "service_code": "complaint",
    "lat": "-8.2",
    "long": "114.3",
    "description": "Lampu PJU mati di depan balai desa",
}


@pytest.fixture
def admin_user(regency):
    return testing.create_official(
        "root", unit=regency, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )


def test_an_admin_issues_a_key_shown_once(client, admin_user):
    testing.login(client, admin_user)
    response = client.post(
        reverse("admin:open311_apikey_add"),
        {"name": "SP4N-LAPOR!", "contact": "tim@lapor.go.id"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    [key] = [k for m in messages for k in re.findall(r"o311_[\w\-]+", m)]
    api_key = ApiKey.objects.get()
    assert api_key.prefix == key[5:13] and key not in api_key.key_hash
    client.logout()
    created = client.post("/open311/v2/requests.json", {"api_key": key, **REQUEST})
    assert created.status_code == 200 and created.json()[0]["service_request_id"]
    page = client.get(reverse("admin:open311_servicerequest_changelist"))
    assert page.status_code == 302  # logged out: the admin refuses


def test_an_admin_revokes_a_key(client, admin_user):
    api_key, key = ApiKey.issue("aplikasi kota")
    testing.login(client, admin_user)
    client.post(
        reverse("admin:open311_apikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    client.logout()
    assert client.post("/open311/v2/requests.json", {"api_key": key, **REQUEST}).status_code == 403


def test_the_requests_a_client_filed_are_listed_read_only(client, admin_user):
    key = ApiKey.issue("aplikasi kota")[1]
    client.post("/open311/v2/requests.json", {"api_key": key, **REQUEST})
    testing.login(client, admin_user)
    page = client.get(reverse("admin:open311_servicerequest_changelist"))
    assert page.status_code == 200 and "aplikasi kota" in page.content.decode()
    assert client.get(reverse("admin:open311_servicerequest_add")).status_code == 403
