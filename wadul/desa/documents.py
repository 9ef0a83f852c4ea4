"""The letter as a PDF: letterhead, title and number, the filled body, the place and date,
the signer's name and position, and a QR code that opens the public verification page."""

from __future__ import annotations

import io
from datetime import date

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def indonesian_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, box_size=4, border=1)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render(
    *,
    letterhead: str,
    address: str,
    title: str,
    number: str,
    body: str,
    place: str,
    issued_on: date,
    signer_name: str,
    signer_position: str,
    verify_url: str,
    countersigner_name: str = "",
    countersigner_position: str = "",
) -> bytes:
    """One A4 page (the body wraps; a very long body continues on further pages). With a
    countersigner (the camat), their "Mengetahui" block is on the left and the QR moves to
    the middle."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.setTitle(f"{title} {number}")
    width, height = A4
    y = height - 20 * mm
    for index, line in enumerate(filter(None, letterhead.splitlines())):
        pdf.setFont("Helvetica-Bold", 14 if index == len(letterhead.splitlines()) - 1 else 12)
        pdf.drawCentredString(width / 2, y, line.strip())
        y -= 6 * mm
    if address:
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(width / 2, y, address)
        y -= 4 * mm
    pdf.setLineWidth(1.5)
    pdf.line(20 * mm, y, width - 20 * mm, y)
    y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, y, title.upper())
    y -= 5 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(width / 2, y, f"Nomor: {number}")
    y -= 12 * mm
    pdf.setFont("Helvetica", 11)
    for line in _wrap(body, pdf, width - 50 * mm):
        if y < 60 * mm:
            pdf.showPage()
            pdf.setFont("Helvetica", 11)
            y = height - 25 * mm
        pdf.drawString(25 * mm, y, line)
        y -= 6 * mm
    y -= 8 * mm
    right = width - 80 * mm
    pdf.drawString(right, y, f"{place}, {indonesian_date(issued_on)}")
    for index, line in enumerate(signer_position.splitlines()):  # a deputy's "a.n." first
        pdf.drawString(right, y - (6 + 5 * index) * mm, line)
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(right, y - 34 * mm, signer_name)
    qr_left = 25 * mm
    if countersigner_name:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(25 * mm, y, "Mengetahui,")
        for index, line in enumerate(countersigner_position.splitlines()):
            pdf.drawString(25 * mm, y - (6 + 5 * index) * mm, line)
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(25 * mm, y - 34 * mm, countersigner_name)
        qr_left = width / 2 - 16 * mm
    pdf.drawImage(
        ImageReader(io.BytesIO(qr_png(verify_url))), qr_left, y - 38 * mm, 32 * mm, 32 * mm
    )
    pdf.setFont("Helvetica", 7)
    caption_y = y - (44 if countersigner_name else 42) * mm
    pdf.drawString(25 * mm, caption_y, "Ditandatangani secara elektronik. Periksa keaslian:")
    pdf.drawString(25 * mm, caption_y - 4 * mm, verify_url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _wrap(text: str, pdf: canvas.Canvas, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines():
        words, line = paragraph.split(" "), ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if pdf.stringWidth(candidate, "Helvetica", 11) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines
