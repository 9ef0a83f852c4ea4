"""A WhatsApp number typed on a web report is linked only after the code sent to it on
WhatsApp is typed back; an anonymous report never shows the name of the number's owner."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, CaseType, ContactIdentity, Via, Visibility
from wadul.portal import services as portal_services

NUMBER = "6281234567890"  # the `citizen` persona's, "Siti Rahayu"


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def central_number(central_desk):
    return testing.create_number(central_desk, "100000001", is_central=True)


def _outbox(**filters):
    # The WhatsApp channel's outbox, read by name: the portal does not import a channel.
    return apps.get_model("whatsapp", "OutboundMessage").objects.filter(**filters)


def _sent_code() -> str:
    row = _outbox(recipient=NUMBER).order_by("-id").first()
    return re.search(r"\b(\d{6})\b", row.content["text"]).group(1)


def _report(client, commits, **fields):
    data = {
        "type": "complaint",
        "text": "Lampu PJU di perempatan mati seminggu.",
        "visibility": "public",
        "whatsapp": "0812 3456 7890",
        **fields,
    }
    with commits(execute=True):
        assert client.post("/lapor/", data).status_code == 302
    return Case.objects.get()


def test_a_typed_number_is_not_linked_until_its_code_comes_back(
    client,
    citizen,
    central_number,
    unit_a,
    official_a,
    operator,
    commits,
):
    case = _report(client, commits, name="Penipu")
    assert case.contact != citizen
    assert ContactIdentity.objects.filter(value=NUMBER).get().contact == citizen
    # Answers do not go to a number nobody has confirmed.
    services.assign(case, unit=unit_a, actor=operator, via=Via.INBOX)
    with commits(execute=True):
        services.answer(case, text="Kami cek besok.", actor=official_a, via=Via.INBOX)
    assert not _outbox(recipient=NUMBER, purpose="answer").exists()

    page = client.get(f"/k/{case.access_token}/").content.decode()
    assert 'id="verify-whatsapp"' in page
    wrong = client.post(f"/k/{case.access_token}/wa/", {"code": "000000"})
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    assert Case.objects.get(pk=case.pk).contact != citizen
    right = client.post(f"/k/{case.access_token}/wa/", {"code": _sent_code()})
    assert right.status_code == 302
    assert Case.objects.get(pk=case.pk).contact == citizen


def test_wrong_codes_are_limited(client, citizen, central_number, commits):
    case = _report(client, commits)
    for _ in range(5):
        client.post(f"/k/{case.access_token}/wa/", {"code": "000000"})
    response = client.post(f"/k/{case.access_token}/wa/", {"code": _sent_code()})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).contact is None


def test_an_anonymous_report_never_shows_the_numbers_owner(
    client, citizen, central_number, unit_a, official_a, commits
):
    with commits(execute=True):
        case = portal_services.submit_report(
            type=CaseType.COMPLAINT,
            text="Pungutan liar di kantor desa.",
            visibility=Visibility.ANONYMOUS,
            wa_number=NUMBER,
            unit=unit_a,
        )
    portal_services.confirm_whatsapp(case, _sent_code())
    assert Case.objects.get(pk=case.pk).contact == citizen  # answers can reach them
    testing.login(client, official_a)
    page = client.get(f"/inbox/kasus/{case.tracking_number}/").content.decode()
    assert "Pungutan liar" in page
    assert "Siti" not in page and "Rahayu" not in page


def test_the_typed_numbers_rows_go_7_days_after_their_code_expired(
    client, central_number, unit_a, commits
):
    from datetime import timedelta

    from django.utils import timezone

    from wadul.core import retention
    from wadul.portal.models import WhatsAppVerification

    old = _report(client, commits)
    recent = testing.create_case(unit=unit_a)
    with commits(execute=True):
        portal_services.start_whatsapp_verification(recent, NUMBER)
    now = timezone.now()
    WhatsAppVerification.objects.filter(case=old).update(expires_at=now - timedelta(days=8))
    WhatsAppVerification.objects.filter(case=recent).update(expires_at=now - timedelta(days=6))

    assert retention.run(dry_run=True)["portal_codes"] == 1
    assert retention.run()["portal_codes"] == 1
    assert list(WhatsAppVerification.objects.values_list("case", flat=True)) == [recent.pk]
    assert Case.objects.filter(pk=old.pk).exists()
