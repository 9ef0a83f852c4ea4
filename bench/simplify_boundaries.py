"""Simplify the Banyuwangi boundaries shipped with the demo, and measure what it costs.

    .venv/bin/python bench/simplify_boundaries.py SOURCE.geojson \
        wadul/demo/data/banyuwangi_boundaries.geojson

Each polygon is simplified (Douglas-Peucker, topology preserved) in a local metric plane and
its coordinates rounded to 5 decimals (1.1 m); the script prints both files' sizes and the
largest Hausdorff distance between any original polygon and its simplified one, in metres.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

TOLERANCE_M = 3.0
DECIMALS = 5  # 1.1 m
LAT0 = -8.3  # Banyuwangi: metres per degree at this latitude
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LNG = 111_320.0 * math.cos(math.radians(LAT0))


SCALE = np.array([M_PER_DEG_LNG, M_PER_DEG_LAT])


def to_metres(geometry):
    return shapely.transform(geometry, lambda xy: xy * SCALE)


def to_degrees(geometry):
    return shapely.transform(geometry, lambda xy: xy / SCALE)


def _rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], DECIMALS), round(coords[1], DECIMALS)]
    return [_rounded(c) for c in coords]


def main(source: str, target: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    worst, worst_code = 0.0, ""
    for feature in data["features"]:
        original = to_metres(shape(feature["geometry"]))
        simple = original.simplify(TOLERANCE_M, preserve_topology=True)
        geometry = mapping(to_degrees(simple))
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        back = to_metres(shape(geometry))
        deviation = original.hausdorff_distance(back)
        if deviation > worst:
            worst, worst_code = deviation, feature["properties"]["code"]
        feature["geometry"] = geometry
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    Path(target).write_text(text, encoding="utf-8")
    before, after = Path(source).stat().st_size, Path(target).stat().st_size
    print(f"features: {len(data['features'])}, tolerance {TOLERANCE_M} m")
    print(f"size: {before:,} → {after:,} bytes ({after / before:.0%})")
    print(f"max deviation (Hausdorff): {worst:.2f} m ({worst_code})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
