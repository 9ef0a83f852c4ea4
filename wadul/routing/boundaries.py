"""Region polygons from GeoJSON, and the desa a WhatsApp pin falls in."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely import prepared
from shapely.geometry import Point, shape

from wadul.organisation.models import Region
from wadul.routing.models import RegionBoundary

# Where GeoJSON files from different sources keep the Kemendagri code.
CODE_PROPERTIES = (
    "code",
    "kode",
    "kode_wilayah",
    "kode_kemendagri",
    "kd_wilayah",
    "kdepum",
    "kode_desa",
    "kode_kec",
    "id",
)
_CODE = re.compile(r"^\d{2}(\.?\d{2}){0,2}(\.?\d{4})?$")


class BoundaryFileError(ValueError):
    pass


def kemendagri_code(properties: dict[str, Any], prop: str | None = None) -> str | None:
    """The dotted code (35.10.01.2001) of a feature, from `prop` or a usual property name."""
    names = [prop] if prop else [*CODE_PROPERTIES, *properties]
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for name in names:
        value = lowered.get(str(name).lower())
        if value is None:
            continue
        text = str(value).strip()
        if _CODE.match(text):
            return _dotted(text)
    return None


def _dotted(code: str) -> str:
    digits = code.replace(".", "")
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(p for p in parts if p)


@transaction.atomic
def import_boundaries(path: Path | str, *, code_property: str | None = None) -> dict[str, int]:
    """Store the polygon of every feature whose code is a known Region. Idempotent."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BoundaryFileError(f"cannot read {path}: {exc}") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise BoundaryFileError(f"{path} is not a GeoJSON FeatureCollection")
    known = set(Region.objects.values_list("code", flat=True))
    counts = {"imported": 0, "unknown_region": 0, "no_code": 0, "bad_geometry": 0}
    source = Path(path).name[:200]
    for feature in features:
        code = kemendagri_code(feature.get("properties") or {}, code_property)
        if code is None:
            counts["no_code"] += 1
            continue
        if code not in known:
            counts["unknown_region"] += 1
            continue
        geometry = feature.get("geometry")
        try:
            geom = shape(geometry)
            if geom.is_empty:
                raise ValueError("empty")
        except Exception:  # noqa: BLE001 (shapely raises many kinds for bad input)
            counts["bad_geometry"] += 1
            continue
        min_lon, min_lat, max_lon, max_lat = geom.bounds
        RegionBoundary.objects.update_or_create(
            region_id=code,
            defaults={
                "geometry": geometry,
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
                "source": source,
                # Other processes keep prepared shapes keyed by this time.
                "imported_at": timezone.now(),
            },
        )
        # A region without coordinates (import_regions gives none) gets a point inside its
        # boundary: the portal's maps and point picker place regions by it.
        point = geom.representative_point()
        Region.objects.filter(code=code, latitude__isnull=True).update(
            latitude=point.y, longitude=point.x
        )
        counts["imported"] += 1
    _shapes.clear()
    return counts


_shapes: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def _prepared(boundary: RegionBoundary):
    key = (boundary.region_id, boundary.imported_at.isoformat())
    geom = _shapes.get(key)
    if geom is None:
        with _lock:
            geom = prepared.prep(shape(boundary.geometry))
            _shapes[key] = geom
    return geom


def region_at(latitude: float, longitude: float) -> Region | None:
    """The most detailed region (desa before kecamatan) whose polygon holds the point."""
    candidates = (
        RegionBoundary.objects.filter(
            min_lon__lte=longitude,
            max_lon__gte=longitude,
            min_lat__lte=latitude,
            max_lat__gte=latitude,
        )
        .select_related("region__parent")
        .order_by("-region__level", "region_id")
    )
    point = Point(longitude, latitude)
    for boundary in candidates:
        if boundary.region.level < Region.Level.KECAMATAN:
            continue
        if _prepared(boundary).covers(point):
            return boundary.region
    return None
