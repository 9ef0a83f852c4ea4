"""The home page: the regency, the Lapor button, the official numbers, figures that match."""

from __future__ import annotations

from wadul import testing
from wadul.organisation.models import Unit


def test_home_names_the_regency_and_lists_the_official_numbers(
    client, settings, unit_a, central_desk
):
    settings.REGENCY_NAME = "Kabupaten Contoh"
    settings.REGENCY_LOGO_URL = "https://contoh.go.id/logo.png"
    testing.create_number(central_desk, "9001", display_number="+62 811-3500-112", is_central=True)
    testing.create_number(unit_a, "9002", display_number="+62 811-3500-201")
    page = client.get("/").content.decode()
    assert "Kabupaten Contoh" in page and 'src="https://contoh.go.id/logo.png"' in page
    assert 'href="/lapor/"' in page and ">Lapor<" in page
    assert 'href="https://wa.me/628113500112"' in page and "+62 811-3500-201" in page
    assert page.index("+62 811-3500-112") < page.index("+62 811-3500-201")  # central first


def test_home_counts_match_the_rest_of_the_portal(client, unit_a, unit_b, pln):
    testing.create_case(unit=unit_a)
    testing.create_case(unit=unit_b)
    response = client.get("/")
    units = Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).count()
    assert response.context["unit_count"] == units
    league = client.get("/statistik/").context["regency"]
    assert response.context["month"]["received"] == league["received"] == 2
    assert f"{units} unit melayani di sini" in response.content.decode()


def test_the_open311_base_url_answers(client, db):
    response = client.get("/open311/v2/")
    assert response.status_code == 200
    body = response.json()
    assert body["resources"]["services"].endswith("/open311/v2/services.json")
    assert body["endpoints"][0]["specification"]
