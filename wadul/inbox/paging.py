"""One page of an ordered result, without a COUNT over the whole of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from wadul.core import params

# Beyond this a page number is clamped: an offset of 10^23 rows overflows the database.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    number: int
    rows: list[Any]
    has_next: bool


def page_of(request: HttpRequest, ordered: QuerySet, size: int) -> Page:
    """The page `?page=` asks for (the first on anything else). One row more than a page
    is fetched to know whether there is more: no COUNT over the whole result."""
    number = params.clamp_int(request.GET.get("page"), 1, 1, MAX_PAGE)
    offset = (number - 1) * size
    rows = list(ordered[offset : offset + size + 1])
    return Page(number, rows[:size], len(rows) > size)
