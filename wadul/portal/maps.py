"""Maps drawn on the server as SVG: no tiles, no front-end build, they render offline.

Kecamatan and desa are drawn at their representative points (`Region.latitude/longitude`)
as circles whose area is proportional to a count; the same projection backs the report
form's point picker, where a click on the map sets the coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from wadul.organisation.models import Region

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


def regions_with_points(level: int) -> list[Region]:
    return list(
        Region.objects.filter(level=level, latitude__isnull=False, longitude__isnull=False)
        .select_related("parent")
        .order_by("code")
    )


def projection_for(regions: list[Region]) -> Projection | None:
    if not regions:
        return None
    lats = [r.latitude for r in regions]
    lngs = [r.longitude for r in regions]
    pad = 0.02
    return Projection(min(lats) - pad, max(lats) + pad, min(lngs) - pad, max(lngs) + pad)


def _open_svg(projection: Projection, label: str, extra: str = "") -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {projection.height}" '
        f'role="img" aria-label="{escape(label)}" class="map" {extra}>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{projection.height}" class="map-bg"/>',
    ]


def picker_map() -> dict | None:
    """The report form's map: click to set a point. None when no region has coordinates."""
    kecamatan = regions_with_points(Region.Level.KECAMATAN)
    projection = projection_for(kecamatan)
    if projection is None:
        return None
    data = (
        f'data-min-lat="{projection.min_lat}" data-max-lat="{projection.max_lat}" '
        f'data-min-lng="{projection.min_lng}" data-max-lng="{projection.max_lng}" '
        f'data-margin="{MARGIN}" data-width="{WIDTH}" data-height="{projection.height}" '
        'id="picker"'
    )
    parts = _open_svg(projection, "Peta: klik untuk memilih lokasi", data)
    for region in kecamatan:
        x, y = projection.xy(region.latitude, region.longitude)
        parts.append(f'<circle cx="{x}" cy="{y}" r="3" class="map-dot"/>')
        parts.append(
            f'<text x="{x + 5}" y="{y + 4}" class="map-label">{escape(region.name)}</text>'
        )
    parts.append('<circle id="picker-pin" cx="-10" cy="-10" r="7" class="map-pin"/>')
    parts.append("</svg>")
    return {"svg": mark_safe("".join(parts)), "projection": projection}  # noqa: S308


def cases_map(counts: dict[str, int], level: int, *, label: str) -> SafeString | None:
    """Circles sized by the number of cases per region (area ∝ count)."""
    regions = regions_with_points(level)
    projection = projection_for(regions)
    if projection is None:
        return None
    biggest = max(counts.values(), default=0) or 1
    parts = _open_svg(projection, label)
    for region in sorted(regions, key=lambda r: -counts.get(r.code, 0)):
        x, y = projection.xy(region.latitude, region.longitude)
        count = counts.get(region.code, 0)
        radius = 2 + 22 * math.sqrt(count / biggest)
        title = escape(f"{region.label}: {count}")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius:.1f}" class="map-count">'
            f"<title>{title}</title></circle>"
        )
        if level == Region.Level.KECAMATAN:
            parts.append(
                f'<text x="{x}" y="{y + radius + 10:.1f}" text-anchor="middle" '
                f'class="map-label">{escape(region.name)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
