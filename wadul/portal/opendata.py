"""Open data: published cases as CSV and JSON, and an Atom feed of published answers.

Everything here goes through the publication rule and the masking of `wadul.portal.public`.
Coordinates are rounded to three decimals (about 100 m) so a pin never points at a house.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wadul.cases.models import Case, Message, Status
from wadul.core import formats
from wadul.core.csvsafe import csv_lines
from wadul.portal import listing
from wadul.portal.masking import Masker
from wadul.portal.public import (
    PUBLIC_DIRECTIONS,
    PUBLISHED_STATUSES,
    PUBLISHED_VISIBILITIES,
    is_answer,
    maskers_for,
    public_text,
    published_cases,
)
from wadul.privacy.services import unrestricted

CHUNK = 2000
CASE_FIELDS = [
    "tracking_number",
    "url",
    "type",
    "status",
    "status_label",
    "unit_code",
    "unit_name",
    "referred_to",
    "kecamatan_code",
    "kecamatan",
    "desa_code",
    "desa",
    "latitude",
    "longitude",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "rating",
    "subject",
    "description",
]


def public_coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _iso(value: datetime | None) -> str | None:
    return formats.iso_local(value)


def case_record(case: Case, masker: Masker) -> dict[str, Any]:
    """One published case as open data (masked)."""
    region = case.region
    kecamatan = region.parent if region is not None and region.level == 4 else region
    desa = region if region is not None and region.level == 4 else None
    subject, description = public_text(case, masker)
    return {
        "tracking_number": case.tracking_number,
        "url": settings.SITE_URL.rstrip("/")
        + reverse("portal:case_detail", args=[case.tracking_number]),
        "type": case.type,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "unit_code": case.unit.code if case.unit_id else None,
        "unit_name": case.unit.name if case.unit_id else None,
        "referred_to": case.referred_to.name if case.referred_to_id else None,
        "kecamatan_code": kecamatan.code if kecamatan else None,
        "kecamatan": kecamatan.name if kecamatan else None,
        "desa_code": desa.code if desa else None,
        "desa": desa.name if desa else None,
        "latitude": public_coordinate(case.latitude),
        "longitude": public_coordinate(case.longitude),
        "created_at": _iso(case.created_at),
        "first_response_at": _iso(case.first_response_at),
        "resolved_at": _iso(case.resolved_at),
        "closed_at": _iso(case.closed_at),
        "rating": case.rating,
        "subject": subject,
        "description": description,
    }


def iter_records(filters: listing.Filters) -> Iterator[dict[str, Any]]:
    """Every published case matching the filters, newest first, in keyset chunks."""
    cases = (
        filters.apply(published_cases(open_data=True))
        .select_related("unit", "referred_to", "region", "region__parent")
        .order_by("-created_at", "-pk")
    )
    last: Case | None = None
    while True:
        chunk_query = cases
        if last is not None:
            chunk_query = cases.filter(created_at__lte=last.created_at).exclude(
                created_at=last.created_at, pk__gte=last.pk
            )
        chunk = list(chunk_query[:CHUNK])
        if not chunk:
            return
        maskers = maskers_for(chunk)
        for case in chunk:
            record = case_record(case, maskers[case.pk])
            if filters.q and not listing._matches_masked(case, maskers[case.pk], filters.q):
                continue
            yield record
        last = chunk[-1]


def csv_response(rows: Iterator[dict[str, Any]], fields: list[str], filename: str):
    response = StreamingHttpResponse(
        csv_lines(rows, fields), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(rows: Iterator[dict[str, Any]], meta: dict[str, Any]):
    def stream() -> Iterator[str]:
        yield '{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "data": ['
        first = True
        for row in rows:
            yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "]}\n"

    return StreamingHttpResponse(stream(), content_type="application/json; charset=utf-8")


def _meta(kind: str) -> dict[str, Any]:
    return {
        "dataset": kind,
        "publisher": settings.PORTAL_PUBLISHER,
        "licence": settings.OPEN_DATA_LICENCE,
        "masking": "phone numbers, NIK, e-mail addresses and names are masked",
        "documentation": settings.SITE_URL.rstrip("/") + reverse("portal:about_data"),
    }


@require_GET
def cases_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = iter_records(listing.Filters.from_query(request.GET))
    return csv_response(rows, CASE_FIELDS, "wadul-kasus.csv")


@require_GET
def cases_json(request: HttpRequest) -> StreamingHttpResponse:
    rows = iter_records(listing.Filters.from_query(request.GET))
    return json_response(rows, _meta("published cases"))


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/open_data.html", {"fields": CASE_FIELDS})


@require_GET
def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about_data.html")


class AnswersFeed(Feed):
    """Atom feed of newly published answers, for the press."""

    feed_type = Atom1Feed
    limit = 50

    def title(self) -> str:
        return _("Wadul: newly published answers")

    def subtitle(self) -> str:
        return _("Answers of the regency's units to published reports; personal data masked.")

    def link(self) -> str:
        return reverse("portal:case_list")

    def items(self) -> list[Message]:
        answers = Message.objects.filter(
            is_answer(),
            direction__in=PUBLIC_DIRECTIONS,
            private_mark__isnull=True,
            case__visibility__in=PUBLISHED_VISIBILITIES,
            case__status__in=PUBLISHED_STATUSES,
        )
        messages = list(
            unrestricted(answers, "case__contact_id")
            .select_related("case", "case__unit")
            .order_by("-created_at", "-pk")[: self.limit]
        )
        maskers = maskers_for({m.case_id: m.case for m in messages}.values())
        for message in messages:
            message.masked_text = maskers[message.case_id](message.text)
        return messages

    def item_title(self, item: Message) -> str:
        unit = item.case.unit.name if item.case.unit_id else _("Central desk")
        return _("%(unit)s answered case %(number)s") % {
            "unit": unit,
            "number": item.case.tracking_number,
        }

    def item_description(self, item: Message) -> str:
        return item.masked_text

    def item_link(self, item: Message) -> str:
        return reverse("portal:case_detail", args=[item.case.tracking_number]) + f"#m{item.pk}"

    def item_guid(self, item: Message) -> str:
        return f"{settings.SITE_URL.rstrip('/')}/jawaban/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Message) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Message) -> datetime:
        return item.created_at

    def item_author_name(self, item: Message) -> str:
        return item.case.unit.name if item.case.unit_id else "Wadul"
