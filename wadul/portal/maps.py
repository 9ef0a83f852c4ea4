"""Maps drawn on the server as SVG: no tiles, no front-end build, they render offline.

Kecamatan and desa are drawn from their imported boundaries (`wadul import_boundaries`,
`routing.RegionBoundary`), shaded by a count; a region without a boundary is drawn at its
representative point (`Region.latitude/longitude`) as a circle whose area is proportional to
the count. The same projection backs the report form's point picker, where a click on the
map sets the coordinates.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from html import escape
from typing import Any

from django.db.models import Count, Max
from django.utils.safestring import SafeString, mark_safe
from shapely.geometry import shape

from wadul.organisation.models import Region
from wadul.routing.models import RegionBoundary

WIDTH = 640
MARGIN = 24


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection of a bounding box onto the SVG canvas."""

    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float

    @property
    def _scale(self) -> float:
        span = (self.max_lng - self.min_lng) * math.cos(math.radians(self._mid_lat))
        return (WIDTH - 2 * MARGIN) / max(span, 1e-6)

    @property
    def _mid_lat(self) -> float:
        return (self.min_lat + self.max_lat) / 2

    @property
    def height(self) -> int:
        return int((self.max_lat - self.min_lat) * self._scale + 2 * MARGIN)

    def xy(self, lat: float, lng: float) -> tuple[float, float]:
        x = MARGIN + (lng - self.min_lng) * math.cos(math.radians(self._mid_lat)) * self._scale
        y = MARGIN + (self.max_lat - lat) * self._scale
        return round(x, 1), round(y, 1)


def regions_with_points(level: int, parent: Region | None = None) -> list[Region]:
    regions = Region.objects.filter(level=level, latitude__isnull=False, longitude__isnull=False)
    if parent is not None:
        regions = regions.filter(parent=parent)
    return list(regions.select_related("parent").order_by("code"))


def projection_for(
    regions: list[Region], shapes: dict[str, Any] | None = None
) -> Projection | None:
    lats = [r.latitude for r in regions]
    lngs = [r.longitude for r in regions]
    for geometry in (shapes or {}).values():
        min_lng, min_lat, max_lng, max_lat = geometry.bounds
        lats += [min_lat, max_lat]
        lngs += [min_lng, max_lng]
    if not lats:
        return None
    pad = 0.02
    return Projection(min(lats) - pad, max(lats) + pad, min(lngs) - pad, max(lngs) + pad)


# --- boundaries ------------------------------------------------------------------------------

# (level, parent code) → (version of the imported boundaries, simplified shapes by code)
_outlines: dict[tuple, tuple[tuple, dict[str, Any]]] = {}
_lock = threading.Lock()


def outlines(level: int, parent: Region | None = None) -> dict[str, Any]:
    """Simplified boundary polygons (shapely, lon/lat) of the regions of a level, by code.

    Simplified to about a three-hundredth of the map's width, which keeps a regency's map a
    few tens of kilobytes; kept in memory until boundaries are imported again.
    """
    boundaries = RegionBoundary.objects.filter(region__level=level)
    if parent is not None:
        boundaries = boundaries.filter(region__parent=parent)
    version = boundaries.aggregate(n=Count("pk"), at=Max("imported_at"))
    if not version["n"]:
        return {}
    key, stamp = (level, parent.code if parent else None), (version["n"], version["at"])
    cached = _outlines.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rows = boundaries.values_list("region_id", "geometry")
    geometries = {code: shape(geometry) for code, geometry in rows}
    min_lng = min(g.bounds[0] for g in geometries.values())
    max_lng = max(g.bounds[2] for g in geometries.values())
    tolerance = (max_lng - min_lng) / 300
    found = {code: g.simplify(tolerance, preserve_topology=True) for code, g in geometries.items()}
    with _lock:
        _outlines[key] = (stamp, found)
    return found


def _path(projection: Projection, geometry: Any) -> str:
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [projection.xy(lat, lng) for lng, lat in ring.coords]
            parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


def _open_svg(projection: Projection, label: str, extra: str = "") -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {projection.height}" '
        f'role="img" aria-label="{escape(label)}" class="map" {extra}>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{projection.height}" class="map-bg"/>',
    ]


def picker_map() -> dict | None:
    """The report form's map: click to set a point. None when no region has coordinates."""
    kecamatan = regions_with_points(Region.Level.KECAMATAN)
    shapes = outlines(Region.Level.KECAMATAN)
    projection = projection_for(kecamatan, shapes)
    if projection is None:
        return None
    data = (
        f'data-min-lat="{projection.min_lat}" data-max-lat="{projection.max_lat}" '
        f'data-min-lng="{projection.min_lng}" data-max-lng="{projection.max_lng}" '
        f'data-margin="{MARGIN}" data-width="{WIDTH}" data-height="{projection.height}" '
        'id="picker"'
    )
    parts = _open_svg(projection, "Peta: klik untuk memilih lokasi", data)
    parts += [f'<path d="{_path(projection, g)}" class="map-outline"/>' for g in shapes.values()]
    for region in kecamatan:
        x, y = projection.xy(region.latitude, region.longitude)
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" class="map-dot"/>')
        parts.append(
            f'<text x="{x + 5}" y="{y + 4}" class="map-label">{escape(region.name)}</text>'
        )
    parts.append('<circle id="picker-pin" cx="-10" cy="-10" r="7" class="map-pin"/>')
    parts.append("</svg>")
    return {"svg": mark_safe("".join(parts)), "projection": projection}  # noqa: S308


def cases_map(
    counts: dict[str, int], level: int, *, label: str, parent: Region | None = None
) -> SafeString | None:
    """Regions shaded by their number of cases (their boundary, or a circle whose area is
    proportional to the count where no boundary was imported)."""
    shapes = outlines(level, parent)
    points = regions_with_points(level, parent)
    projection = projection_for(points, shapes)
    if projection is None:
        return None
    names = Region.objects.filter(level=level)
    if parent is not None:
        names = names.filter(parent=parent)
    regions = {r.code: r for r in names}
    biggest = max(counts.values(), default=0) or 1
    parts = _open_svg(projection, label)
    for code, geometry in sorted(shapes.items()):
        count = counts.get(code, 0)
        title = escape(f"{regions[code].label}: {count}")
        parts.append(
            f'<path d="{_path(projection, geometry)}" class="map-area" '
            f'fill-opacity="{0.06 + 0.84 * count / biggest:.2f}"><title>{title}</title></path>'
        )
    for region in sorted(points, key=lambda r: -counts.get(r.code, 0)):
        if region.code in shapes:
            continue
        x, y = projection.xy(region.latitude, region.longitude)
        count = counts.get(region.code, 0)
        radius = 2 + 22 * math.sqrt(count / biggest)
        title = escape(f"{region.label}: {count}")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius:.1f}" class="map-count">'
            f"<title>{title}</title></circle>"
        )
    if level == Region.Level.KECAMATAN or parent is not None:
        for code, geometry in sorted(shapes.items()):
            point = geometry.representative_point()
            x, y = projection.xy(point.y, point.x)
            parts.append(
                f'<text x="{x}" y="{y}" text-anchor="middle" class="map-label">'
                f"{escape(regions[code].name)}</text>"
            )
        for region in points:
            if region.code in shapes:
                continue
            x, y = projection.xy(region.latitude, region.longitude)
            radius = 2 + 22 * math.sqrt(counts.get(region.code, 0) / biggest)
            parts.append(
                f'<text x="{x}" y="{y + radius + 10:.1f}" text-anchor="middle" '
                f'class="map-label">{escape(region.name)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
