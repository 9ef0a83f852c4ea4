from __future__ import annotations

import pytest

from wadul.whatsapp.relay.commands import Command, NotACommand, parse


@pytest.mark.parametrize(
    "text, quoted, expected",
    [
        (
            "#K7PM-2XRQ Besok kami tambal",
            False,
            Command("answer", "K7PM-2XRQ", "Besok kami tambal"),
        ),
        ("#k7pm2xrq sudah", False, Command("answer", "K7PM-2XRQ", "sudah")),
        ("Besok kami tambal", True, Command("answer", None, "Besok kami tambal")),
        ("selesai", True, Command("resolve")),
        ("Selesai K7PM-2XRQ", False, Command("resolve", "K7PM-2XRQ")),
        (
            "done k7pm 2xrq catatan: sudah diaspal",
            False,
            Command("resolve", "K7PM-2XRQ", "sudah diaspal"),
        ),
        (
            "Selesai diperbaiki kemarin pak",
            True,
            Command("answer", None, "Selesai diperbaiki kemarin pak"),
        ),
        ("tanya Di RT berapa?", True, Command("clarify", None, "Di RT berapa?")),
        ("ask K7PM-2XRQ where exactly?", False, Command("clarify", "K7PM-2XRQ", "where exactly?")),
        (
            "alihkan dishub parkir liar urusan dishub",
            True,
            Command("transfer", None, "parkir liar urusan dishub", unit_code="DISHUB"),
        ),
        (
            "transfer K7PM-2XRQ DINKES health matter",
            False,
            Command("transfer", "K7PM-2XRQ", "health matter", unit_code="DINKES"),
        ),
        ("unit dinas", False, Command("units", None, "dinas")),
        ("ambil K7PM-2XRQ", False, Command("take", "K7PM-2XRQ")),
        ("kasus", False, Command("mine")),
        ("serah agus", False, Command("handover", None, "agus")),
        ("bantuan", False, Command("help")),
        ("?", False, Command("help")),
    ],
)
def test_parse(text, quoted, expected):
    assert parse(text, quoted=quoted) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty"),
        ("#K7PM-2XRQ", "empty_answer"),
        ("#K7PM-2XR0 halo", "bad_tracking_number"),
        ("halo pak", "unknown"),
        ("tanya", "empty_question"),
        ("alihkan", "missing_unit"),
        ("selesai diperbaiki", "unknown"),
    ],
)
def test_what_is_not_a_command(text, reason):
    assert parse(text, quoted=False) == NotACommand(reason)
