"""The demo's PPID: Diskominfo as PPID Utama, each OPD's PPID Pelaksana, the Sekda as
atasan PPID; a few DIP entries, requests at each stage and citizens subscribed to serta
merta announcements on the central number. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from wadul.cases import events
from wadul.cases.models import Channel, Contact, ContactIdentity
from wadul.demo.organisation import DemoOfficial, _upsert_official
from wadul.organisation.models import Unit, WhatsAppNumber
from wadul.ppid import services
from wadul.ppid.models import Desk, PpidRequest, Subscriber

PELAKSANA_KINDS = {
    Unit.Kind.DINAS,
    Unit.Kind.BADAN,
    Unit.Kind.INSPEKTORAT,
    Unit.Kind.SATPOL_PP,
    Unit.Kind.SEKRETARIAT,
    Unit.Kind.RSUD,
    Unit.Kind.KECAMATAN,
}
PPID_OFFICIALS = [
    DemoOfficial("ppid.utama", "Lestari", "Wulandari", "DISKOMINFO", "staff", "PPID Utama"),
    DemoOfficial("ppid.atasan", "Bambang", "Wiyono", "SEKDA", "head", "Atasan PPID (Sekda)"),
    DemoOfficial("ppid.pu", "Agus", "Setiawan", "DPU-CK", "staff", "PPID Pelaksana Dinas PU"),
]
DIP = [
    (
        "DIP-2026-001",
        "APBD Kabupaten Banyuwangi Tahun Anggaran 2026",
        "BPKAD",
        "berkala",
        "Kepala BPKAD",
        "Januari 2026, Banyuwangi",
        "PDF",
        "Permanen",
        "",
    ),
    (
        "DIP-2026-002",
        "LKPJ Bupati Tahun 2025",
        "BAPPEDA",
        "berkala",
        "Kepala Bappeda",
        "Maret 2026, Banyuwangi",
        "PDF",
        "Permanen",
        "",
    ),
    (
        "DIP-2026-003",
        "Peringatan dini banjir dan tanah longsor Kecamatan Kalibaru",
        "BPBD",
        "serta_merta",
        "Kepala Pelaksana BPBD",
        "Desember 2026, Banyuwangi",
        "Pengumuman",
        "1 tahun",
        "",
    ),
    (
        "DIP-2026-004",
        "Pemadaman air PDAM terencana wilayah Genteng",
        "DPU-PENGAIRAN",
        "serta_merta",
        "Kepala Dinas PU Pengairan",
        "Desember 2026",
        "Pengumuman",
        "1 tahun",
        "",
    ),
    (
        "DIP-2026-005",
        "Standar pelayanan perizinan berusaha",
        "DPMPTSP",
        "setiap_saat",
        "Kepala DPMPTSP",
        "2025, Mal Pelayanan Publik",
        "PDF, cetak",
        "5 tahun",
        "",
    ),
    (
        "DIP-2026-006",
        "Daftar rumah sakit rujukan dan jadwal dokter",
        "DINKES",
        "setiap_saat",
        "Kepala Dinas Kesehatan",
        "2026, Banyuwangi",
        "Web",
        "1 tahun",
        "",
    ),
    (
        "DIP-2026-007",
        "Laporan hasil audit investigatif pengadaan 2026 (dalam penyidikan)",
        "INSPEKTORAT",
        "dikecualikan",
        "Inspektur",
        "2026, Inspektorat",
        "Arsip",
        "10 tahun",
        "UK-2026/03 (Pasal 17 huruf a)",
    ),
    (
        "DIP-2026-008",
        "Data pribadi penerima bantuan sosial (nama, NIK)",
        "DINSOS",
        "dikecualikan",
        "Kepala Dinas Sosial",
        "2026",
        "Basis data",
        "5 tahun",
        "UK-2026/05 (Pasal 17 huruf h)",
    ),
]
# Citizens who wrote "langganan info" to the central number (WhatsApp IDs).
SUBSCRIBERS = [
    ("Dewi Kartika", "6281234560101"),
    ("Rudi Hartono", "6285234560102"),
    ("Nur Aini", "6287734560103"),
]
REQUESTS = [
    ("Rini Astuti", "3510015203900002", "Salinan DPA Dinas PU tahun 2026", None),
    (
        "Hendra Gunawan",
        "3510020101850003",
        "Daftar paket pekerjaan jalan 2026 beserta nilai kontrak",
        "extend",
    ),
    ("Sri Wahyuni", "3510034405920004", "Dokumen AMDAL pembangunan pasar Genteng", "partly"),
    ("Joko Prasetyo", "3510041212800005", "Laporan audit pengadaan 2026", "objected"),
]


def load_ppid(units: dict[str, Unit]) -> int:
    services.designate(units["DISKOMINFO"], role=Desk.Role.UTAMA)
    services.designate(units["SEKDA"], role=Desk.Role.ATASAN)
    for code, unit in units.items():
        if unit.kind in PELAKSANA_KINDS and code not in ("DISKOMINFO", "SEKDA"):
            services.designate(unit, role=Desk.Role.PELAKSANA)
    officials = {p.username: _upsert_official(p, units[p.unit]) for p in PPID_OFFICIALS}
    for number, summary, unit, category, who, made, form, retention, test in DIP:
        services.publish_dip_item(
            number=number,
            summary=summary,
            unit=units[unit],
            category=category,
            responsible=who,
            made=made,
            form=form,
            retention=retention,
            consequence_test_ref=test,
        )
    # After the DIP: the serta merta items are announced already, none goes out again.
    _subscribers()
    if PpidRequest.objects.filter(nik=REQUESTS[0][1]).exists():
        return 0
    return _requests(units, officials)


def _subscribers() -> None:
    number = WhatsAppNumber.objects.filter(is_central=True).first()
    for name, wa_id in SUBSCRIBERS:
        identity = ContactIdentity.objects.filter(
            kind=ContactIdentity.Kind.WA_ID, value=wa_id
        ).first()
        if identity is None:
            contact = Contact.objects.create(display_name=name)
            ContactIdentity.objects.create(
                contact=contact, kind=ContactIdentity.Kind.WA_ID, value=wa_id
            )
        else:
            contact = identity.contact
        if not Subscriber.objects.filter(contact=contact).exists():
            services.subscribe(contact, channel=Channel.WHATSAPP, number=number, at=timezone.now())


def _requests(units: dict[str, Unit], officials) -> int:
    utama, pu = officials["ppid.utama"], officials["ppid.pu"]
    start = timezone.now() - timedelta(days=6)
    with events.historical_import():
        for index, (name, nik, information, step) in enumerate(REQUESTS):
            at = start + timedelta(hours=index * 5)
            request = services.register_at_counter(
                channel="walk_in",
                actor=utama,
                via="inbox",
                name=name,
                nik=nik,
                address="Banyuwangi",
                contact="-",
                information=information,
                purpose="Pengawasan pembangunan oleh warga",
                obtain="salinan",
                receive="ambil",
                at=at,
            )
            if step is None:
                continue
            at += timedelta(hours=1)
            services.forward(request, to_unit=units["DPU-CK"], actor=utama, via="inbox", at=at)
            if step == "extend":
                services.extend(request, reason="Dokumen di arsip", actor=pu, via="inbox", at=at)
            elif step == "partly":
                services.decide(
                    request,
                    decision="partly_granted",
                    exemption_basis="17h",
                    consequence_test="Lampiran AMDAL: data pribadi pemilik lahan; Pasal 17 "
                    "huruf h; membuka rahasia pribadi.",
                    redactions="Nama dan NIK pemilik lahan (lampiran 3).",
                    cost="Salinan elektronik, tanpa biaya",
                    file=ContentFile(b"%PDF-1.4\n% demo\n", name="amdal-disamarkan.pdf"),
                    actor=pu,
                    via="inbox",
                    at=at + timedelta(hours=1),
                )
            elif step == "objected":
                services.decide(
                    request,
                    decision="refused",
                    exemption_basis="17a",
                    consequence_test="Laporan audit pengadaan 2026: dalam penyidikan; Pasal 17 "
                    "huruf a; menghambat penegakan hukum.",
                    actor=pu,
                    via="inbox",
                    at=at + timedelta(hours=1),
                )
                services.lodge_objection(
                    request,
                    grounds=["a"],
                    text="Audit sudah selesai",
                    via="walk_in",
                    at=at + timedelta(hours=2),
                )
    return len(REQUESTS)
