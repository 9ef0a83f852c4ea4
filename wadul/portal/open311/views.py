"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests.

- Services are the case types (the central desk routes them) and the regency's agencies and
  kecamatan offices (the case goes straight to that unit).
- `service_request_id` is the tracking number; statuses are `open`/`closed` (the
  Indonesian status is in `status_notes`); `expected_datetime` is the clock's resolution
  deadline.
- POST needs an `api_key` (admin: Open311 API keys). The requester's name, e-mail and phone
  are stored as the case's contact and never published.
- GET shows published cases (see `wadul.portal.public`), masked; a client also reads back
  the requests it filed itself when it passes its `api_key`.
"""

from __future__ import annotations

import functools
import json
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from wadul.cases import tracking
from wadul.cases.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseType,
    Channel,
    Status,
    Via,
    Visibility,
)
from wadul.core import params as query
from wadul.organisation.models import Region, Unit
from wadul.portal import services as portal_services
from wadul.portal.forms import normalise_wa_number
from wadul.portal.masking import Masker
from wadul.portal.open311 import georeport, letters
from wadul.portal.open311.georeport import NO_PLACE, errors, render, w3c
from wadul.portal.open311.models import ApiKey, ServiceRequest
from wadul.portal.opendata import public_coordinate
from wadul.portal.public import is_published, maskers_for, published_cases
from wadul.portal.stats import LEAGUE_KINDS
from wadul.ppid import reports as ppid_reports
from wadul.ppid.kind import CODE as INFORMATION_REQUEST
from wadul.ppid.models import PpidRequest
from wadul.privacy.services import restricted_among, unrestricted

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
CHANGESET = "2026-11-27T00:00:00+07:00"
VISIBILITY_VALUES = [
    Visibility.PUBLIC,
    Visibility.ANONYMOUS,
    Visibility.PRIVATE,
    Visibility.CONFIDENTIAL,
]


# --- services --------------------------------------------------------------------------------


def _service_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True, kind__in=LEAGUE_KINDS).order_by("name"))


def services_list() -> list[dict[str, Any]]:
    items = [
        {
            "service_code": value,
            "service_name": str(label),
            "description": "Diteruskan oleh meja pengaduan pusat ke unit yang berwenang.",
            "metadata": True,
            "type": "realtime",
            "keywords": value.replace("_", ","),
            "group": "Umum",
        }
        for value, label in CaseType.choices
    ]
    items += [
        {
            "service_code": unit.code,
            "service_name": unit.name,
            "description": f"Pengaduan langsung ke {unit.name}.",
            "metadata": True,
            "type": "realtime",
            "keywords": ",".join(w.lower() for w in unit.name.split() if len(w) > 3),
            "group": str(Unit.Kind(unit.kind).label),
        }
        for unit in _service_units()
    ]
    items += letters.services_list()
    return items


def _resolve_service(code: str) -> tuple[str, Unit | None] | None:
    """(case type, unit) for a service code, or None if there is no such service."""
    if code in CaseType.values:
        return code, None
    unit = Unit.objects.filter(code=code, is_active=True, kind__in=LEAGUE_KINDS).first()
    return (CaseType.COMPLAINT, unit) if unit else None


def service_definition(code: str) -> dict[str, Any]:
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": "visibility",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "public (default), anonymous, private or confidential",
                "order": 1,
                "description": "Siapa yang boleh melihat laporan ini?",
                "values": [
                    {"key": value, "name": str(Visibility(value).label)}
                    for value in VISIBILITY_VALUES
                ],
            },
            {
                "variable": True,
                "code": "desa",
                "datatype": "string",
                "required": False,
                "datatype_description": "Kemendagri code of the desa/kelurahan, e.g. 35.10.12.2006",
                "order": 2,
                "description": "Kode desa/kelurahan lokasi laporan",
            },
        ],
    }


# --- requests as documents -------------------------------------------------------------------


def information_record(case: Case, ppid: PpidRequest) -> dict[str, Any]:
    """A public information request as GeoReport shows it: its stage, its unit and its legal
    deadline; no requester and no place, the subject only when the requester agreed."""
    handler = case.unit
    subject = ppid_reports.public_subject(ppid.information, ppid.subject_public)
    due = ppid.objection_due_at if ppid.stage == PpidRequest.Stage.OBJECTED else ppid.notice_due_at
    return {
        "service_request_id": case.tracking_number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": str(PpidRequest.Stage(ppid.stage).label),
        "service_name": str(CaseType(INFORMATION_REQUEST).label),
        "service_code": INFORMATION_REQUEST,
        "description": subject or f"Permohonan informasi publik {ppid.registration_number}",
        "agency_responsible": handler.name if handler else "PPID Utama",
        "service_notice": ppid.registration_number,
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(due),
        **NO_PLACE,
    }


def request_record(
    case: Case, masker: Masker, photo_url: str | None, unit_names: dict[str, str]
) -> dict[str, Any]:
    ppid = getattr(case, "ppid", None) if case.type == INFORMATION_REQUEST else None
    if ppid is not None:
        return information_record(case, ppid)
    origin = getattr(case, "open311", None) if hasattr(case, "open311") else None
    service_code = origin.service_code if origin else case.type
    if service_code in CaseType.values:
        service_name = str(CaseType(service_code).label)
    else:
        service_name = unit_names.get(service_code, service_code)
    handler = case.referred_to or case.unit
    region = case.region
    return {
        "service_request_id": case.tracking_number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": str(Status(case.status).label),
        "service_name": service_name,
        "service_code": service_code,
        "description": masker(case.description),
        "agency_responsible": handler.name if handler else "Meja pengaduan pusat",
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.resolution_due_at),
        "address": region.label if region else masker(origin.address_string if origin else ""),
        "address_id": region.code if region else "",
        "zipcode": region.postal_code if region else "",
        "lat": public_coordinate(case.latitude),
        "long": public_coordinate(case.longitude),
        "media_url": photo_url or "",
    }


def _records(cases: list[Case]) -> list[dict[str, Any]]:
    """GeoReport records for many cases with a fixed number of queries."""
    maskers = maskers_for(cases)
    base = settings.SITE_URL.rstrip("/")
    photos: dict[int, int] = {}
    restricted = restricted_among(c.contact_id for c in cases)
    published = [c.pk for c in cases if is_published(c, restricted=restricted)]
    for case_id, pk in (
        Attachment.objects.filter(
            case_id__in=published, approved_for_public=True, kind=Attachment.Kind.IMAGE
        )
        .order_by("-pk")
        .values_list("case_id", "pk")
    ):
        photos[case_id] = pk  # the first photo of each case wins (ordered newest first)
    unit_names = dict(Unit.objects.values_list("code", "name"))
    letter_services = letters.services_of(cases)
    records = []
    for case in cases:
        if case.type == letters.CODE:
            records.append(letters.record(case, letter_services))
            continue
        photo = photos.get(case.pk)
        url = base + reverse("portal:photo", args=[photo]) if photo else None
        records.append(request_record(case, maskers[case.pk], url, unit_names))
    return records


# --- views -----------------------------------------------------------------------------------


def _indonesian(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override("id"):
            return view(request, *args, **kwargs)

    return wrapped


@_indonesian
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = settings.SITE_URL.rstrip("/") + "/open311/v2/"
    data = {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": georeport.SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "xml":
        # <endpoints> holds <endpoint> elements, each with <formats><format>…
        xml = {k: v for k, v in data.items() if k != "endpoints"}
        root = ET.Element("discovery")
        for key, value in xml.items():
            georeport._append(root, key, value)
        endpoints = ET.SubElement(root, "endpoints")
        for endpoint in data["endpoints"]:
            element = ET.SubElement(endpoints, "endpoint")
            for key, value in endpoint.items():
                georeport._append(element, key, value)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
        return HttpResponse(body.encode(), content_type="text/xml; charset=utf-8")
    return render(fmt, data, root="discovery", item=None)


def index(request: HttpRequest) -> HttpResponse:
    """The endpoint's base URL, as the README and discovery document write it: the
    discovery document (JSON) with a map of the resources below it, instead of a 404."""
    response = discovery(request, "json")
    data = json.loads(response.content)
    base = settings.SITE_URL.rstrip("/") + "/open311/v2/"
    data["resources"] = {
        "discovery": [base + "discovery.json", base + "discovery.xml"],
        "services": base + "services.json",
        "requests": base + "requests.json",
        "documentation": "https://wiki.open311.org/GeoReport_v2/",
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@_indonesian
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return errors(fmt, 405, "Only GET is allowed here.")
    return render(fmt, services_list(), root="services", item="service")


@_indonesian
def service(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if _resolve_service(code) is None:
        letter_service = letters.resolve(code)
        if letter_service is None:
            return errors(fmt, 404, f"No service with code {code}.")
        definition = letters.definition(letter_service)
        return render(fmt, definition, root="service_definition", item=None)
    return render(fmt, service_definition(code), root="service_definition", item=None)


@csrf_exempt
@_indonesian
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return errors(fmt, 405, "Use GET or POST.")
    return _search(request, fmt)


@_indonesian
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    number = tracking.normalise(request_id)
    case = _readable(request).filter(tracking_number=number).first() if number else None
    if case is None:
        return errors(fmt, 404, f"No service request {request_id}.")
    return render(fmt, _records([case]), root="service_requests", item="request")


def _readable(request: HttpRequest):
    """Published cases and public information requests (shown without personal data),
    plus the cases the calling client filed (with its api_key)."""
    cases = Case.objects.select_related("unit", "referred_to", "region", "open311", "ppid")
    api_key = ApiKey.find(request.GET.get("api_key", ""))
    # Information and letter requests are listed too, as records without personal data
    # (`information_record`, `letters.record`), unless their requester restricted processing.
    requests = unrestricted(
        Case.objects.filter(Q(type=letters.CODE) | Q(type=INFORMATION_REQUEST, ppid__isnull=False))
    )
    visible = Q(pk__in=published_cases().values("pk")) | Q(pk__in=requests.values("pk"))
    if api_key is not None:
        visible |= Q(open311__api_key=api_key)
    return cases.filter(visible)


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    cases = _readable(request)
    params = request.GET
    if ids := params.get("service_request_id"):
        numbers = [tracking.normalise(i) for i in ids.split(",")]
        cases = cases.filter(tracking_number__in=[n for n in numbers if n])
    else:
        # Out of range (year 1, year 9999) is refused like a date that cannot be read.
        start = query.parse_moment(params.get("start_date")) if params.get("start_date") else None
        end = query.parse_moment(params.get("end_date")) if params.get("end_date") else None
        if (params.get("start_date") and start is None) or (params.get("end_date") and end is None):
            return errors(fmt, 400, "start_date and end_date are W3C datetimes.")
        if start is None and end is None:
            start = timezone.now() - timedelta(days=DEFAULT_DAYS)
        if start:
            cases = cases.filter(created_at__gte=start)
        if end:
            cases = cases.filter(created_at__lte=end)
        if codes := params.get("service_code"):
            codes = codes.split(",")
            types = [c for c in codes if c in CaseType.values]
            units = [c for c in codes if c not in CaseType.values]
            cases = cases.filter(
                Q(type__in=types)
                | Q(unit__code__in=units)
                | Q(open311__service_code__in=codes)
                | letters.requests_of(codes)
            )
        if status := params.get("status"):
            wanted = set(status.split(","))
            if not wanted <= {"open", "closed"}:
                return errors(fmt, 400, "status is open, closed or both.")
            if wanted == {"open"}:
                cases = cases.filter(status__in=OPEN_STATUSES)
            elif wanted == {"closed"}:
                cases = cases.exclude(status__in=OPEN_STATUSES)
    found = list(cases.order_by("-created_at", "-pk")[:MAX_RESULTS])
    return render(fmt, _records(found), root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    api_key = ApiKey.find(data.get("api_key", ""))
    if api_key is None:
        return errors(fmt, 403, "A valid api_key is required to create service requests.")
    problems = []
    service_code = data.get("service_code", "")
    resolved = _resolve_service(service_code)
    if resolved is None and letters.resolve(service_code) is not None:
        problems.append(letters.NOT_HERE)
    elif resolved is None:
        problems.append("service_code is missing or unknown.")
    description = (data.get("description") or "").strip()
    if len(description) < 10:
        problems.append("description must have at least 10 characters.")
    lat, lng = _coordinate(data.get("lat"), -90, 90), _coordinate(data.get("long"), -180, 180)
    if (lat is None) != (lng is None) or (data.get("lat") and lat is None):
        problems.append("lat and long must both be valid WGS84 decimal degrees.")
    address = (data.get("address_string") or "").strip()[:300]
    address_id = (data.get("address_id") or data.get("attribute[desa]") or "").strip()
    region = Region.objects.filter(code=address_id).first() if address_id else None
    if address_id and region is None:
        problems.append("address_id / attribute[desa] is not a known Kemendagri code.")
    if lat is None and not address and region is None:
        problems.append("A location is required: lat and long, address_string or address_id.")
    visibility = data.get("attribute[visibility]") or Visibility.PUBLIC
    if visibility not in VISIBILITY_VALUES:
        problems.append("attribute[visibility] is not one of the listed values.")
    if problems:
        return errors(fmt, 400, *problems)
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    case_type, unit = resolved
    phone = (data.get("phone") or "").strip()
    wa_number = normalise_wa_number(phone) or ""
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    text = description + (f"\n\nLokasi: {address}" if address else "")
    with transaction.atomic():
        case = portal_services.submit_report(
            type=case_type,
            text=text,
            visibility=visibility,
            name=name,
            wa_number=wa_number,
            region=region,
            latitude=lat,
            longitude=lng,
            channel=Channel.API,
            via=Via.API,
            email=(data.get("email") or "")[:200],
            phone="" if wa_number else phone[:40],
            unit=unit,
        )
        ServiceRequest.objects.create(
            case=case,
            api_key=api_key,
            service_code=service_code,
            address_string=address,
            device_id=(data.get("device_id") or "")[:100],
            account_id=(data.get("account_id") or "")[:100],
            media_url=(data.get("media_url") or "")[:500],
        )
    notice = f"Laporan diterima dengan nomor {case.tracking_number}."
    created = [
        {
            "service_request_id": case.tracking_number,
            "service_notice": notice,
            "account_id": (data.get("account_id") or None),
        }
    ]
    return render(fmt, created, root="service_requests", item="request")


def _coordinate(raw: str | None, low: float, high: float) -> float | None:
    try:
        value = float(raw) if raw not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and low <= value <= high else None
