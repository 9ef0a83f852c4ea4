"""GeoReport v2 documents: the field lists of the specification, as XML and as JSON.

Element names and order follow the specification (wiki.open311.org/GeoReport_v2); one
function per document builds a list of dicts, `render` writes either format from it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from wadul.core import formats

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
CREATED_FIELDS = ["service_request_id", "service_notice", "account_id"]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
]


# The location and media fields of a request published without a place (an information
# request, a village letter): nothing that could point at the requester.
NO_PLACE: dict[str, Any] = {
    "address": "",
    "address_id": "",
    "zipcode": "",
    "lat": None,
    "long": None,
    "media_url": "",
}


def w3c(value: datetime | None) -> str | None:
    """A W3C datetime with the Jakarta offset, as GeoReport writes times."""
    return formats.iso_local(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, list):
        # Lists inside an item: attribute values and discovery formats.
        child_name = {"values": "value", "formats": "format", "attributes": "attribute"}[name]
        for item in value:
            if isinstance(item, dict):
                child = ET.SubElement(element, child_name)
                for key, inner in item.items():
                    _append(child, key, inner)
            else:
                ET.SubElement(element, child_name).text = _text(item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, data: list[dict[str, Any]] | dict[str, Any]) -> bytes:
    element = ET.Element(root)
    if item is None:
        for key, value in data.items():  # type: ignore[union-attr]
            _append(element, key, value)
    else:
        for entry in data:  # type: ignore[union-attr]
            child = ET.SubElement(element, item)
            for key, value in entry.items():
                _append(child, key, value)
    declaration = '<?xml version="1.0" encoding="utf-8"?>\n'
    return (declaration + ET.tostring(element, encoding="unicode")).encode()


def render(
    fmt: str,
    data: list[dict[str, Any]] | dict[str, Any],
    *,
    root: str,
    item: str | None,
    status: int = 200,
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, data), content_type="text/xml; charset=utf-8", status=status
        )
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    data = [{"code": status, "description": d} for d in descriptions]
    return render(fmt, data, root="errors", item="error", status=status)
