"""The public-information request (permohonan informasi publik, UU 14/2008, Perki 1/2021)
as a request kind.

It takes over the code `information_request` from the generic kind of wave 1 (see
`apps.py`): the routing intent, the clock's one extension, Open311's service name and the
inbox filter already speak that code, and one legal procedure should have one kind.

The case's status follows the complaint's machine (so old information requests stay
workable); the legal steps a PPID takes (forwarded, written notice, delivered, objection,
atasan decision) are the `PpidRequest.Stage` machine of this app, which the services check.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from wadul.cases.kinds import (
    ClockTargets,
    DocumentSpec,
    IntakeField,
    InvalidAnswer,
    Publication,
    RequestKind,
)
from wadul.cases.kinds.complaint import OPEN, TRANSITIONS

CODE = "information_request"
NIK = re.compile(r"^\d{16}$")

# How the requester wants to obtain the information, and to receive it (Perki 1/2021).
OBTAIN = (("lihat", "Melihat/membaca"), ("salinan", "Salinan (copy)"))
RECEIVE = (
    ("ambil", "Ambil langsung"),
    ("pos", "Pos"),
    ("email", "E-mail"),
    ("whatsapp", "WhatsApp"),
)


def check_nik(text: str) -> str:
    """A NIK: 16 digits whose date part (digits 7-12) is a real birth date (women add 40
    to the day)."""
    nik = re.sub(r"[\s.-]", "", text)
    if not NIK.match(nik):
        raise InvalidAnswer("NIK harus 16 angka, seperti tertulis di KTP Anda.")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    try:
        date(2000 + year, month, day)
    except ValueError:
        raise InvalidAnswer("NIK tidak sah: periksa kembali angka tanggal lahir di NIK.") from None
    return nik


def check_name(text: str) -> str:
    if len(text) < 3 or not re.search(r"[A-Za-z]", text):
        raise InvalidAnswer("Tulis nama lengkap Anda sesuai KTP.")
    return text[:200]


def check_body(text: str) -> str:
    if len(text) < 3 or not re.search(r"[A-Za-z]", text):
        raise InvalidAnswer("Tulis nama badan hukum sesuai aktanya.")
    return text[:200]


def check_principal(text: str) -> str:
    if len(text) < 3 or not re.search(r"[A-Za-z]", text):
        raise InvalidAnswer("Tulis nama lengkap orang yang memberi Anda kuasa.")
    return text[:200]


def check_long(text: str) -> str:
    if len(text) < 10:
        raise InvalidAnswer("Mohon tulis lebih lengkap (paling sedikit 10 huruf).")
    return text[:2000]


# Who asks (Perki 1/2021): an individual, a group of people or a legal body, on their own
# behalf or as someone's proxy (kuasa). A legal body shows its registration (akta pendirian,
# SK Kemenkumham), a proxy the power of attorney (surat kuasa): a photo or a file.
REQUESTER_TYPES = (
    ("perorangan", "Perorangan"),
    ("kelompok", "Kelompok orang"),
    ("badan_hukum", "Badan hukum"),
)
CAPACITIES = (("sendiri", "Atas nama sendiri"), ("kuasa", "Sebagai kuasa"))
LEGAL_BODY, PROXY = "badan_hukum", "kuasa"
DOCUMENT_TYPES = ("image/", "application/pdf")

REQUESTER_TYPE = IntakeField(
    "pemohon",
    "Anda mengajukan sebagai: 1 perorangan, 2 kelompok orang, 3 badan hukum?",
    choices=REQUESTER_TYPES,
)
BODY_NAME = IntakeField("nama_badan", "Apa nama badan hukumnya?", check=check_body)
BODY_DOCUMENT = IntakeField(
    "dokumen_badan",
    "Kirim foto atau berkas PDF akta pendirian / SK Kemenkumham badan hukum itu.",
    type="document",
    accept=DOCUMENT_TYPES,
)
CAPACITY = IntakeField(
    "bertindak",
    "Atas nama sendiri atau sebagai kuasa? 1 atas nama sendiri, 2 sebagai kuasa",
    choices=CAPACITIES,
)
PRINCIPAL = IntakeField(
    "pemberi_kuasa", "Siapa nama pemberi kuasa (yang Anda wakili)?", check=check_principal
)
PROXY_DOCUMENT = IntakeField(
    "surat_kuasa",
    "Kirim foto atau berkas PDF surat kuasa Anda.",
    type="document",
    accept=DOCUMENT_TYPES,
)

INTAKE = (
    IntakeField("nama", "Siapa nama lengkap Anda (sesuai KTP)?", check=check_name),
    IntakeField("nik", "Berapa NIK Anda (16 angka di KTP)?", check=check_nik),
    IntakeField("alamat", "Apa alamat lengkap Anda?", check=check_long),
    IntakeField(
        "informasi",
        "Informasi publik apa yang Anda minta? Sebutkan serinci mungkin (dokumen, tahun, OPD).",
        check=check_long,
    ),
    IntakeField("tujuan", "Untuk apa informasi itu akan Anda gunakan?", check=check_long),
    IntakeField("cara_memperoleh", "Bagaimana Anda ingin memperoleh informasi?", choices=OBTAIN),
    IntakeField("cara_menerima", "Bagaimana Anda ingin menerima informasi?", choices=RECEIVE),
)


def intake_for(unit, answers: dict[str, str]) -> tuple[IntakeField, ...]:
    """Who asks first (the body's name and papers, the power of attorney, when they
    apply), then the fields of the Perki's form."""
    body = answers.get(REQUESTER_TYPE.name) == LEGAL_BODY
    fields = [REQUESTER_TYPE, *((BODY_NAME, BODY_DOCUMENT) if body else ()), CAPACITY]
    if answers.get(CAPACITY.name) == PROXY:
        # A body's representative acts for the body: only a person's principal is asked.
        fields += [PROXY_DOCUMENT] if body else [PRINCIPAL, PROXY_DOCUMENT]
    return (*fields, *INTAKE)


def acting_as(
    *, name: str, requester_type: str, body_name: str, proxy: bool, principal: str
) -> str:
    """How the letters name the requester: "Siti selaku kuasa dari Budi", "PT X (badan
    hukum), diwakili oleh Siti" …"""
    if proxy:
        for_whom = f"{body_name} (badan hukum)" if requester_type == LEGAL_BODY else principal
        return f"{name} selaku kuasa dari {for_whom}"
    if requester_type == LEGAL_BODY:
        return f"{body_name} (badan hukum), diwakili oleh {name}"
    if requester_type == "kelompok":
        return f"{name}, mewakili kelompok orang"
    return name


# Pasal 35 ayat (1) UU 14/2008: the grounds of an objection.
OBJECTION_GROUNDS = {
    "a": "penolakan atas permintaan informasi berdasarkan alasan pengecualian (Pasal 17)",
    "b": "tidak disediakannya informasi berkala (Pasal 9)",
    "c": "tidak ditanggapinya permintaan informasi",
    "d": "permintaan informasi ditanggapi tidak sebagaimana yang diminta",
    "e": "tidak dipenuhinya permintaan informasi",
    "f": "pengenaan biaya yang tidak wajar",
    "g": "penyampaian informasi yang melebihi waktu yang diatur",
}

DOCUMENTS = (
    DocumentSpec("receipt", _("registration receipt")),
    DocumentSpec("completion", _("request for completion")),
    DocumentSpec("notice", _("written notice")),
    DocumentSpec("extension", _("extension notice")),
    DocumentSpec("objection_receipt", _("objection receipt")),
    DocumentSpec("atasan_decision", _("atasan PPID decision")),
)

# 10 working days to the written notice, extended once by up to 7 (UU 14/2008 Pasal 22).
NOTICE_DAYS, EXTENSION_DAYS = 10, 7
# The atasan PPID decides an objection within 30 working days (Pasal 36).
OBJECTION_DECISION_DAYS = 30
# The requester's windows: 30 working days to object (Pasal 36), 14 to take the dispute to
# the Komisi Informasi after the atasan's decision (Pasal 37).
OBJECTION_WINDOW_DAYS, DISPUTE_WINDOW_DAYS = 30, 14

PPID_REQUEST = RequestKind(
    code=CODE,
    label=_("public information request (PPID)"),
    transitions=TRANSITIONS,
    open_statuses=OPEN,
    # The first response is the PPID Utama's triage (one working day).
    clock=ClockTargets(
        first_response_minutes=480,
        next_response_days=1,
        resolution_days=NOTICE_DAYS,
        extension_days=EXTENSION_DAYS,
        # The law counts days: the notice is due at the close of the 10th working day.
        whole_days=True,
    ),
    intake=INTAKE,
    intake_for=intake_for,
    # Requests carry identities and the requested subject: never on the case portal; the
    # open data of this app publishes them without personal data.
    publication=Publication(on_portal=False, in_open_data=False),
    documents=DOCUMENTS,
    menu_title=_("Public information"),
    menu_description=_("Request public information (PPID, UU 14/2008)"),
    noun="permohonan informasi",
)
