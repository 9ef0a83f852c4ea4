"""Who asks, as a form (the portal's request form and the PPID's counter share it): an
individual, a group or a legal body with its registration papers, on their own behalf or as
a proxy with the power of attorney. Errors in Indonesian, next to their field."""

from __future__ import annotations

import mimetypes
import os

from django import forms
from django.conf import settings
from django.core.files import File

from wadul.ppid import kind as ppid_kind

# The upload fields and the name each file gets on the case.
DOCUMENTS = {"body_document": "akta-badan-hukum", "proxy_document": "surat-kuasa"}


def document_error(upload: File) -> str:
    """What is wrong with an uploaded paper ("" when nothing): a photo or a PDF, not too big."""
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].lower()
    if not content_type:
        content_type = mimetypes.guess_type(upload.name or "")[0] or ""
    if not content_type.startswith(ppid_kind.DOCUMENT_TYPES):
        return "Unggah foto (JPG/PNG) atau berkas PDF."
    if not upload.size:
        return "Berkas kosong; unggah ulang."
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        return f"Berkas terlalu besar (paling besar {settings.ATTACHMENT_MAX_BYTES >> 20} MB)."
    return ""


class RequesterForm(forms.Form):
    requester_type = forms.ChoiceField(
        label="Mengajukan sebagai",
        choices=ppid_kind.REQUESTER_TYPES,
        initial="perorangan",
        required=False,
        widget=forms.RadioSelect,
    )
    body_name = forms.CharField(
        label="Nama badan hukum (bila badan hukum)", max_length=200, required=False
    )
    body_document = forms.FileField(
        label="Akta pendirian / SK Kemenkumham (foto atau PDF, bila badan hukum)", required=False
    )
    capacity = forms.ChoiceField(
        label="Bertindak",
        choices=ppid_kind.CAPACITIES,
        initial="sendiri",
        required=False,
        widget=forms.RadioSelect,
    )
    principal = forms.CharField(
        label="Nama pemberi kuasa (bila sebagai kuasa perorangan)", max_length=200, required=False
    )
    proxy_document = forms.FileField(
        label="Surat kuasa (foto atau PDF, bila sebagai kuasa)", required=False
    )

    def clean(self):
        data = super().clean()
        # Left empty: a person asking for themselves (the form's defaults).
        data["requester_type"] = data.get("requester_type") or "perorangan"
        data["capacity"] = data.get("capacity") or "sendiri"
        body = data.get("requester_type") == ppid_kind.LEGAL_BODY
        proxy = data.get("capacity") == ppid_kind.PROXY
        if body:
            self._require("body_name", ppid_kind.check_body, "Tulis nama badan hukum.")
            self._require_file("body_document", "Unggah akta pendirian atau SK Kemenkumham.")
        if proxy:
            if not body:
                self._require("principal", ppid_kind.check_principal, "Tulis nama pemberi kuasa.")
            self._require_file("proxy_document", "Unggah surat kuasa.")
        return data

    def _require(self, name: str, check, missing: str) -> None:
        value = (self.cleaned_data.get(name) or "").strip()
        try:
            self.cleaned_data[name] = check(value) if value else ""
        except ppid_kind.InvalidAnswer as error:
            self.add_error(name, str(error))
            return
        if not value:
            self.add_error(name, missing)

    def _require_file(self, name: str, missing: str) -> None:
        upload = self.cleaned_data.get(name)
        error = missing if upload is None else document_error(upload)
        if error:
            self.add_error(name, error)

    def requester_details(self) -> dict[str, str]:
        """The answers as the WhatsApp intake stores them (the case's details)."""
        data = self.cleaned_data
        body = data["requester_type"] == ppid_kind.LEGAL_BODY
        proxy = data["capacity"] == ppid_kind.PROXY
        details = {"pemohon": data["requester_type"], "bertindak": data["capacity"]}
        if body:
            details["nama_badan"] = data["body_name"]
        if proxy and not body:
            details["pemberi_kuasa"] = data["principal"]
        return details

    def requester_documents(self) -> dict[str, File]:
        """The papers that apply, by the name they get on the case."""
        data = self.cleaned_data
        wanted = {
            "body_document": data["requester_type"] == ppid_kind.LEGAL_BODY,
            "proxy_document": data["capacity"] == ppid_kind.PROXY,
        }
        return {
            f"{DOCUMENTS[field]}{os.path.splitext(data[field].name or '')[1].lower()}": data[field]
            for field, needed in wanted.items()
            if needed and data.get(field) is not None
        }
