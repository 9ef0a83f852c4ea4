"""The public list of published cases: filters, search and keyset pagination.

Built for millions of cases: every filter is an indexed column of the case table, pages are
cut by (created_at, id) instead of OFFSET, and the total is counted only up to a cap.
Search matches the masked text only, so a search for a name or a phone number never
reveals which case contains it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from wadul.cases.models import Case, CaseType, Status
from wadul.core import params
from wadul.organisation.models import Region, Unit
from wadul.portal.masking import Masker
from wadul.portal.public import PUBLISHED_STATUSES, maskers_for, public_text, published_cases

PAGE_SIZE = 20
COUNT_CAP = 1000


@dataclass
class Filters:
    """The public list's filters, parsed from the query string (unknown values ignored)."""

    unit: Unit | None = None
    kecamatan: Region | None = None
    desa: Region | None = None
    status: str = ""
    type: str = ""
    start: date | None = None
    end: date | None = None
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> Filters:
        f = cls()
        if code := params.get("unit", "").strip():
            f.unit = Unit.objects.filter(code=code).exclude(kind=Unit.Kind.EXTERNAL).first()
        if code := params.get("kecamatan", "").strip():
            f.kecamatan = Region.objects.filter(code=code, level=Region.Level.KECAMATAN).first()
        if code := params.get("desa", "").strip():
            f.desa = Region.objects.filter(code=code, level=Region.Level.DESA).first()
        if (status := params.get("status", "")) in PUBLISHED_STATUSES:
            f.status = status
        if (kind := params.get("type", "")) in CaseType.values:
            f.type = kind
        f.start = _date(params.get("dari"))
        f.end = _date(params.get("sampai"))
        f.q = " ".join(params.get("q", "").split())[:100]
        return f

    def apply(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if self.unit is not None:
            cases = cases.filter(unit_id__in=list(self.unit.subtree().values_list("pk", flat=True)))
        if self.desa is not None:
            cases = cases.filter(region_id=self.desa.code)
        elif self.kecamatan is not None:
            # The kecamatan and its desa as a list of codes: an indexed IN, not a LIKE.
            codes = [self.kecamatan.code, *self.kecamatan.children.values_list("code", flat=True)]
            cases = cases.filter(region_id__in=codes)
        if self.status:
            cases = cases.filter(status=self.status)
        if self.type:
            cases = cases.filter(type=self.type)
        if self.start:
            cases = cases.filter(created_at__gte=_day_start(self.start))
        if self.end:
            cases = cases.filter(created_at__lt=_day_start(self.end + timedelta(days=1)))
        if self.q:
            cases = _search(cases, self.q)
        return cases


def _date(value: str | None) -> date | None:
    # Out of range (year 1, year 9999) is ignored like any date that cannot be read.
    return params.parse_day(value)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _search(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    if connection.vendor == "postgresql":
        # Uses the GIN index `case_search_simple` (cases migration 0005).
        return cases.extra(
            where=[
                "to_tsvector('simple', subject || ' ' || description) "
                "@@ plainto_tsquery('simple', %s)"
            ],
            params=[q],
        )
    for word in q.split():
        cases = cases.filter(Q(subject__icontains=word) | Q(description__icontains=word))
    return cases


def _matches_masked(case: Case, masker: Masker, q: str) -> bool:
    visible = " ".join(public_text(case, masker)).lower()
    return all(word.lower() in visible for word in q.split())


@dataclass
class Page:
    cases: list[Case]
    maskers: dict[int, Masker]
    next_cursor: str | None
    total: int | None  # None when more than COUNT_CAP


def encode_cursor(case: Case) -> str:
    return f"{case.created_at.isoformat()}_{case.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    stamp, _sep, pk = (cursor or "").rpartition("_")
    moment = params.parse_moment(stamp)
    # A key beyond a 64-bit integer is no row's: the database would overflow on it.
    if moment is None or not pk.isdecimal() or len(pk) > 18:
        return None
    return moment, int(pk)


def page(filters: Filters, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of published cases, newest first."""
    base = filters.apply(published_cases())
    cases = base
    after = decode_cursor(cursor)
    if after:
        moment, pk = after
        cases = cases.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    cases = cases.select_related("unit", "region", "region__parent", "referred_to").order_by(
        "-created_at", "-pk"
    )
    found: list[Case] = []
    maskers: dict[int, Masker] = {}
    more = False
    # Search candidates whose match was only in masked words are dropped; fetch on.
    for _round in range(5):
        batch = list(cases[: size + 1 - len(found) + (5 if filters.q else 0)])
        batch_maskers = maskers_for(batch)
        for case in batch:
            if filters.q and not _matches_masked(case, batch_maskers[case.pk], filters.q):
                continue
            if len(found) == size:
                more = True
                break
            found.append(case)
            maskers[case.pk] = batch_maskers[case.pk]
        if more or len(batch) < size + 1 or not filters.q:
            more = more or (len(batch) > size and not filters.q)
            break
        last = batch[-1]
        cases = cases.filter(
            Q(created_at__lt=last.created_at) | Q(created_at=last.created_at, pk__lt=last.pk)
        )
    total = None
    # A search is not counted: counting matches means computing the text of many cases.
    if not cursor and not filters.q:
        capped = base.order_by()[: COUNT_CAP + 1].count()
        total = capped if capped <= COUNT_CAP else None
    next_cursor = encode_cursor(found[-1]) if more and found else None
    return Page(found, maskers, next_cursor, total)


STATUS_CHOICES = [(s, Status(s).label) for s in PUBLISHED_STATUSES]
