"""The Banyuwangi kecamatan/desa polygons shipped with the demo (see data/LICENSE.*).

Imported once: a second load finds every polygon already there and writes nothing, so the
demo stays idempotent and `make run` does not pay for the import again.
"""

from __future__ import annotations

import json
from pathlib import Path

from wadul.organisation.models import Region
from wadul.routing.boundaries import import_boundaries
from wadul.routing.models import RegionBoundary

BOUNDARIES_FILE = Path(__file__).parent / "data" / "banyuwangi_boundaries.geojson"


def load_boundaries(path: Path = BOUNDARIES_FILE) -> int:
    """Import the demo's polygons unless they are all there; returns how many were imported."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    codes = {f["properties"]["code"] for f in features}
    known = Region.objects.filter(code__in=codes).count()
    if RegionBoundary.objects.filter(region_id__in=codes, source=path.name).count() >= known:
        return 0
    return import_boundaries(path)["imported"]
