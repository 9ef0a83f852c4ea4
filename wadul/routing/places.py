"""Kecamatan and desa names in a citizen's text, spelled however they come.

"Gentengkulon" and "Genteng Kulon" are one desa; "Bangorjo" is a typo of Kec. Bangorejo,
but "Bagorejo" is a real desa in Srono: an exact name always beats a near miss. Names that
are also everyday words ("Licin", "Padang", "Bengkak") count only after a place word
("di", "desa", "kec." …).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from wadul.organisation.models import Region
from wadul.routing.normalise import normalise

# Words that announce a place: after them an everyday word is read as a name.
CUES = frozenset(
    [
        "di",
        "ke",
        "dari",
        "desa",
        "kelurahan",
        "kecamatan",
        "dusun",
        "daerah",
        "wilayah",
        "sekitar",
        "dekat",
        "arah",
        "kampung",
    ]
)
# Region names that are also common Indonesian/Javanese words or parts of phrases.
COMMON_WORDS = frozenset(
    [
        "licin",
        "padang",
        "banjar",
        "bareng",
        "bunder",
        "balak",
        "kemiri",
        "pakel",
        "glagah",
        "gumuk",
        "sobo",
        "bayu",
        "kelir",
        "lateng",
        "gitik",
        "giri",
        "bomo",
        "dasri",
        "jelun",
        "tampo",
        "bubuk",
        "pakis",
        "kenjo",
        "sragi",
        "cantuk",
        "tambong",
        "bengkak",
        "mangir",
        "gladag",
        "sepanjang",
        "gambor",
        "tegalsari",
        "kaotan",
        "bedewang",
        "patoman",
        "dadapan",
    ]
)
FUZZY_MIN_LENGTH = 6
FUZZY_CUTOFF = 88.0


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class Place:
    region: Region
    score: float
    matched: str  # the words of the text that matched
    source: str = "text"  # "text" or "pin"

    @property
    def kecamatan(self) -> Region | None:
        if self.region.level == Region.Level.KECAMATAN:
            return self.region
        if self.region.level == Region.Level.DESA:
            return self.region.parent
        return None

    @property
    def desa(self) -> Region | None:
        return self.region if self.region.level == Region.Level.DESA else None

    def as_dict(self) -> dict:
        return {
            "code": self.region.code,
            "name": self.region.label,
            "kecamatan": self.kecamatan.name if self.kecamatan else "",
            "score": round(self.score, 1),
            "matched": self.matched,
            "source": self.source,
        }


class Gazetteer:
    """Every kecamatan and desa name, keyed without spaces."""

    def __init__(self, regions: list[Region]):
        self.by_key: dict[str, list[Region]] = {}
        self.regency_keys: set[str] = set()
        for region in regions:
            if region.level == Region.Level.REGENCY:
                self.regency_keys.add(_key(region.name))
            elif region.level in (Region.Level.KECAMATAN, Region.Level.DESA):
                self.by_key.setdefault(_key(region.name), []).append(region)
        self.keys = list(self.by_key)

    def find(self, text: str) -> Place | None:
        words = normalise(text).split()
        found: list[tuple[float, int, Region, str]] = []  # score, level, region, matched
        for start in range(len(words)):
            previous = words[start - 1] if start else ""
            for size in (3, 2, 1):
                chunk = words[start : start + size]
                if len(chunk) < size:
                    continue
                candidate = "".join(chunk)
                if len(candidate) < 4:
                    continue
                for region, score in self._lookup(candidate):
                    key = _key(region.name)
                    if not self._allowed(key, previous):
                        continue
                    found.append((score, region.level, region, " ".join(chunk)))
        if not found:
            return None
        return self._best(found)

    def _lookup(self, candidate: str) -> list[tuple[Region, float]]:
        exact = self.by_key.get(candidate)
        if exact:
            return [(region, 100.0) for region in exact]
        if len(candidate) < FUZZY_MIN_LENGTH:
            return []
        match = process.extractOne(
            candidate, self.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if match is None:
            return []
        key, score, _ = match
        if key in COMMON_WORDS or len(key) < FUZZY_MIN_LENGTH:
            return []
        return [(region, float(score)) for region in self.by_key[key]]

    def _allowed(self, key: str, previous: str) -> bool:
        if key in self.regency_keys:
            # "Banyuwangi" alone is the regency, not Kec. Banyuwangi.
            return previous in {"kecamatan", "kota"}
        if key in COMMON_WORDS or len(key) <= 4:
            return previous in CUES
        return True

    def _best(self, found: list[tuple[float, int, Region, str]]) -> Place:
        kecamatan_codes = {r.code for s, level, r, _ in found if level == Region.Level.KECAMATAN}

        def rank(item: tuple[float, int, Region, str]) -> tuple:
            score, level, region, matched = item
            # A desa inside a kecamatan the text also names is the strongest reading.
            consistent = level == Region.Level.DESA and region.parent_id in kecamatan_codes
            return (score + (5 if consistent else 0), len(matched), level)

        best = max(found, key=rank)
        score, level, region, matched = best
        if level == Region.Level.DESA:
            twins = [r for s, lv, r, m in found if lv == level and s == score and m == matched]
            if len({r.code for r in twins}) > 1 and region.parent_id not in kecamatan_codes:
                # Same desa name in several kecamatan and nothing to tell them apart.
                parents = {r.parent_id for r in twins}
                if len(parents) > 1:
                    kecamatan = [r for s, lv, r, m in found if lv == Region.Level.KECAMATAN]
                    if not kecamatan:
                        return Place(region, score - 20, matched)
                    region = kecamatan[0]
        return Place(region, min(score, 100.0), matched)


_lock = threading.Lock()
_cache: dict[str, object] = {"stamp": None, "gazetteer": None}


def gazetteer() -> Gazetteer:
    """Built once per process, rebuilt when regions are imported or renamed."""
    stamp = tuple(Region.objects.aggregate(n=Count("code"), last=Max("code")).values())
    if _cache["stamp"] != stamp:
        with _lock:
            regions = list(
                Region.objects.filter(level__gte=Region.Level.REGENCY).select_related("parent")
            )
            _cache["gazetteer"] = Gazetteer(regions)
            _cache["stamp"] = stamp
    return _cache["gazetteer"]  # type: ignore[return-value]


def find_place(text: str) -> Place | None:
    return gazetteer().find(text)
