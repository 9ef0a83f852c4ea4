"""Every public page, export, feed and Open311 read, one reporter's identity: none of it shows.

The reporter's name, WhatsApp number, NIK and e-mail address are written into the case text
and the answer in the forms citizens and officials really use; the contact carries the name
and the number. Each public surface is then read in full and searched for any piece of them.
"""

from __future__ import annotations

import re

import pytest

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Via
from wadul.core import codes
from wadul.portal import services as portal_services
from wadul.portal.open311.models import ApiKey
from wadul.portal.tests.conftest import png_file

# Pieces of the reporter's identity that must not appear anywhere public.
SECRETS = [
    "Bambang",
    "Sutrisno",
    "7777",
    "8888",
    "6281377778888",
    "081377778888",  # the number in its local form, without separators
    "0123",
    "8901",
    "3510012345678901",  # the NIK written without its spaces
    "gmail",
    "bambang.s",
]


def _shows(body: str, secret: str) -> bool:
    """A digit group counts as shown only as a number of its own: "8901" is the end of the
    NIK in "4567 8901", not the microseconds of a feed's "16:48:59.028901" (which made this
    test fail now and then)."""
    if secret.isdigit():
        return re.search(rf"(?<!\d){secret}(?!\d)", body) is not None
    return secret.lower() in body.lower()


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _public_surfaces(client, case: Case) -> dict[str, str]:
    number = case.tracking_number
    urls = {
        "list": "/kasus/",
        "list filtered": f"/kasus/?unit={case.unit.code}&kecamatan=35.10.12",
        "case page": f"/kasus/{number}/",
        "tracking": f"/lacak/{number}/",
        "csv": "/data/kasus.csv",
        "json": "/data/kasus.json",
        "atom": "/data/jawaban.atom",
        "open311 list json": "/open311/v2/requests.json",
        "open311 list xml": "/open311/v2/requests.xml",
        "open311 json": f"/open311/v2/requests/{number}.json",
        "open311 xml": f"/open311/v2/requests/{number}.xml",
        "league": "/statistik/",
        "league json": "/data/statistik.json",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = _body(response)
    return pages


@pytest.mark.parametrize("visibility", ["public", "anonymous"])
def test_no_public_surface_shows_the_reporters_identity(
    client, visibility, unit_a, official_a, operator, regions
):
    reporter = testing.create_contact("Bambang Sutrisno", wa_id="6281377778888")
    case = testing.create_case(
        unit=unit_a,
        contact=reporter,
        visibility=visibility,
        region=regions["kemiren"],
        text=(
            "Saya Bambang Sutrisno, NIK 3510 0123\n4567 8901, WA +62 813-7777-8888 atau "
            "0813.7777.8888, email bambang.s@gmail.com. Jembatan desa Kemiren retak."
        ),
    )
    services.answer(
        case,
        text="Pak Bambang, jembatan sudah kami cek. Kami telepon ke 0813 7777 8888 besok.",
        actor=official_a,
        via=Via.INBOX,
    )
    photo = services.add_attachment(
        case, file=png_file(), content_type="image/png", actor=None, via=Via.WEB
    )
    portal_services.approve_photo(photo, actor=operator)

    pages = _public_surfaces(client, case)

    assert case.tracking_number in pages["case page"] and "Jembatan" in pages["case page"]
    assert "jembatan sudah kami cek" in pages["atom"]
    for name, body in pages.items():
        for secret in SECRETS:
            assert not _shows(body, secret), (name, secret)


def test_searching_for_the_reporters_identity_finds_nothing(client, unit_a, regions):
    reporter = testing.create_contact("Bambang Sutrisno", wa_id="6281377778888")
    case = testing.create_case(
        unit=unit_a, contact=reporter, text="Saya Bambang, HP 0813 7777 8888. Jembatan retak."
    )
    for secret in ("Bambang", "7777", "Jembatan"):
        for url in ("/kasus/", "/data/kasus.csv", "/data/kasus.json"):
            found = case.tracking_number in _body(client.get(url, {"q": secret}))
            assert found == (secret == "Jembatan"), (url, secret)


def test_the_name_given_on_the_form_is_masked_when_the_number_is_already_known(
    client, citizen, unit_a, operator
):
    # The WhatsApp number belongs to a contact known as "Siti Rahayu"; this report is
    # signed by someone else on the same phone.
    response = client.post(
        "/lapor/",
        {
            "type": "complaint",
            "text": "Saya Budi Santoso dari RT 02, lampu jalan mati seminggu.",
            "visibility": "public",
            "name": "Budi Santoso",
            "whatsapp": "0812 3456 7890",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    # Once the reporter types back the code sent to the number, the case is its owner's.
    verification = case.whatsapp_verification
    code = "123456"
    verification.code_digest = codes.digest(code, portal_services.VERIFY_PURPOSE)
    verification.save()
    portal_services.confirm_whatsapp(case, code)
    case.refresh_from_db()
    assert case.contact == citizen
    services.assign(case, unit=unit_a, actor=operator, via=Via.INBOX)
    page = client.get(f"/kasus/{case.tracking_number}/").content.decode()
    assert "lampu jalan mati" in page
    assert "Budi" not in page and "Santoso" not in page


def test_an_open311_address_is_masked(client, unit_a):
    key = ApiKey.issue("city app")[1]
    created = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "DPU",
            "description": "Saluran air tersumbat sampah di depan rumah.",
            "address_string": "Rumah Pak Joko Susilo, Jl. Melati 5, HP 0813 7777 8888",
            "first_name": "Joko",
            "last_name": "Susilo",
        },
    )
    number = created.json()[0]["service_request_id"]
    for url in (f"/open311/v2/requests/{number}.json", "/open311/v2/requests.json"):
        [record] = client.get(url).json()
        assert "Jl. Melati" in record["address"]
        for secret in ("Joko", "Susilo", "7777"):
            assert secret not in record["address"] and secret not in record["description"]
