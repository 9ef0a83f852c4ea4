"""What the PPID publishes: the open-data rows of requests (no personal data) and the
yearly figures of UU 14/2008 Pasal 12 (the annual report of Perki 1/2021)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from wadul.ppid import letters as letter_texts
from wadul.ppid.models import PpidRequest

D = PpidRequest.Decision
OPEN_DATA_FIELDS = [
    "registration_number",
    "received",
    "decided",
    "unit",
    "subject",
    "decision",
    "exemption_basis",
    "working_days",
    "on_time",
    "extended",
    "objection",
    "objection_grounds",
    "outcome",
]


def _date(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


# What a public row is made of (`public_row`).
PUBLIC_VALUES = (
    "registration_number",
    "received_at",
    "decided_at",
    "handling_unit__name",
    "subject_public",
    "information",
    "decision",
    "exemption_basis",
    "working_days",
    "on_time",
    "extended_at",
    "objected_at",
    "objection_grounds",
    "outcome",
)


def public_row(r: dict[str, Any]) -> dict[str, Any]:
    """A request without personal data (no name, NIK, address or contact; the subject only
    when the requester agreed to its publication), from `PUBLIC_VALUES`."""
    return {
        "registration_number": r["registration_number"],
        "received": _date(r["received_at"]),
        "decided": _date(r["decided_at"]),
        "unit": r["handling_unit__name"] or "",
        "subject": public_subject(r["information"], r["subject_public"]),
        "decision": r["decision"],
        "exemption_basis": r["exemption_basis"],
        "working_days": r["working_days"],
        "on_time": r["on_time"],
        "extended": r["extended_at"] is not None,
        "objection": r["objected_at"] is not None,
        "objection_grounds": ",".join(r["objection_grounds"] or []),
        "outcome": r["outcome"],
    }


def public_subject(information: str, agreed: bool) -> str:
    return information[:200] if agreed else ""


def open_data_rows(year: int | None = None) -> Iterator[dict[str, Any]]:
    """One public row per request, oldest first."""
    requests = PpidRequest.objects.order_by("received_at", "pk").values(*PUBLIC_VALUES)
    if year is not None:
        requests = requests.filter(year=year)
    for r in requests.iterator(chunk_size=2000):
        yield public_row(r)


def figures(year: int) -> dict[str, Any]:
    """The Pasal 12 figures of one year (by registration year)."""
    requests = PpidRequest.objects.filter(year=year)
    counts = requests.aggregate(
        requests=Count("pk"),
        granted=Count("pk", filter=Q(decision=D.GRANTED)),
        partly_granted=Count("pk", filter=Q(decision=D.PARTLY)),
        refused=Count("pk", filter=Q(decision=D.REFUSED)),
        not_held=Count("pk", filter=Q(decision=D.NOT_HELD)),
        withdrawn=Count("pk", filter=Q(stage=PpidRequest.Stage.WITHDRAWN)),
        undecided=Count("pk", filter=Q(decision="") & ~Q(stage=PpidRequest.Stage.WITHDRAWN)),
        noticed_on_time=Count("pk", filter=Q(on_time=True)),
        noticed_late=Count("pk", filter=Q(on_time=False)),
        extended=Count("pk", filter=Q(extended_at__isnull=False)),
        objections=Count("pk", filter=Q(objected_at__isnull=False)),
        disputes=Count("pk", filter=Q(dispute_at__isnull=False)),
    )
    refused_by = Counter(
        requests.filter(decision__in=[D.REFUSED, D.PARTLY])
        .values_list("exemption_basis", flat=True)
        .iterator()
    )
    outcomes = Counter(requests.exclude(outcome="").values_list("outcome", flat=True).iterator())
    dispute_outcomes = Counter(
        requests.exclude(dispute_outcome="").values_list("dispute_outcome", flat=True).iterator()
    )
    days = sorted(
        requests.filter(working_days__isnull=False).values_list("working_days", flat=True)
    )
    return {
        "year": year,
        **counts,
        "refused_by_basis": dict(sorted(refused_by.items())),
        "objection_outcomes": dict(sorted(outcomes.items())),
        "dispute_outcomes": dict(sorted(dispute_outcomes.items())),
        "working_days_median": statistics.median(days) if days else None,
        "working_days_max": days[-1] if days else None,
        "by_unit": by_unit(year),
    }


def by_unit(year: int) -> list[dict[str, Any]]:
    """Per OPD (the one whose PPID handled each request, where an objection leaves it):
    requests, written notices sent, of them on time."""
    rows = (
        PpidRequest.objects.filter(year=year)
        .values("handling_unit__name")
        .annotate(
            requests=Count("pk"),
            decided=Count("pk", filter=~Q(decision="")),
            within=Count("pk", filter=Q(on_time=True)),
        )
        .order_by("handling_unit__name")
    )
    return [
        {
            "unit": row["handling_unit__name"] or "-",
            "requests": row["requests"],
            "decided": row["decided"],
            "on_time": row["within"],
        }
        for row in rows
    ]


LABELS = [
    ("requests", "Jumlah permohonan"),
    ("granted", "Dikabulkan seluruhnya"),
    ("partly_granted", "Dikabulkan sebagian"),
    ("refused", "Ditolak (dikecualikan)"),
    ("not_held", "Informasi tidak dikuasai"),
    ("withdrawn", "Dicabut"),
    ("undecided", "Belum diputus"),
    ("working_days_median", "Median hari kerja"),
    ("working_days_max", "Hari kerja terlama"),
    ("noticed_on_time", "Tepat waktu"),
    ("noticed_late", "Terlambat"),
    ("extended", "Diperpanjang"),
    ("objections", "Keberatan"),
    ("disputes", "Sengketa ke Komisi Informasi"),
]


def figures_pdf(data: dict[str, Any]) -> bytes:
    """The annual report's draft: the figures, refusals by basis, objections, per OPD."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Laporan PPID {data['year']}")
    styles = getSampleStyleSheet()
    rows = [[label, str(data[key] if data[key] is not None else "-")] for key, label in LABELS]
    rows += [[f"Ditolak: {basis}", str(n)] for basis, n in data["refused_by_basis"].items()]
    rows += [[f"Keberatan: {o}", str(n)] for o, n in data["objection_outcomes"].items()]
    rows += [[f"Sengketa: {o}", str(n)] for o, n in data["dispute_outcomes"].items()]
    units = [["OPD", "Permohonan", "Diputus", "Tepat waktu"]] + [
        [u["unit"], str(u["requests"]), str(u["decided"]), str(u["on_time"])]
        for u in data["by_unit"]
    ]
    story = [
        Paragraph(
            f"Laporan Layanan Informasi Publik {settings.REGENCY_NAME} {data['year']}",
            styles["Title"],
        ),
        Paragraph("UU 14/2008 Pasal 12; Perki 1/2021 (draf)", styles["Normal"]),
        Spacer(1, 12),
        Table(rows),
        Spacer(1, 12),
        Table(units),
    ]
    doc.build(story)
    return buffer.getvalue()


def _dispute_section(request: PpidRequest, para, stamp) -> list[Any]:
    """The dispute at the Komisi Informasi, once recorded: when, its register number, its
    outcome (or that none is known yet) and the notes."""
    if request.dispute_at is None:
        return []
    if request.dispute_outcome:
        outcome = f"{request.get_dispute_outcome_display()}, {stamp(request.dispute_outcome_at)}"
    else:
        outcome = "belum ada putusan"
    lines = [
        f"Didaftarkan: {stamp(request.dispute_at)}",
        f"Nomor register: {request.dispute_number}",
        f"Putusan: {outcome}",
    ]
    if request.dispute_note:
        lines.append(f"Catatan: {request.dispute_note}")
    return [
        Spacer(1, 8),
        para("Sengketa di Komisi Informasi", "Heading2"),
        *(para(line) for line in lines),
    ]


def dispute_file_pdf(request: PpidRequest) -> bytes:
    """The request's whole file for the Komisi Informasi (sengketa): its facts, the
    dispute once recorded, every letter's text with its number, every message and every
    event, as one PDF."""
    styles = getSampleStyleSheet()
    case = request.case

    def para(text: str, style: str = "Normal") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), styles[style])

    def stamp(moment) -> str:
        return f"{timezone.localtime(moment):%d-%m-%Y %H:%M} WIB"

    story: list[Any] = [
        para(f"Berkas sengketa informasi — permohonan {request.registration_number}", "Title"),
        para(
            f"Diterima {stamp(request.received_at)}; tahap: {request.get_stage_display()}; "
            f"keputusan: {request.get_decision_display() or '-'}; "
            f"keberatan: {', '.join(request.objection_grounds) or '-'}; "
            f"tanggapan atasan: {request.get_outcome_display() or '-'}"
        ),
        para(f"Informasi yang diminta: {request.information}"),
        *_dispute_section(request, para, stamp),
        Spacer(1, 8),
        para("Surat", "Heading2"),
    ]
    for letter in request.letters.all():
        story.append(
            para(f"{letter.title} — No. {letter.number} ({stamp(letter.created_at)})", "Heading3")
        )
        try:
            story.append(para(letter_texts.body_text(letter.code, letter.context)))
        except Exception as error:  # noqa: BLE001 (a broken template must not hide the rest)
            story.append(para(f"[teks surat tidak dapat dibuat: {error}]"))
    story += [Spacer(1, 8), para("Pesan", "Heading2")]
    for message in case.messages.order_by("created_at", "pk"):
        who = {"inbound": "Pemohon", "outbound": "PPID", "note": "Catatan internal"}.get(
            message.direction, message.direction
        )
        story.append(para(f"{stamp(message.created_at)} · {who}: {message.text}"))
    story += [Spacer(1, 8), para("Riwayat", "Heading2")]
    for event in case.events.select_related("actor").order_by("at", "pk"):
        actor = event.actor.get_username() if event.actor else event.via
        story.append(para(f"{stamp(event.at)} · {event.kind} · {actor}"))
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Berkas sengketa {request.registration_number}",
        pageCompression=0,
    ).build(story)
    return buffer.getvalue()
