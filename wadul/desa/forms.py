"""A letter service's questions as a form (the counter's and the web's), drawn by
`desa/_request_fields.html`."""

from __future__ import annotations

from typing import Any

from django.core.files import File

from wadul.desa.models import DOCUMENTS, Service


def uploaded_documents(service: Service, files: Any) -> dict[str, File]:
    """The service's documents among a request's uploads (foto_<code>)."""
    return {code: files[f"foto_{code}"] for code in service.documents if f"foto_{code}" in files}


def typed_values(service: Service, data: Any) -> dict[str, str]:
    return {field["name"]: data.get(field["name"], "") for field in service.fields}


def context(service: Service | None, data: Any, errors: dict[str, list[str]]) -> dict:
    """`fields` (field, value, errors) and `documents` (code, label, errors)."""
    if service is None:
        return {"fields": [], "documents": []}
    return {
        "fields": [
            (field, data.get(field["name"], ""), errors.get(field["name"], []))
            for field in service.fields
        ],
        "documents": [
            (code, DOCUMENTS[code], errors.get(f"foto_{code}", [])) for code in service.documents
        ],
    }
