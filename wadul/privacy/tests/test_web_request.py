"""A personal-data request on the web: the WhatsApp number proves who asks by the code sent
to it; confirmed, it is a case of the number's owner on the DPO's unit. A number that owns
no data is told so, and the page never says whether a number has data."""

from __future__ import annotations

import re

import pytest

from wadul import testing
from wadul.cases.models import Case, Status
from wadul.core import codes
from wadul.privacy import requests


@pytest.fixture
def sent_codes():
    """The texts a WhatsApp channel would deliver, caught before it."""
    sent: list[tuple[str, str]] = []

    def catch(wa_id: str, text: str) -> bool:
        sent.append((wa_id, text))
        return True

    codes.SENDERS.insert(0, catch)
    yield sent
    codes.SENDERS.remove(catch)


@pytest.fixture
def pdp(regency):
    return testing.create_unit("Pejabat PDP", parent=regency, code="PDP")


def _ask(client, number: str, right: str = "akses"):
    return client.post("/privasi/permintaan/", {"whatsapp": number, "right": right})


def test_the_code_sent_to_the_number_opens_the_request_of_its_owner(
    client, citizen, case_a, pdp, sent_codes
):
    assert client.get("/privasi/permintaan/").status_code == 200
    page = _ask(client, "0812 3456 7890")
    assert page.status_code == 302
    ((wa_id, text),) = sent_codes
    assert wa_id == "6281234567890"
    code = re.search(r"\d{6}", text).group()
    wrong = client.post(page.url, {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    done = client.post(page.url, {"code": code})
    request = Case.objects.get(type=requests.CODE)
    assert done.url == f"/k/{request.access_token}/"
    assert request.contact == citizen and request.unit == pdp
    assert request.details == {"hak": "akses"} and request.channel == "web"


def test_a_number_with_no_data_is_told_so(
    client, pdp, sent_codes, django_capture_on_commit_callbacks
):
    page = _ask(client, "0813 0000 1111")
    code = re.search(r"\d{6}", sent_codes[0][1]).group()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.url, {"code": code})
    request = Case.objects.get(type=requests.CODE)
    assert request.status == Status.RESOLVED
    answers = list(request.messages.filter(direction="outbound").values_list("text", flat=True))
    assert requests.NO_DATA in answers


def test_codes_to_one_number_are_limited(client, pdp, sent_codes):
    for _ in range(requests.CODES_PER_NUMBER_PER_HOUR):
        assert _ask(client, "0813 0000 2222").status_code == 302
    refused = _ask(client, "0813 0000 2222")
    assert refused.status_code == 400 and len(sent_codes) == requests.CODES_PER_NUMBER_PER_HOUR
