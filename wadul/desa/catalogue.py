"""The letters a desa or kelurahan in Banyuwangi issues most, as catalogue entries a unit
can install (`install`): the demo seeds them for every desa, an admin then adapts them."""

from __future__ import annotations

from django.db import transaction

from wadul.desa.models import Delivery, LetterOffice, Service, Signer
from wadul.organisation.models import Unit

PERSON = [
    {"name": "nama", "label": "Nama lengkap (sesuai KTP)", "type": "text"},
    {"name": "nik", "label": "NIK (16 angka di KTP)", "type": "nik"},
]
KK = {"name": "no_kk", "label": "Nomor Kartu Keluarga (16 angka)", "type": "kk"}
ADDRESS = {"name": "alamat", "label": "Alamat lengkap (dusun, RT/RW)", "type": "text"}
PURPOSE = {"name": "keperluan", "label": "Untuk keperluan apa surat ini", "type": "text"}

OPENING = (
    "Yang bertanda tangan di bawah ini, {jabatan_penandatangan}, "
    "menerangkan dengan sebenarnya bahwa:\n"
    "Nama : {nama}\nNIK : {nik}\n"
)
CLOSING = "\n\nDemikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."

STANDARD: list[dict] = [
    {
        "code": "domisili",
        "name": "Surat Keterangan Domisili",
        "title": "Surat Keterangan Domisili",
        "fields": [*PERSON, KK, ADDRESS, PURPOSE],
        "documents": ["ktp", "kk"],
        "target_hours": 8,
        "template": OPENING
        + "Alamat : {alamat}\n\nadalah benar penduduk yang berdomisili di wilayah {nama_unit}. "
        "Surat ini diberikan untuk keperluan {keperluan}." + CLOSING,
    },
    {
        "code": "sktm",
        "name": "Surat Keterangan Tidak Mampu (SKTM)",
        "title": "Surat Keterangan Tidak Mampu",
        "fields": [*PERSON, KK, ADDRESS, PURPOSE],
        "documents": ["ktp", "kk", "pengantar_rt"],
        "target_hours": 8,
        "template": OPENING
        + "Alamat : {alamat}\n\nadalah benar warga {nama_unit} dari keluarga tidak mampu. "
        "Surat ini diberikan untuk keperluan {keperluan}." + CLOSING,
    },
    {
        "code": "skck",
        "name": "Surat Pengantar SKCK",
        "title": "Surat Pengantar",
        "fields": [*PERSON, ADDRESS, PURPOSE],
        "documents": ["ktp", "kk"],
        "target_hours": 4,
        "template": OPENING
        + "Alamat : {alamat}\n\nadalah benar warga {nama_unit}, berkelakuan baik dan tidak "
        "pernah tersangkut perkara pidana sepanjang pengetahuan kami. Surat pengantar ini "
        "diberikan untuk mengurus Surat Keterangan Catatan Kepolisian (SKCK) di Polresta "
        "Banyuwangi guna keperluan {keperluan}." + CLOSING,
    },
    {
        "code": "sku",
        "name": "Surat Keterangan Usaha (SKU)",
        "title": "Surat Keterangan Usaha",
        "fields": [
            *PERSON,
            ADDRESS,
            {"name": "usaha", "label": "Jenis dan nama usaha", "type": "text"},
            {"name": "alamat_usaha", "label": "Alamat tempat usaha", "type": "text"},
        ],
        "documents": ["ktp"],
        "target_hours": 8,
        "template": OPENING
        + "Alamat : {alamat}\n\nadalah benar mempunyai usaha {usaha} yang berlokasi di "
        "{alamat_usaha}, wilayah {nama_unit}." + CLOSING,
    },
    {
        "code": "kelahiran",
        "name": "Surat Keterangan Kelahiran",
        "title": "Surat Keterangan Kelahiran",
        "fields": [
            {"name": "nama_bayi", "label": "Nama bayi", "type": "text"},
            {
                "name": "tanggal_lahir",
                "label": "Tanggal lahir bayi (contoh 17-08-2026)",
                "type": "date",
            },
            {"name": "tempat_lahir", "label": "Tempat lahir bayi", "type": "text"},
            {"name": "nama", "label": "Nama ayah atau ibu yang melapor", "type": "text"},
            {"name": "nik", "label": "NIK pelapor", "type": "nik"},
            KK,
        ],
        "documents": ["ktp", "kk"],
        "target_hours": 8,
        "template": "Yang bertanda tangan di bawah ini, {jabatan_penandatangan}, "
        "menerangkan bahwa pada tanggal {tanggal_lahir} di {tempat_lahir} telah lahir seorang "
        "anak bernama {nama_bayi}, dari keluarga dengan Nomor KK {no_kk}, dilaporkan oleh "
        "{nama} (NIK {nik})." + CLOSING,
    },
    {
        "code": "kematian",
        "name": "Surat Keterangan Kematian",
        "title": "Surat Keterangan Kematian",
        "fields": [
            {"name": "nama_almarhum", "label": "Nama almarhum/almarhumah", "type": "text"},
            {"name": "nik_almarhum", "label": "NIK almarhum/almarhumah", "type": "nik"},
            {
                "name": "tanggal_meninggal",
                "label": "Tanggal meninggal (contoh 01-12-2026)",
                "type": "date",
            },
            {"name": "tempat_meninggal", "label": "Tempat meninggal", "type": "text"},
            {"name": "nama", "label": "Nama pelapor", "type": "text"},
            {"name": "nik", "label": "NIK pelapor", "type": "nik"},
        ],
        "documents": ["ktp", "kk"],
        "target_hours": 4,
        "template": "Yang bertanda tangan di bawah ini, {jabatan_penandatangan}, "
        "menerangkan bahwa {nama_almarhum} (NIK {nik_almarhum}) telah meninggal dunia pada "
        "tanggal {tanggal_meninggal} di {tempat_meninggal}, dilaporkan oleh {nama} (NIK {nik})."
        + CLOSING,
    },
    {
        "code": "nikah",
        "name": "Surat Pengantar Nikah",
        "title": "Surat Pengantar Perkawinan",
        "fields": [
            *PERSON,
            ADDRESS,
            {"name": "calon", "label": "Nama calon pasangan", "type": "text"},
        ],
        "documents": ["ktp", "kk", "pengantar_rt"],
        "target_hours": 16,
        "delivery": Delivery.COLLECT,
        "template": OPENING
        + "Alamat : {alamat}\n\nakan melangsungkan perkawinan dengan {calon}. Surat pengantar "
        "ini diberikan untuk diajukan ke Kantor Urusan Agama (KUA) kecamatan." + CLOSING,
    },
    {
        "code": "pindah",
        "name": "Surat Keterangan Pindah",
        "title": "Surat Keterangan Pindah",
        "fields": [
            *PERSON,
            KK,
            ADDRESS,
            {"name": "alamat_tujuan", "label": "Alamat tujuan pindah", "type": "text"},
            {"name": "alasan", "label": "Alasan pindah", "type": "text"},
        ],
        "documents": ["ktp", "kk"],
        "target_hours": 16,
        "template": OPENING
        + "Nomor KK : {no_kk}\nAlamat asal : {alamat}\n\nbermaksud pindah ke {alamat_tujuan} "
        "dengan alasan {alasan}." + CLOSING,
    },
]


@transaction.atomic
def install(unit: Unit, *, number_code: str = "429.501.01") -> list[Service]:
    """The standard letters and a letter office for `unit` (idempotent: an existing entry
    is left as the admin made it)."""
    kecamatan = unit.parent.name if unit.parent_id else ""
    LetterOffice.objects.get_or_create(
        unit=unit,
        defaults={
            "number_format": f"474/{{seq:03d}}/{number_code}/{{year}}",
            "letterhead": "\n".join(
                [
                    "PEMERINTAH KABUPATEN BANYUWANGI",
                    kecamatan.upper(),
                    unit.name.upper(),
                ]
            ),
            "address": f"Kantor {unit.name}, {kecamatan}, Banyuwangi".strip(", "),
            "place": unit.name.removeprefix("Desa ").removeprefix("Kelurahan "),
        },
    )
    signer = Signer.LURAH if unit.name.startswith("Kelurahan") else Signer.KEPALA_DESA
    services = []
    for entry in STANDARD:
        service, _ = Service.objects.get_or_create(
            unit=unit,
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "title": entry["title"],
                "fields": entry["fields"],
                "documents": entry["documents"],
                "target_hours": entry["target_hours"],
                "delivery": entry.get("delivery", Delivery.WHATSAPP),
                "signer": signer,
                "template": entry["template"],
            },
        )
        services.append(service)
    return services
