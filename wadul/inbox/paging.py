"""One page of an ordered result, without a COUNT over the whole of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Page:
    number: int
    rows: list[Any]
    has_next: bool


def page_of(request: HttpRequest, ordered: QuerySet, size: int) -> Page:
    """The page `?page=` asks for (the first on anything else). One row more than a page
    is fetched to know whether there is more: no COUNT over the whole result."""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    offset = (number - 1) * size
    rows = list(ordered[offset : offset + size + 1])
    return Page(number, rows[:size], len(rows) > size)
