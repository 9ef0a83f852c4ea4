"""`wadul whatsapp_setup` against the simulator's business account."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from wadul.whatsapp.conftest import CENTRAL_PNID, UNIT_PNID, WABA_ID


def setup(capsys, *args) -> tuple[str, bool]:
    try:
        call_command("whatsapp_setup", *args)
        ok = True
    except CommandError:
        ok = False
    return capsys.readouterr().out, ok


def test_a_complete_installation_is_connected_and_subscribed(
    simulator, settings, capsys, unit_number, central_number
):
    settings.SITE_URL = "https://wadul.banyuwangikab.go.id"
    simulator.register_number(UNIT_PNID, "+62 811-3500-201", quality_rating="YELLOW")
    out, ok = setup(capsys)
    assert ok, out
    assert (
        "OK   Webhook URL" in out and "https://wadul.banyuwangikab.go.id/webhooks/whatsapp/" in out
    )
    assert "OK   Access token is valid" in out and "never expires" in out
    assert "2 phone number(s) on the account, 1 with a low quality rating" in out
    assert f"{UNIT_PNID}  +62 811-3500-201" in out and "quality YELLOW  limit TIER_1K" in out
    assert "OK   App subscribed" in out
    assert simulator.simulator.subscribed_apps == {WABA_ID}


def test_it_says_what_is_missing(simulator, settings, capsys, unit_number):
    settings.WHATSAPP_VERIFY_TOKEN = ""
    out, ok = setup(capsys, "--no-subscribe")
    assert not ok
    assert "TODO Webhook URL" in out and "HTTPS" in out  # SITE_URL is http:// here
    assert "TODO WHATSAPP_VERIFY_TOKEN is set" in out
    # The central number is on Meta's account but not registered in Wadul.
    assert f"Register {CENTRAL_PNID}" in out
    assert "App subscribed" not in out
    assert simulator.simulator.subscribed_apps == set()


def test_a_wrong_token_is_reported_not_raised(simulator, settings, capsys):
    settings.SITE_URL = "https://wadul.example.go.id"
    settings.WHATSAPP_ACCESS_TOKEN = "expired-token"
    out, ok = setup(capsys)
    assert not ok
    assert "TODO Access token" in out and "error 190" in out


@pytest.mark.django_db
def test_without_a_token_or_account_nothing_is_called(settings, capsys):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_WABA_ID = ""
    out, ok = setup(capsys)
    assert not ok
    assert "TODO WHATSAPP_ACCESS_TOKEN is set" in out and "System users" in out
    assert "TODO WHATSAPP_WABA_ID is set" in out
    assert "Access token is" not in out
