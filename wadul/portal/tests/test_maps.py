"""Maps of cases per kecamatan and per desa, drawn from imported boundaries."""

from __future__ import annotations

import json
import re

import pytest

from wadul import testing
from wadul.organisation.models import Region
from wadul.routing.boundaries import import_boundaries


def square(lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def bare_regions(db, tmp_path) -> dict[str, Region]:
    """Regions as `wadul import_regions` leaves them (no coordinates), then their boundaries
    imported: two kecamatan squares, two desa squares inside Glagah."""
    regency = testing.create_region("35.10", "Banyuwangi")
    glagah = testing.create_region("35.10.12", "Glagah", parent=regency)
    genteng = testing.create_region("35.10.08", "Genteng", parent=regency)
    kemiren = testing.create_region("35.10.12.2006", "Kemiren", parent=glagah)
    olehsari = testing.create_region("35.10.12.2007", "Olehsari", parent=glagah)
    features = [
        ("35.10.12", square(114.3, -8.3, 0.2)),
        ("35.10.08", square(114.0, -8.4, 0.2)),
        ("35.10.12.2006", square(114.3, -8.3, 0.1)),
        ("35.10.12.2007", square(114.4, -8.3, 0.1)),
    ]
    path = tmp_path / "batas.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"properties": {"code": c}, "geometry": g} for c, g in features],
            }
        )
    )
    import_boundaries(path)
    return {"glagah": glagah, "genteng": genteng, "kemiren": kemiren, "olehsari": olehsari}


@pytest.fixture
def located_cases(bare_regions, unit_a, unit_b):
    for region in ("kemiren", "kemiren", "olehsari"):
        testing.create_case(unit=unit_a, region=bare_regions[region])
    testing.create_case(unit=unit_b, region=bare_regions["genteng"])


def _shades(svg: str) -> dict[str, float]:
    """Each drawn area's title → its shade."""
    return {
        title: float(opacity)
        for opacity, title in re.findall(
            r'<path d="[^"]+" class="map-area" fill-opacity="([\d.]+)"><title>([^<]+)</title>',
            svg,
        )
    }


def test_the_kecamatan_map_is_drawn_from_the_boundaries_shaded_by_count(client, located_cases):
    response = client.get("/statistik/")
    shades = _shades(str(response.context["map"]))
    assert set(shades) == {"Kec. Glagah: 3", "Kec. Genteng: 1"}
    assert shades["Kec. Glagah: 3"] > shades["Kec. Genteng: 1"]
    page = response.content.decode()
    assert "kecamatan=35.10.12#peta" in page  # the list leads to the desa map


def test_the_desa_map_of_a_kecamatan_counts_cases_per_desa(client, located_cases):
    response = client.get("/statistik/", {"kecamatan": "35.10.12"})
    assert {r.name: n for r, n in response.context["region_counts"]} == {
        "Kemiren": 2,
        "Olehsari": 1,
    }
    shades = _shades(str(response.context["map"]))
    assert set(shades) == {"Desa Kemiren: 2", "Desa Olehsari: 1"}
    page = response.content.decode()
    assert "Kasus per desa di Kec. Glagah" in page and "Genteng" not in str(response.context["map"])


def test_an_unknown_kecamatan_shows_every_kecamatan(client, located_cases):
    response = client.get("/statistik/", {"kecamatan": "35.10.99"})
    assert response.status_code == 200 and response.context["kecamatan"] is None


def test_the_report_forms_picker_draws_the_kecamatan_outlines(client, bare_regions):
    page = client.get("/lapor/").content.decode()
    assert 'id="picker"' in page and page.count('class="map-outline"') == 2
