"""Village letter services in Open311: each service of each unit's catalogue is a
`service_code` (`surat-<unit code>-<service code>`, e.g. `surat-DS-KEMIREN-domisili`), its
definition lists the data and documents it needs (for information: a request is made on
WhatsApp, the web form or at the counter, as it needs photos of identity documents).

Requests are readable by anyone, with no personal data at all: no description (the intake's
text holds the NIK and names), no address, no coordinates, no photos — the service, the
unit, the status and the times only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wadul.cases.models import OPEN_STATUSES, Case, Status
from wadul.desa.kind import CODE, SERVICE_FIELD
from wadul.desa.models import DOCUMENTS, FIELD_TYPES, Service
from wadul.portal.open311.georeport import NO_PLACE, w3c

PREFIX = "surat-"
GROUP = "Layanan surat desa/kelurahan"
NOT_HERE = (
    "Permohonan surat diajukan lewat WhatsApp desa/kelurahan, formulir web, atau loket "
    "(perlu foto KTP/KK), tidak lewat Open311."
)


def code_of(service: Service) -> str:
    return f"{PREFIX}{service.unit.code}-{service.code}"


def _active() -> Any:
    return Service.objects.filter(is_active=True, unit__is_active=True).select_related("unit")


def services_list() -> list[dict[str, Any]]:
    return [
        {
            "service_code": code_of(service),
            "service_name": f"{service.name} — {service.unit.name}",
            "description": _description(service),
            "metadata": True,
            "type": "batch",
            "keywords": f"surat,{service.code}",
            "group": GROUP,
        }
        for service in _active().order_by("unit__name", "name")
    ]


def resolve(code: str) -> Service | None:
    """The service of a `surat-…` code (unit codes and service codes may both hold hyphens:
    every split is tried in one query)."""
    if not code.startswith(PREFIX):
        return None
    rest = code.removeprefix(PREFIX)
    splits = [(rest[:i], rest[i + 1 :]) for i, char in enumerate(rest) if char == "-"]
    if not splits:
        return None
    match = Q()
    for unit_code, service_code in splits:
        match |= Q(unit__code=unit_code, code=service_code)
    return _active().filter(match).order_by("pk").first()


def definition(service: Service) -> dict[str, Any]:
    """The data it asks for (each required, with its type), then what it needs and costs
    (informational attributes: `variable` false)."""
    attributes = [
        {
            "variable": True,
            "code": field["name"],
            "datatype": "string",
            "required": True,
            "datatype_description": FIELD_TYPES[field["type"]],
            "order": order,
            "description": field["label"],
        }
        for order, field in enumerate(service.fields, start=1)
    ]
    notes = [
        *(f"Dokumen: {DOCUMENTS[code]}" for code in service.documents),
        f"Biaya: {service.fee_note}",
        f"Target selesai: {service.target_hours} jam kerja",
        NOT_HERE,
    ]
    attributes += [
        {
            "variable": False,
            "code": f"info_{index}",
            "datatype": "text",
            "required": False,
            "datatype_description": "",
            "order": len(service.fields) + index,
            "description": note,
        }
        for index, note in enumerate(notes, start=1)
    ]
    return {"service_code": code_of(service), "attributes": attributes}


def requests_of(codes: list[str]) -> Q:
    """The letter requests of these service codes (no letter code: nothing)."""
    match = Q(pk__in=[])
    for code in codes:
        service = resolve(code)
        if service is not None:
            match |= Q(
                type=CODE, unit_id=service.unit_id, **{f"details__{SERVICE_FIELD}": service.code}
            )
    return match


def record(case: Case, services: dict[tuple[int, str], Service]) -> dict[str, Any]:
    """A letter request as a GeoReport record, without personal data."""
    service = services.get((case.unit_id, (case.details or {}).get(SERVICE_FIELD, "")))
    name = service.name if service else "Permohonan surat"
    return {
        "service_request_id": case.tracking_number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": str(Status(case.status).label),
        "service_name": name,
        "service_code": code_of(service) if service else CODE,
        "description": f"Permohonan {name}",
        "agency_responsible": case.unit.name if case.unit else "",
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.resolution_due_at),
        **NO_PLACE,
    }


def services_of(cases: list[Case]) -> dict[tuple[int, str], Service]:
    """The services of these letter requests, by (unit, code), in one query."""
    letters = [c for c in cases if c.type == CODE]
    if not letters:
        return {}
    rows = Service.objects.filter(unit_id__in={c.unit_id for c in letters}).select_related("unit")
    return {(s.unit_id, s.code): s for s in rows}


def _description(service: Service) -> str:
    needs = ", ".join(DOCUMENTS[code] for code in service.documents) or "tanpa dokumen"
    return (
        f"{service.title} dari {service.unit.name}. Perlu: {needs}. {service.fee_note} "
        f"Target {service.target_hours} jam kerja."
    )
