"""The register of processing (UU 27/2022 Pasal 31), generated from the configuration: the
retention schedule gives how long, the database setting where it is stored, the registered
request kinds what the desk handles."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from wadul.cases import kinds
from wadul.core import retention

LEGAL_BASIS = (
    "Pelaksanaan tugas pelayanan publik dan kewenangan pemerintah daerah "
    "(UU 27/2022 Pasal 20 ayat (2) huruf e; UU 25/2009 tentang Pelayanan Publik)"
)


@dataclass(frozen=True)
class Entry:
    data: str
    purpose: str
    recipients: str
    retention: str


def _days(name: str) -> str:
    rule = retention.RULES.get(name)
    if rule is None:
        return "selama diperlukan"
    if rule.days % 365 == 0:
        return f"{rule.days // 365} tahun"
    return f"{rule.days} hari"


def storage() -> str:
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    host = getattr(settings, "WADUL_HOST_NAME", "server Pemkab")
    return f"Basis data {engine} milik pemerintah daerah ({host})"


def entries() -> list[Entry]:
    kinds_handled = ", ".join(str(kind.label) for kind in kinds.all_kinds())
    return [
        Entry(
            "Nomor WhatsApp, nama profil WhatsApp, nomor telepon/e-mail dari formulir web",
            "Menerima laporan dan permohonan, mengirim nomor pelacakan dan jawaban",
            "Unit/OPD yang menangani; Meta Platforms (WhatsApp Cloud API) sebagai pemroses",
            f"kontak tanpa kasus dianonimkan setelah {_days('inactive_contacts')}",
        ),
        Entry(
            f"Isi laporan dan permohonan ({kinds_handled}), lokasi, foto dan dokumen",
            "Menangani, meneruskan atau merujuk laporan; statistik kinerja layanan",
            "Unit/OPD yang menangani; lembaga rujukan; SP4N-LAPOR! (direncanakan)",
            f"kasus ditutup dianonimkan setelah {_days('closed_cases')}",
        ),
        Entry(
            "NIK dan data permohonan layanan (bila diminta oleh jenis layanan)",
            "Memproses layanan yang dimohonkan",
            "Unit yang menerbitkan layanan",
            f"bersama kasus: {_days('closed_cases')}",
        ),
        Entry(
            "Data mentah WhatsApp (webhook, log panggilan API)",
            "Pemrosesan pesan, pemeriksaan gangguan",
            "Administrator sistem",
            f"{_days('webhook_payloads')} setelah diproses",
        ),
        Entry(
            "Log akses petugas (siapa membuka kasus siapa)",
            "Pengawasan oleh Pejabat Pelindungan Data Pribadi",
            "Pejabat Pelindungan Data Pribadi (DPO)",
            "selama diperlukan untuk pengawasan",
        ),
    ]


def as_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story = [
        Paragraph("Catatan Kegiatan Pemrosesan Data Pribadi", styles["Title"]),
        Paragraph(f"Dasar hukum: {LEGAL_BASIS}", styles["Normal"]),
        Paragraph(f"Tempat penyimpanan: {storage()}", styles["Normal"]),
    ]
    for entry in entries():
        story += [
            Spacer(1, 10),
            Paragraph(entry.data, styles["Heading3"]),
            Paragraph(f"Tujuan: {entry.purpose}", styles["Normal"]),
            Paragraph(f"Penerima: {entry.recipients}", styles["Normal"]),
            Paragraph(f"Masa simpan: {entry.retention}", styles["Normal"]),
        ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Register pemrosesan").build(story)
    return out.getvalue()
