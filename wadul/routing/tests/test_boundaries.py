"""`wadul import_boundaries` and the desa a pin falls in."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Point, shape

from wadul.organisation.models import Region
from wadul.organisation.regions import import_regions
from wadul.routing.boundaries import kemendagri_code, region_at
from wadul.routing.models import RegionBoundary

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
REAL_FILE = SHARED / "banyuwangi_boundaries.geojson"
REAL_POINTS = SHARED / "banyuwangi_regions_latlng.csv"


def square(lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def geojson(tmp_path, regions) -> Path:
    """Kec. Genteng as a 0.2° square holding two desa squares; codes in another property
    and without dots, as some sources write them."""
    features = [
        {"properties": {"kode": "351009", "nama": "Genteng"}, "geometry": square(114.0, -8.4, 0.2)},
        {
            "properties": {"kode": "3510092002", "nama": "Genteng Wetan"},
            "geometry": square(114.0, -8.4, 0.1),
        },
        {
            "properties": {"kode": "3510092003", "nama": "Genteng Kulon"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [square(114.1, -8.4, 0.1)["coordinates"]],
            },
        },
        {"properties": {"kode": "3599", "nama": "elsewhere"}, "geometry": square(0, 0, 1)},
        {"properties": {"nama": "no code"}, "geometry": square(0, 0, 1)},
    ]
    path = tmp_path / "regency.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_it_imports_polygons_by_kemendagri_code_and_maps_pins_to_desa(geojson, capsys):
    call_command("import_boundaries", str(geojson))
    assert "3 boundaries imported" in capsys.readouterr().out
    assert region_at(-8.35, 114.05).name == "Genteng Wetan"
    assert region_at(-8.35, 114.15).name == "Genteng Kulon"
    assert region_at(-8.25, 114.05).name == "Genteng"  # inside the kecamatan, no desa polygon
    assert region_at(-7.0, 112.0) is None


def test_importing_twice_changes_nothing(geojson):
    call_command("import_boundaries", str(geojson))
    first = list(RegionBoundary.objects.values_list("region_id", "min_lon", "max_lat"))
    call_command("import_boundaries", str(geojson))
    assert list(RegionBoundary.objects.values_list("region_id", "min_lon", "max_lat")) == first


def test_importing_gives_regions_without_coordinates_a_point_inside_their_boundary(
    geojson, regions
):
    placed = regions["Genteng"]  # curated coordinates are kept
    placed.latitude, placed.longitude = -8.3, 114.15
    placed.save()
    call_command("import_boundaries", str(geojson))
    for boundary in RegionBoundary.objects.select_related("region"):
        region = boundary.region
        assert shape(boundary.geometry).contains(Point(region.longitude, region.latitude))
    placed.refresh_from_db()
    assert (placed.latitude, placed.longitude) == (-8.3, 114.15)


def test_importing_again_marks_the_boundaries_new(geojson):
    # Processes that keep prepared shapes (routing, portal maps) compare this time.
    call_command("import_boundaries", str(geojson))
    first = dict(RegionBoundary.objects.values_list("region_id", "imported_at"))
    call_command("import_boundaries", str(geojson))
    again = dict(RegionBoundary.objects.values_list("region_id", "imported_at"))
    assert all(again[code] > first[code] for code in first)


def test_a_file_that_is_not_geojson_is_refused(tmp_path, db):
    bad = tmp_path / "bad.geojson"
    bad.write_text("[1, 2]")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(bad))


def test_codes_are_read_dotted_or_not_from_usual_properties():
    assert kemendagri_code({"code": "35.10.01.2001"}) == "35.10.01.2001"
    assert kemendagri_code({"KDEPUM": "3510012001"}) == "35.10.01.2001"
    assert kemendagri_code({"name": "x", "kode_kec": "35.10.01"}) == "35.10.01"
    assert kemendagri_code({"name": "x"}) is None


@pytest.mark.skipif(not REAL_FILE.exists(), reason="the real Banyuwangi file is not here")
@pytest.mark.django_db
def test_on_the_real_banyuwangi_file_pins_land_in_their_own_desa():
    import_regions("35.10")
    call_command("import_boundaries", str(REAL_FILE))
    assert RegionBoundary.objects.count() == Region.objects.filter(level__gte=2).count()
    points = [r for r in csv.DictReader(REAL_POINTS.open()) if r["level"] == "desa"]
    hits = sum(
        1
        for r in points
        if (found := region_at(float(r["lat"]), float(r["lng"]))) and found.code == r["code"]
    )
    assert hits / len(points) >= 0.95, f"{hits}/{len(points)}"
