"""Smart Kampung village services: what a unit offers, and the letters it issues.

A `Service` is one letter a desa/kelurahan, kecamatan or OPD counter issues (domisili,
SKTM …): the data it asks for, the documents, the fee, the target time, who signs and the
letter template. A request for it is a case of the kind `village_letter` (`kind.py`); its
letter is a `Letter`:

    draft ──► awaiting_signature ──► signed ──► (revoked)
      ▲               │    └──► awaiting_camat ──┘   (a service that needs the camat's
      └── rejected ◄──┴───────────────┘               countersignature)
                          (the signer or the camat refused, with a reason; the operator
                          may prepare again)

A letter's number comes from the unit's `LetterSequence` of the year at the moment of
signing, under a row lock, so numbers are never skipped or reused.
"""

from __future__ import annotations

import re
import string

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from wadul.cases.models import Case
from wadul.organisation.models import Official, Unit

FIELD_TYPES = {"nik": "NIK", "kk": "Nomor KK", "date": "Tanggal", "text": "Teks"}
DOCUMENTS = {
    "ktp": "Foto KTP",
    "kk": "Foto Kartu Keluarga",
    "pengantar_rt": "Surat pengantar RT/RW",
}
# Placeholders every template may use besides the service's own fields.
STANDARD_PLACEHOLDERS = frozenset(
    {"nomor", "tanggal", "nama_unit", "nama_penandatangan", "jabatan_penandatangan", "layanan"}
)
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Signer(models.TextChoices):
    KEPALA_DESA = "kepala_desa", "Kepala Desa"
    LURAH = "lurah", "Lurah"
    CAMAT = "camat", "Camat"
    SEKRETARIS = "sekretaris", "Sekretaris Desa (a.n.)"
    KEPALA_OPD = "kepala_opd", "Kepala OPD"


class Delivery(models.TextChoices):
    WHATSAPP = "whatsapp", "Dikirim lewat WhatsApp"
    COLLECT = "collect", "Diambil di kantor"


class LetterOffice(models.Model):
    """A unit's letter settings: its number format and letterhead (kop surat)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="letter_office")
    number_format = models.CharField(
        "format nomor",
        max_length=100,
        default="470/{seq:03d}/{year}",
        help_text="Contoh: 474/{seq:03d}/429.501.01/{year}. {seq} = nomor urut, {year} = tahun.",
    )
    letterhead = models.TextField(
        "kop surat",
        help_text="Baris-baris kop, mis. PEMERINTAH KABUPATEN BANYUWANGI / KECAMATAN … / DESA …",
    )
    address = models.CharField("alamat kantor", max_length=200, blank=True)
    place = models.CharField("tempat penandatanganan", max_length=100, blank=True)

    class Meta:
        verbose_name = "kantor penerbit surat"
        verbose_name_plural = "kantor penerbit surat"

    def __str__(self) -> str:
        return str(self.unit)

    def clean(self) -> None:
        try:
            self.format_number(1, 2026)
        except (KeyError, ValueError, IndexError):
            raise ValidationError(
                {"number_format": "Format nomor tidak sah: gunakan hanya {seq} dan {year}."}
            ) from None

    def format_number(self, seq: int, year: int) -> str:
        return self.number_format.format(seq=seq, year=year)


class Service(models.Model):
    """One letter a unit issues: its data, documents, fee, target time, signer, template.

    `fields` is a list of {"name", "label", "type"} (type: nik, kk, date, text); `documents`
    a list of document codes (`DOCUMENTS`). The template names fields as {name}."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="letter_services")
    code = models.SlugField("kode layanan", max_length=40)
    name = models.CharField("nama layanan", max_length=100)
    fields = models.JSONField("data yang diminta", default=list, blank=True)
    documents = models.JSONField("dokumen yang diminta", default=list, blank=True)
    fee = models.PositiveIntegerField("biaya (Rp)", default=0)
    fee_note = models.CharField(
        "keterangan biaya", max_length=200, default="Gratis, tidak dipungut biaya."
    )
    target_hours = models.PositiveSmallIntegerField("target waktu (jam kerja)", default=8)
    signer = models.CharField(
        "penandatangan", max_length=20, choices=Signer.choices, default=Signer.KEPALA_DESA
    )
    delivery = models.CharField(
        "penyerahan", max_length=10, choices=Delivery.choices, default=Delivery.WHATSAPP
    )
    needs_countersignature = models.BooleanField(
        "perlu tanda tangan camat",
        default=False,
        help_text="Setelah kepala desa/lurah, camat kecamatan di atasnya ikut menandatangani.",
    )
    title = models.CharField("judul surat", max_length=100)
    template = models.TextField("isi surat")
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "layanan surat"
        verbose_name_plural = "layanan surat"
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="desa_service_code_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def field_names(self) -> list[str]:
        return [field["name"] for field in self.fields]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        names = []
        for field in self.fields if isinstance(self.fields, list) else [None]:
            ok = (
                isinstance(field, dict)
                and FIELD_NAME.match(str(field.get("name", "")))
                and field.get("label")
                and field.get("type") in FIELD_TYPES
            )
            if not ok:
                errors["fields"] = (
                    "Setiap data perlu name (huruf kecil), label, dan type "
                    f"({', '.join(FIELD_TYPES)}): {field!r}"
                )
                break
            names.append(field["name"])
        if not isinstance(self.documents, list) or set(self.documents) - set(DOCUMENTS):
            errors["documents"] = f"Dokumen yang dikenal: {', '.join(DOCUMENTS)}."
        if "fields" not in errors:
            unknown = sorted(template_names(self.template) - set(names) - STANDARD_PLACEHOLDERS)
            if unknown:
                errors["template"] = (
                    "Isi surat menyebut data yang tidak ada di layanan ini: "
                    + ", ".join("{" + name + "}" for name in unknown)
                )
        if errors:
            raise ValidationError(errors)


def template_names(template: str) -> set[str]:
    """The placeholders a template names ({name}); a malformed one counts as a name."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return {"<kurung kurawal tidak seimbang>"}


def fill(template: str, values: dict[str, str]) -> str:
    """The template with its placeholders filled (an unknown one is left as it was)."""
    return string.Formatter().vformat(template, (), _Keep(values))


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class LetterSequence(models.Model):
    """The last number a unit gave in a year (locked while a letter takes the next)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="desa_sequence_per_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Letter(models.Model):
    """The letter of one request (see the module docstring for its states)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draf"
        AWAITING_SIGNATURE = "awaiting_signature", "Menunggu tanda tangan"
        AWAITING_CAMAT = "awaiting_camat", "Menunggu tanda tangan camat"
        SIGNED = "signed", "Ditandatangani"
        REJECTED = "rejected", "Ditolak penandatangan"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="letter")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="letters")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    body = models.TextField("isi surat")
    # A short code a signer types on WhatsApp (setuju KODE); unique among open letters.
    sign_code = models.CharField(max_length=8, unique=True)
    rejection_reason = models.TextField(blank=True)
    number = models.CharField("nomor surat", max_length=100, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    signer = models.ForeignKey(
        Official, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(max_length=200, blank=True)
    signer_position = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # The camat's countersignature, when the service needs it (the head signed first).
    head_signed_at = models.DateTimeField(null=True, blank=True)
    countersigner = models.ForeignKey(
        Official, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigner_name = models.CharField(max_length=200, blank=True)
    countersigner_position = models.CharField(max_length=200, blank=True)
    # The public verification code: unguessable (secrets.token_urlsafe), in the QR.
    verification_code = models.CharField(max_length=32, unique=True)
    masked_name = models.CharField(max_length=100, blank=True)
    pdf = models.FileField(upload_to="letters/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    photos_deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "surat"
        verbose_name_plural = "surat"
        indexes = [
            # The retention sweep runs every minute: only letters whose photos are still
            # there are in this index.
            models.Index(
                fields=["issued_at"],
                condition=models.Q(photos_deleted_at__isnull=True, state="signed"),
                name="desa_letter_photos_pending",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "seq"],
                condition=models.Q(seq__isnull=False),
                name="desa_letter_number_once",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"{self.service.name} (draf)"
