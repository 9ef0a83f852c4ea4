"""A person's copy of their data (UU 27/2022 Pasal 32): their contact, cases, messages,
attachments and events, as JSON to reuse and PDF to read.

Without other people's personal data (Pasal 33): terms staff marked as personal in a case (a
neighbour named in a complaint) and the names of other reporters of merged cases are masked,
every phone number, NIK and e-mail in free text is masked (an official's private number
included), and officials appear by their unit only.
"""

from __future__ import annotations

import io
import json
from typing import Any
from xml.sax.saxutils import escape as _escape

from django.db.models import Q, QuerySet
from django.utils import timezone

from wadul.cases.models import Attachment, Case, Contact, Message
from wadul.privacy import services


def collect(contact: Contact) -> dict[str, Any]:
    cases = (
        Case.objects.filter(contact=contact)
        .select_related("unit", "duplicate_of__contact")
        .prefetch_related("messages__author__unit", "attachments", "events", "duplicates__contact")
        .order_by("created_at")
    )
    return {
        "dibuat": timezone.now().isoformat(),
        "kontak": {
            "nama": contact.display_name,
            "identitas": [
                {"jenis": identity.kind, "nilai": identity.value}
                for identity in contact.identities.all()
            ],
            "tercatat_sejak": contact.created_at.isoformat(),
        },
        "kasus": [_case(case, contact) for case in cases],
    }


def own_files(contact: Contact) -> QuerySet[Attachment]:
    """The files this person sent: on their own cases, with their own messages (or none: a
    photo handed over at the counter). Never a file on another reporter's case (a merged
    duplicate keeps its own), nor what officials sent them."""
    return (
        Attachment.objects.filter(case__contact=contact)
        .filter(Q(message__isnull=True) | Q(message__direction=Message.Direction.INBOUND))
        .select_related("case")
        .order_by("created_at", "pk")
    )


def _others(case: Case, contact: Contact) -> list[str]:
    """Other people this case names: marked terms and other reporters of merged cases."""
    terms = services.case_terms(case)
    related = list(case.duplicates.all())
    if case.duplicate_of is not None:
        related.append(case.duplicate_of)
    for other in related:
        if other.contact is not None and other.contact_id != contact.pk:
            terms += services.name_terms(other.contact.display_name)
    own = {term.lower() for term in services.name_terms(contact.display_name)}
    return [term for term in terms if term.lower() not in own]


def _case(case: Case, contact: Contact) -> dict[str, Any]:
    mask = services.masker(_others(case, contact))
    return {
        "nomor": case.tracking_number,
        "jenis": case.type,
        "status": case.status,
        "unit": case.unit.name if case.unit_id else None,
        "dibuka": case.created_at.isoformat(),
        "ditutup": case.closed_at.isoformat() if case.closed_at else None,
        "judul": mask(case.subject),
        "uraian": mask(case.description),
        "rincian": {key: mask(str(value)) for key, value in (case.details or {}).items()},
        "lokasi": [case.latitude, case.longitude] if case.latitude is not None else None,
        "pesan": [
            {
                "waktu": message.created_at.isoformat(),
                "arah": message.direction,
                "dari": _author(message),
                "teks": mask(message.text),
            }
            # Internal notes are the regency's working papers, not the person's data.
            for message in case.messages.all()
            if message.direction != Message.Direction.NOTE
        ],
        "lampiran": [
            {
                "jenis": item.kind,
                "nama": item.original_name,
                "ukuran": item.size,
                "waktu": item.created_at.isoformat(),
            }
            for item in case.attachments.all()
        ],
        "riwayat": [
            {"waktu": event.at.isoformat(), "kejadian": event.kind} for event in case.events.all()
        ],
    }


def _author(message: Message) -> str:
    if message.direction == Message.Direction.INBOUND:
        return "Anda"
    if message.author_id and message.author.unit_id:
        return f"Petugas {message.author.unit.name}"
    return "Sistem"


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def as_pdf(data: dict[str, Any]) -> bytes:
    """The same bundle, to read."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    story = [
        Paragraph("Salinan data pribadi Anda (UU 27/2022)", styles["Title"]),
        Paragraph(f"Dibuat {data['dibuat'][:16].replace('T', ' ')}", styles["Normal"]),
        Paragraph(f"Nama: {_escape(data['kontak']['nama'] or '-')}", styles["Normal"]),
    ]
    for identity in data["kontak"]["identitas"]:
        story.append(Paragraph(f"{identity['jenis']}: {identity['nilai']}", styles["Normal"]))
    for case in data["kasus"]:
        story += [
            Spacer(1, 12),
            Paragraph(f"Kasus {case['nomor']} · {case['status']}", styles["Heading2"]),
            Paragraph(_escape(case["uraian"]), styles["Normal"]),
        ]
        for message in case["pesan"]:
            line = f"{message['waktu'][:16].replace('T', ' ')} {message['dari']}: {message['teks']}"
            story.append(Paragraph(_escape(line), styles["Normal"]))
        for item in case["lampiran"]:
            story.append(
                Paragraph(_escape(f"Lampiran: {item['jenis']} {item['nama']}"), styles["Normal"])
            )
    SimpleDocTemplate(out, pagesize=A4, title="Data pribadi").build(story)
    return out.getvalue()
