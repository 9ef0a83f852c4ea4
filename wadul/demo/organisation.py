"""The Banyuwangi demo regency: units, external institutions, officials, numbers.

Agency names are Banyuwangi's own (PPID list, 2022). Everything here is upserted by a stable
key (unit code, username, phone number id), so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from wadul.organisation.models import Official, Region, Unit, WhatsAppNumber
from wadul.organisation.regions import import_regions

REGENCY_CODE = "35.10"
DEMO_PASSWORD = "wadul-demo"  # noqa: S105 (published demo logins)

K = Unit.Kind

# (code, name, kind, parent code)
OPDS: list[tuple[str, str, str, str]] = [
    ("SEKDA", "Sekretariat Daerah", K.SEKRETARIAT, "PEMKAB"),
    ("SETWAN", "Sekretariat DPRD", K.SEKRETARIAT, "PEMKAB"),
    ("INSPEKTORAT", "Inspektorat", K.INSPEKTORAT, "PEMKAB"),
    ("BAPENDA", "Badan Pendapatan Daerah", K.BADAN, "PEMKAB"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", K.BADAN, "PEMKAB"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", K.BADAN, "PEMKAB"),
    ("BAKESBANGPOL", "Badan Kesatuan Bangsa dan Politik", K.BADAN, "PEMKAB"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", K.BADAN, "PEMKAB"),
    ("BKPP", "Badan Kepegawaian, Pendidikan dan Pelatihan", K.BADAN, "PEMKAB"),
    ("DISPENDIK", "Dinas Pendidikan", K.DINAS, "PEMKAB"),
    ("DINKES", "Dinas Kesehatan", K.DINAS, "PEMKAB"),
    ("RSUD-BLAMBANGAN", "RSUD Blambangan", K.RSUD, "DINKES"),
    ("RSUD-GENTENG", "RSUD Genteng", K.RSUD, "DINKES"),
    ("DPU-CK", "Dinas Pekerjaan Umum, Cipta Karya dan Penataan Ruang", K.DINAS, "PEMKAB"),
    ("DPU-PENGAIRAN", "Dinas Pekerjaan Umum Pengairan", K.DINAS, "PEMKAB"),
    ("DISNAKERTRANSPERIN", "Dinas Tenaga Kerja, Transmigrasi dan Perindustrian", K.DINAS, "PEMKAB"),
    ("DLH", "Dinas Lingkungan Hidup", K.DINAS, "PEMKAB"),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", K.DINAS, "PEMKAB"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.DINAS, "PEMKAB"),
    ("DINSOS", "Dinas Sosial, Pemberdayaan Perempuan dan Keluarga Berencana", K.DINAS, "PEMKAB"),
    ("DISPENDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", K.DINAS, "PEMKAB"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", K.DINAS, "PEMKAB"),
    ("DISHUB", "Dinas Perhubungan", K.DINAS, "PEMKAB"),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian", K.DINAS, "PEMKAB"),
    ("PENGADUAN", "Pusat Layanan Pengaduan (Command Centre)", K.CENTRAL_DESK, "DISKOMINFO"),
    ("DISKOPUMDAG", "Dinas Koperasi, Usaha Mikro dan Perdagangan", K.DINAS, "PEMKAB"),
    ("DISPERIKANAN", "Dinas Perikanan", K.DINAS, "PEMKAB"),
    ("DISPERTAPANG", "Dinas Pertanian dan Pangan", K.DINAS, "PEMKAB"),
    ("DISPORA", "Dinas Pemuda dan Olah Raga", K.DINAS, "PEMKAB"),
    ("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", K.DINAS, "PEMKAB"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", K.SATPOL_PP, "PEMKAB"),
    ("DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", K.DINAS, "PEMKAB"),
    # A few bidang, where cases are actually worked.
    ("DPU-CK-BM", "Bidang Bina Marga (Jalan dan Jembatan)", K.BIDANG, "DPU-CK"),
    ("DPU-CK-CK", "Bidang Cipta Karya (PJU dan Drainase)", K.BIDANG, "DPU-CK"),
    ("DPU-CK-TR", "Bidang Penataan Ruang", K.BIDANG, "DPU-CK"),
    ("DINKES-YANKES", "Bidang Pelayanan Kesehatan", K.BIDANG, "DINKES"),
    ("DINKES-P2P", "Bidang Pencegahan dan Pengendalian Penyakit", K.BIDANG, "DINKES"),
    ("DLH-SAMPAH", "Bidang Pengelolaan Sampah", K.BIDANG, "DLH"),
    ("DISHUB-LLAJ", "Bidang Lalu Lintas Angkutan Jalan", K.BIDANG, "DISHUB"),
]

# (code, name, referral text)
EXTERNAL: list[tuple[str, str, str]] = [
    (
        "PLN",
        "PLN UP3 Banyuwangi",
        "Gangguan listrik rumah dan tiang PLN ditangani PLN. Hubungi PLN 123 atau aplikasi PLN "
        "Mobile, sebutkan ID pelanggan Anda.",
    ),
    (
        "BPN",
        "Kantor Pertanahan Kabupaten Banyuwangi (BPN)",
        "Sengketa dan sertifikat tanah adalah kewenangan Kantor Pertanahan (BPN) Banyuwangi, "
        "Jl. Jaksa Agung Suprapto. Bawa fotokopi sertifikat dan KTP.",
    ),
    (
        "POLRESTA",
        "Polresta Banyuwangi",
        "Tindak pidana dilaporkan ke Polresta Banyuwangi atau Polsek terdekat. Dalam keadaan "
        "darurat hubungi 110 atau 112.",
    ),
    (
        "BBPJN",
        "BBPJN Jawa Timur–Bali (jalan nasional)",
        "Jalan nasional (mis. Jalur Pantura Situbondo–Banyuwangi–Jember) dikelola BBPJN Jawa "
        "Timur–Bali, Kementerian PU. Laporan bisa disampaikan lewat aplikasi JAKI/Sipatuh PU.",
    ),
    (
        "UPT-PJJ-JATIM",
        "UPT Pengelolaan Jalan dan Jembatan Provinsi Jawa Timur",
        "Jalan provinsi dikelola Dinas PU Bina Marga Provinsi Jawa Timur (UPT PJJ Banyuwangi).",
    ),
    (
        "BPJS-KES",
        "BPJS Kesehatan Cabang Banyuwangi",
        "Kepesertaan dan klaim JKN ditangani BPJS Kesehatan: Care Center 165 atau aplikasi "
        "Mobile JKN.",
    ),
    (
        "PDAM",
        "Perumda Air Minum Blambangan (PDAM)",
        "Gangguan air PDAM ditangani Perumda Air Minum Blambangan. Sebutkan nomor sambungan "
        "pelanggan Anda.",
    ),
    (
        "SAMSAT",
        "UPT Samsat Banyuwangi (Bapenda Jawa Timur)",
        "Pajak kendaraan bermotor dan STNK adalah urusan Samsat (Bapenda Provinsi Jawa Timur).",
    ),
]


@dataclass(frozen=True)
class DemoOfficial:
    username: str
    first_name: str
    last_name: str
    unit: str
    role: str
    position: str
    whatsapp: str = ""


OFFICIALS: list[DemoOfficial] = [
    DemoOfficial("admin", "Admin", "Wadul", "DISKOMINFO", "admin", "Administrator sistem"),
    DemoOfficial(
        "operator",
        "Rina",
        "Puspitasari",
        "PENGADUAN",
        "operator",
        "Operator Command Centre",
        "6281100000101",
    ),
    DemoOfficial(
        "operator2",
        "Yusuf",
        "Hidayat",
        "PENGADUAN",
        "operator",
        "Operator Command Centre",
        "6281100000102",
    ),
    DemoOfficial(
        "supervisor",
        "Bambang",
        "Wiyono",
        "SEKDA",
        "supervisor",
        "Sekretaris Daerah",
        "6281100000103",
    ),
    DemoOfficial(
        "pu.kepala",
        "Dwi",
        "Yulianto",
        "DPU-CK",
        "head",
        "Kepala Dinas PU Cipta Karya",
        "6281100000201",
    ),
    DemoOfficial(
        "pu.jalan",
        "Agus",
        "Setiawan",
        "DPU-CK-BM",
        "staff",
        "Teknisi Bina Marga",
        "6281100000202",
    ),
    DemoOfficial(
        "pu.pju",
        "Sri",
        "Wahyuni",
        "DPU-CK-CK",
        "staff",
        "Staf Bidang Cipta Karya",
        "6281100000203",
    ),
    DemoOfficial(
        "dinkes.kepala",
        "Lukman",
        "Hakim",
        "DINKES",
        "head",
        "Kepala Dinas Kesehatan",
        "6281100000301",
    ),
    DemoOfficial(
        "dinkes.staf",
        "Nur",
        "Aini",
        "DINKES-YANKES",
        "staff",
        "Staf Pelayanan Kesehatan",
        "6281100000302",
    ),
    DemoOfficial(
        "camat.genteng",
        "Hadi",
        "Prasetyo",
        "KEC-GENTENG",
        "head",
        "Camat Genteng",
        "6281100000401",
    ),
    DemoOfficial(
        "genteng.staf",
        "Siti",
        "Maemunah",
        "KEC-GENTENG",
        "staff",
        "Kasi Pelayanan Umum",
        "6281100000402",
    ),
    DemoOfficial(
        "dukcapil.staf",
        "Eko",
        "Purnomo",
        "DISPENDUKCAPIL",
        "staff",
        "Staf Pelayanan Dukcapil",
        "6281100000501",
    ),
    DemoOfficial(
        "dishub.staf",
        "Rudi",
        "Hartono",
        "DISHUB",
        "staff",
        "Staf Dinas Perhubungan",
        "6281100000601",
    ),
    DemoOfficial(
        "dlh.staf",
        "Wulan",
        "Sari",
        "DLH",
        "staff",
        "Staf Dinas Lingkungan Hidup",
        "6281100000701",
    ),
]

# (phone_number_id, display number, unit code, central?, coexistence?)
NUMBERS: list[tuple[str, str, str, bool, bool]] = [
    ("110000000000001", "+62 811-3500-112", "PENGADUAN", True, False),
    ("110000000000002", "+62 811-3500-201", "DPU-CK", False, False),
    ("110000000000003", "+62 811-3500-301", "DINKES", False, False),
    # Each bidang whose staff work cases has its own number, so that a citizen writing to it
    # reaches the official who answers (the OPD's number reaches its head).
    ("110000000000008", "+62 811-3500-202", "DPU-CK-BM", False, False),
    ("110000000000009", "+62 811-3500-203", "DPU-CK-CK", False, False),
    ("110000000000010", "+62 811-3500-302", "DINKES-YANKES", False, False),
    ("110000000000004", "+62 811-3500-401", "KEC-GENTENG", False, True),
    ("110000000000005", "+62 811-3500-501", "DISPENDUKCAPIL", False, False),
    ("110000000000006", "+62 811-3500-601", "DISHUB", False, False),
    ("110000000000007", "+62 811-3500-701", "DLH", False, False),
]


def kecamatan_unit_code(region: Region) -> str:
    return "KEC-" + region.name.upper().replace(" ", "")[:20]


def desa_unit_code(region: Region) -> str:
    return "DESA-" + region.code.replace(".", "")


def _upsert_unit(code: str, **fields) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return Unit.objects.create(code=code, **fields)
    changed = [name for name, value in fields.items() if getattr(unit, name) != value]
    if changed:
        for name in changed:
            setattr(unit, name, fields[name])
        unit.save()
    return unit


def load_organisation() -> dict[str, Unit]:
    import_regions(REGENCY_CODE)
    regency = Region.objects.get(code=REGENCY_CODE)
    units: dict[str, Unit] = {}
    units["PEMKAB"] = _upsert_unit(
        "PEMKAB",
        name="Pemerintah Kabupaten Banyuwangi",
        kind=K.REGENCY,
        parent=None,
        region=regency,
    )
    for code, name, kind, parent in OPDS:
        units[code] = _upsert_unit(code, name=name, kind=kind, parent=units[parent])
    for kecamatan in Region.objects.filter(parent=regency).order_by("code"):
        office = _upsert_unit(
            kecamatan_unit_code(kecamatan),
            name=f"Kecamatan {kecamatan.name}",
            kind=K.KECAMATAN,
            parent=units["PEMKAB"],
            region=kecamatan,
        )
        units[office.code] = office
        for desa in kecamatan.children.order_by("code"):
            title = "Kelurahan" if desa.kind == "kelurahan" else "Desa"
            unit = _upsert_unit(
                desa_unit_code(desa),
                name=f"{title} {desa.name}",
                kind=K.DESA,
                parent=office,
                region=desa,
            )
            units[unit.code] = unit
    for code, name, referral in EXTERNAL:
        units[code] = _upsert_unit(
            code, name=name, kind=K.EXTERNAL, parent=None, referral_text=referral
        )
    for person in OFFICIALS:
        _upsert_official(person, units[person.unit])
    for phone_number_id, display, unit_code, central, coexistence in NUMBERS:
        WhatsAppNumber.objects.update_or_create(
            phone_number_id=phone_number_id,
            defaults={
                "display_number": display,
                "unit": units[unit_code],
                "is_central": central,
                "coexistence": coexistence,
                "label": units[unit_code].name,
            },
        )
    return units


def _upsert_official(person: DemoOfficial, unit: Unit) -> Official:
    fields = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "unit": unit,
        "role": person.role,
        "position": person.position,
        "whatsapp_number": person.whatsapp,
        "email": f"{person.username}@demo.banyuwangikab.go.id",
        "is_staff": person.role == Official.Role.ADMIN,
        "is_superuser": person.role == Official.Role.ADMIN,
    }
    official = Official.objects.filter(username=person.username).first()
    if official is None:
        official = Official(username=person.username, **fields)
        official.set_password(DEMO_PASSWORD)
        official.save()
        return official
    changed = [name for name, value in fields.items() if getattr(official, name) != value]
    if changed:
        for name in changed:
            setattr(official, name, fields[name])
        official.save(update_fields=changed)
    return official
