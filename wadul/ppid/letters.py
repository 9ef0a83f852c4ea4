"""Letters as PDF: the regency's letterhead, the sequential number, a body from an editable
template (a `LetterTemplate` row, else the bundled `ppid/letters/<code>.txt`)."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.template import Context, Template
from django.template.loader import get_template

from wadul.ppid.models import LetterTemplate

TITLES = {
    "receipt": "Tanda Bukti Penerimaan Permohonan Informasi Publik",
    "completion": "Permintaan Kelengkapan Permohonan Informasi Publik",
    "notice": "Pemberitahuan Tertulis",
    "extension": "Pemberitahuan Perpanjangan Waktu",
    "objection_receipt": "Tanda Bukti Penerimaan Keberatan",
    "atasan_decision": "Tanggapan Atasan PPID atas Keberatan",
}


def title_of(code: str) -> str:
    row = LetterTemplate.objects.filter(code=code).values_list("title", flat=True).first()
    return row or TITLES[code]


def body_text(code: str, context: dict[str, Any]) -> str:
    """The letter's words: the editable template if one was saved, else the bundled one."""
    row = LetterTemplate.objects.filter(code=code).values_list("body", flat=True).first()
    if row is not None:
        return Template(row).render(Context(context, autoescape=False))
    return get_template(f"ppid/letters/{code}.txt").render(context)


def render_pdf(*, code: str, number: str, title: str, context: dict[str, Any]) -> bytes:
    """One letter as PDF bytes (raises whatever the template or reportlab raise)."""
    # reportlab loads here, not in every worker and command that imports the services.
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    text = body_text(code, context)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=20 * mm,
        title=f"{title} {number}",
        author=settings.REGENCY_NAME,
        pageCompression=0,
    )
    styles = getSampleStyleSheet()
    head = ParagraphStyle("head", parent=styles["Title"], fontSize=14, spaceAfter=0, leading=17)
    sub = ParagraphStyle("sub", parent=styles["Normal"], alignment=1, fontSize=10, leading=13)
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=11, leading=15, spaceAfter=6)
    story: list[Any] = [
        Paragraph(f"PEMERINTAH {escape(settings.REGENCY_NAME.upper())}", head),
        Paragraph("PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI (PPID)", sub),
        Paragraph(escape(context.get("desk", "")), sub),
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.5, color=colors.black),
        Spacer(1, 6 * mm),
        Paragraph(f"<b>{escape(title.upper())}</b>", sub),
        Paragraph(f"Nomor: {escape(number)}", sub),
        Spacer(1, 6 * mm),
    ]
    for paragraph in text.strip().split("\n\n"):
        lines = [escape(line) for line in paragraph.strip().splitlines()]
        if lines:
            story.append(Paragraph("<br/>".join(lines), body))
    doc.build(story)
    return buffer.getvalue()
