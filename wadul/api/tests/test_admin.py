"""API tokens are issued and revoked in the admin; the key is shown once and then works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wadul import testing
from wadul.api.models import ApiToken
from wadul.organisation.models import Official


@pytest.fixture
def admin_user(regency):
    return testing.create_official(
        "root", unit=regency, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )


def _shown_key(response) -> str:
    messages = [str(m) for m in response.context["messages"]]
    [key] = [k for m in messages for k in re.findall(r"wdl_[\w\-]+", m)]
    return key


def test_an_admin_issues_a_token_that_acts_as_its_official(client, admin_user, official_a, case_a):
    testing.login(client, admin_user)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"official": official_a.pk, "name": "dasbor dinas"},
        follow=True,
    )
    assert response.status_code == 200
    key = _shown_key(response)
    token = ApiToken.objects.get()
    assert token.official == official_a and token.prefix == key[4:12]
    assert key not in token.key_hash  # only the hash is stored
    client.logout()
    listed = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [c["tracking_number"] for c in listed] == [case_a.tracking_number]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_admin_revokes_a_token(client, admin_user, official_a):
    token, key = ApiToken.issue(official_a, "lama")
    testing.login(client, admin_user)
    page = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert "lama" in page and token.prefix in page and key not in page
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_officials_without_admin_rights_cannot_issue_tokens(client, official_a):
    client.force_login(official_a)
    response = client.get(reverse("admin:api_apitoken_add"))
    assert response.status_code == 302 and "/login/" in response["Location"]
