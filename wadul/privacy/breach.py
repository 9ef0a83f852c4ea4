"""The breach drill (UU 27/2022 Pasal 46): whose data did an incident expose, and the notices
due within 3 × 24 hours — to each person (an approved WhatsApp template, drafted here) and
to the authority (a PDF letter stating what data, when, how, and what was done).

The access log answers "whose data": every case an account opened (or exported) in the
window, and those cases' reporters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape as _escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.models import Case, Channel, Contact, Via
from wadul.organisation.models import Official
from wadul.privacy import requests
from wadul.privacy.models import AccessLog, BreachIncident


@dataclass(frozen=True)
class Affected:
    contact: Contact
    cases: list[str]
    notice: str  # the WhatsApp template's text, filled for this person


def affected_people(
    since: datetime, until: datetime, official: Official | None = None
) -> list[Affected]:
    """The reporters of every case seen in the window (by `official`, if given)."""
    seen = AccessLog.objects.filter(at__gte=since, at__lte=until, case__isnull=False)
    if official is not None:
        seen = seen.filter(official=official)
    cases = (
        Case.objects.filter(pk__in=seen.values("case_id"), contact__isnull=False)
        .select_related("contact")
        .order_by("contact_id", "tracking_number")
    )
    by_contact: dict[int, tuple[Contact, list[str]]] = {}
    for case in cases:
        by_contact.setdefault(case.contact_id, (case.contact, []))[1].append(case.tracking_number)
    return [
        Affected(contact, numbers, _notice(numbers, since, until))
        for contact, numbers in by_contact.values()
    ]


def _notice(numbers: list[str], since: datetime, until: datetime) -> str:
    window = f"{_local(since)} s.d. {_local(until)} WIB"
    return (
        f"Pemberitahuan kegagalan pelindungan data pribadi: data dalam laporan Anda "
        f"({', '.join(numbers)}) mungkin terlihat oleh pihak yang tidak berwenang pada {window}. "
        f"Kami telah menanganinya. Pertanyaan: ketik *data saya* atau hubungi "
        f"{settings.PRIVACY_DPO_NAME}."
    )


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d-%m-%Y %H.%M}"


def record(
    *, since: datetime, until: datetime, what: str, official: Official | None
) -> BreachIncident:
    """Record the incident with its DPO case (3 × 24-hour clock), drafts and letter."""
    people = affected_people(since, until, official)
    with transaction.atomic():
        case = case_services.open_case(
            channel=Channel.API,
            text=f"Insiden data pribadi {_local(since)}–{_local(until)}: {what}",
            subject="Insiden kegagalan pelindungan data pribadi",
            via=Via.SYSTEM,
            contact=None,
            unit=requests.dpo_unit(),
            type=requests.CODE,
            details={"insiden": what, "orang_terdampak": len(people)},
        )
        incident = BreachIncident.objects.create(
            since=since,
            until=until,
            what=what,
            official=official,
            case=case,
            affected=[
                {"contact": p.contact.pk, "cases": p.cases, "notice": p.notice} for p in people
            ],
        )
        incident.letter.save(f"insiden-{incident.pk}.pdf", ContentFile(letter_pdf(incident)))
    return incident


def letter_pdf(incident: BreachIncident) -> bytes:
    """The letter to the authority: what data, when, how, and what was done."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    who = f" melalui akun petugas {incident.official}" if incident.official else ""
    story = [
        Paragraph("Pemberitahuan Kegagalan Pelindungan Data Pribadi", styles["Title"]),
        Paragraph("Kepada: Lembaga Pelindungan Data Pribadi", styles["Normal"]),
        Spacer(1, 10),
        Paragraph(
            f"Waktu: {_local(incident.since)} s.d. {_local(incident.until)} WIB{who}.",
            styles["Normal"],
        ),
        Paragraph(f"Kejadian: {_escape(incident.what)}", styles["Normal"]),
        Paragraph(
            "Data yang terdampak: nama, nomor WhatsApp dan isi laporan dari "
            f"{len(incident.affected)} orang pelapor "
            f"({sum(len(p['cases']) for p in incident.affected)} laporan).",
            styles["Normal"],
        ),
        Paragraph(
            "Tindakan: akses akun dihentikan, log akses diperiksa, setiap orang terdampak "
            "diberi tahu melalui WhatsApp dalam 3 × 24 jam.",
            styles["Normal"],
        ),
        Spacer(1, 10),
        Paragraph(settings.PRIVACY_DPO_NAME, styles["Normal"]),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Pemberitahuan insiden").build(story)
    return out.getvalue()
