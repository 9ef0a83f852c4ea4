"""Likely duplicates: open cases, recent, in the same place, saying the same thing."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from wadul.cases.models import OPEN_STATUSES, Case
from wadul.organisation.models import Region
from wadul.routing import classifier, training
from wadul.routing.models import DuplicateSuggestion
from wadul.routing.normalise import normalise_many

MAX_CANDIDATES = 300
EARTH_RADIUS_M = 6_371_000


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _nearby(case: Case) -> Q | None:
    place = Q()
    if case.region_id:
        region = case.region
        place |= Q(region_id=region.code)
        if region.level == Region.Level.DESA:
            # Same kecamatan (a case located only to the kecamatan, or a neighbouring desa).
            place |= Q(region_id=region.parent_id) | Q(region__parent_id=region.parent_id)
        elif region.level == Region.Level.KECAMATAN:
            place |= Q(region__parent_id=region.code)
    if case.latitude is not None and case.longitude is not None:
        degrees = settings.ROUTING_DUPLICATE_METERS / 111_000
        place |= Q(
            latitude__range=(case.latitude - degrees, case.latitude + degrees),
            longitude__range=(case.longitude - degrees * 1.1, case.longitude + degrees * 1.1),
        )
    return place if place else None


def candidates(case: Case) -> list[Case]:
    place = _nearby(case)
    if place is None:
        return []
    since = case.created_at - timedelta(days=settings.ROUTING_DUPLICATE_DAYS)
    return list(
        Case.objects.filter(place, status__in=OPEN_STATUSES, created_at__gte=since)
        .filter(created_at__lte=case.created_at, duplicate_of__isnull=True)
        .exclude(pk=case.pk)
        .select_related("region")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )


def _similarities(text: str, others: list[str]) -> list[float]:
    model = training.active_model()
    if model is not None:
        vectors = classifier.transform(model[1]["pipeline"], [text, *others])
    else:
        # No model yet: character n-grams fitted on these texts alone.
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        vectors = vectorizer.fit_transform(normalise_many([text, *others]))
    vectors = normalize(vectors)
    return (vectors[1:] @ vectors[0].T).toarray().ravel().tolist()


def _place_reason(case: Case, other: Case) -> str:
    if case.region_id and case.region_id == other.region_id:
        return f"sama tempat: {case.region.label}"
    if None not in (case.latitude, case.longitude, other.latitude, other.longitude):
        metres = metres_between(case.latitude, case.longitude, other.latitude, other.longitude)
        if metres <= settings.ROUTING_DUPLICATE_METERS:
            return f"{metres:.0f} m dari pin"
    return "kecamatan yang sama"


def find_duplicates(case: Case) -> list[DuplicateSuggestion]:
    """Store a suggestion for every open case close in place and meaning; returns them."""
    others = candidates(case)
    if not others or not case.description.strip():
        return []
    scores = _similarities(case.description, [c.description for c in others])
    found = []
    for other, score in zip(others, scores, strict=True):
        if score < settings.ROUTING_DUPLICATE_SIMILARITY:
            continue
        if (
            None not in (case.latitude, case.longitude, other.latitude, other.longitude)
            and not (case.region_id and case.region_id == other.region_id)
            and metres_between(case.latitude, case.longitude, other.latitude, other.longitude)
            > settings.ROUTING_DUPLICATE_METERS
            and other.region_id != case.region_id
        ):
            continue
        suggestion, _ = DuplicateSuggestion.objects.get_or_create(
            case=case,
            candidate=other,
            defaults={
                "score": score,
                "reasons": {"similarity": round(score, 3), "place": _place_reason(case, other)},
            },
        )
        found.append(suggestion)
    return found
