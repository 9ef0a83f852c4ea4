"""Normalisation of informal Indonesian (and Javanese/Osing) text before classification.

Citizens write "jln rusak parah gk diperbaiki2", "lampune mati wis sewulan", "tlg pak".
The classifier sees one spelling for each common word: lower case, informal spellings and
Javanese/Osing function words mapped to standard Indonesian, repeated letters squeezed,
reduplication ("anak2") spelled out, long numbers (phones, IDs) reduced to one token.
Character n-grams in the features take care of the typos this list does not know.

For the classifier (not for rules or place names) question and exclamation marks are kept as
words of their own: "?" marks a request for information or a procedure ("izin usaha syaratnya
apa?"), which belongs to service units rather than enforcement; "!" marks urgency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# token -> replacement (one or more words). Keep entries unambiguous: a word that means
# different things in Indonesian and Javanese ("lemah", "kali", "sing") is left alone.
SLANG: dict[str, str] = {
    # negation
    **dict.fromkeys(
        [
            "gak",
            "ga",
            "gk",
            "gx",
            "nggak",
            "ngga",
            "nggk",
            "enggak",
            "engga",
            "ndak",
            "ndag",
            "tdk",
            "mboten",
            "ora",
            "ra",
            "dak",
        ],
        "tidak",
    ),
    # time and aspect
    **dict.fromkeys(["sdh", "udh", "udah", "uda", "wis", "wes", "uwis", "sampun", "dah"], "sudah"),
    **dict.fromkeys(["blm", "belom", "durung", "dereng", "lom"], "belum"),
    **dict.fromkeys(["skrg", "skrang", "saiki", "sakmenika", "saniki"], "sekarang"),
    **dict.fromkeys(["kmrn", "kmarin", "wingi"], "kemarin"),
    **dict.fromkeys(["suwe", "dangu"], "lama"),
    **dict.fromkeys(["bengi", "dalu", "malem", "mlm"], "malam"),
    **dict.fromkeys(["udan", "jawah"], "hujan"),
    "sewulan": "sebulan",
    "wulan": "bulan",
    "sasi": "bulan",
    "dino": "hari",
    "sedino": "sehari",
    "minggu2": "minggu",
    # people and pronouns
    **dict.fromkeys(["sy", "aku", "kulo", "kula", "isun", "gue", "gw", "ane"], "saya"),
    **dict.fromkeys(["sampeyan", "riko", "panjenengan", "ente"], "anda"),
    **dict.fromkeys(["wong", "tiyang"], "orang"),
    **dict.fromkeys(["bocah", "arek", "lare"], "anak"),
    "tonggo": "tetangga",
    "tanggane": "tetangga",
    # function words
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "krn": "karena",
    "karna": "karena",
    "goro2": "karena",
    "jg": "juga",
    "aja": "saja",
    "ae": "saja",
    "tp": "tapi",
    "tpi": "tapi",
    "sm": "sama",
    "ambi": "sama",
    "dr": "dari",
    "lg": "lagi",
    "hrs": "harus",
    "kudu": "harus",
    "kedah": "harus",
    **dict.fromkeys(["bs", "bisa", "iso", "saged"], "bisa"),
    **dict.fromkeys(["kalo", "klo", "nek", "yen"], "kalau"),
    **dict.fromkeys(["gimana", "gmn", "piye", "kepiye", "pripun", "kepripun"], "bagaimana"),
    **dict.fromkeys(["knp", "ngapa"], "kenapa"),
    **dict.fromkeys(["opo", "nopo", "paran"], "apa"),
    **dict.fromkeys(["niki", "iki"], "ini"),
    **dict.fromkeys(["kuwi", "iku"], "itu"),
    **dict.fromkeys(["wonten", "ono", "enek", "onok"], "ada"),
    **dict.fromkeys(["nang", "ning", "teng"], "di"),
    **dict.fromkeys(["akeh", "kathah", "bnyk", "byk"], "banyak"),
    **dict.fromkeys(["bgt", "banget", "pol"], "sangat"),
    **dict.fromkeys(["tlg", "tulung", "tolongin"], "tolong"),
    **dict.fromkeys(["mhn", "nyuwun"], "mohon"),
    "trims": "terima kasih",
    "makasih": "terima kasih",
    "matur": "terima",
    "nuwun": "kasih",
    # things
    **dict.fromkeys(["jln", "jl", "dalan", "dalane", "ndalan", "jalane"], "jalan"),
    **dict.fromkeys(["banyu", "toya", "banyune"], "air"),
    **dict.fromkeys(["omah", "griya", "omahe"], "rumah"),
    "lampune": "lampu",
    "lampu2": "lampu",
    "jembatane": "jembatan",
    "sekolahan": "sekolah",
    "pasare": "pasar",
    "geni": "api",
    "kobong": "terbakar",
    "ilang": "hilang",
    "kenek": "kena",
    "kena2": "kena",
    "mambu": "bau",
    "ambune": "bau",
    "lendut": "lumpur",
    "bolong": "berlubang",
    "bolongane": "berlubang",
    "bolong2": "berlubang",
    "didandani": "diperbaiki",
    "dandani": "perbaiki",
    "dandosi": "diperbaiki",
    "pajek": "pajak",
    # everyday Javanese/Osing words seen in complaints (unambiguous in both languages)
    "ndandani": "diperbaiki",
    "uwuh": "sampah",
    "laler": "lalat",
    "mlebu": "masuk",
    "teles": "basah",
    "klambi": "baju",
    "munggah": "naik",
    "deres": "deras",
    "prau": "perahu",
    "tuwo": "tua",
    "ngopeni": "merawat",
    "dewekan": "sendirian",
    "nyambut": "kerja",
    "damel": "kerja",
    "nampi": "terima",
    "ngantos": "sampai",
    "pari": "padi",
    "godong": "daun",
    "godonge": "daun",
    "suket": "rumput",
    "watu": "batu",
    "adoh": "jauh",
    "cedhak": "dekat",
    "cedak": "dekat",
    "dodolan": "jualan",
    "bakul": "pedagang",
    "ngarep": "depan",
    "duwit": "uang",
    "duit": "uang",
    "njaluk": "minta",
    "regane": "harga",
    "rega": "harga",
    "golek": "cari",
    "murup": "menyala",
    "tonggoku": "tetangga",
    "mbah": "nenek",
    "lara": "sakit",
    "tangi": "bangun",
    "turu": "tidur",
    "mangan": "makan",
    "ngombe": "minum",
    "dalan2": "jalan",
    "pegawe": "pegawai",
    "sekolahe": "sekolah",
    "sawahe": "sawah",
    "kantore": "kantor",
    "rsk": "rusak",
    "brlubang": "berlubang",
    "lobang": "lubang",
    "perbaikin": "perbaiki",
    "benerin": "perbaiki",
    "dibenerin": "diperbaiki",
    # agencies and abbreviations: keep the abbreviation, add what it means
    "pju": "pju penerangan jalan umum",
    "rsud": "rsud rumah sakit",
    "rs": "rumah sakit",
    "puskes": "puskesmas",
    "damkar": "damkar pemadam kebakaran",
    "pkl": "pkl pedagang kaki lima",
    "bansos": "bansos bantuan sosial",
    "dispendukcapil": "dukcapil",
    "pbb": "pbb pajak bumi bangunan",
    "ktp2": "ktp",
    "prov": "provinsi",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "ds": "desa",
    "dsn": "dusun",
    "kab": "kabupaten",
    "rt": "rt",
    "wa": "whatsapp",
    "hp": "handphone",
    "no": "nomor",
    "rb": "ribu",
    "jt": "juta",
}

_URL = re.compile(r"https?://\S+|www\.\S+")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s.-]{7,}\d")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_QUESTION = re.compile(r"\?+")
_EXCLAMATION = re.compile(r"!+")
# Words that cannot be Indonesian or Javanese, for "?" and "!" (see `normalise_marked`).
QUESTION_MARK = "qmark"
EXCLAMATION_MARK = "xmark"
MARKS = {QUESTION_MARK: "?", EXCLAMATION_MARK: "!"}


def normalise(text: str, *, marks: bool = False) -> str:
    """One text in the spelling the classifier was trained on; with `marks`, question and
    exclamation marks become the words `QUESTION_MARK` and `EXCLAMATION_MARK`."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _URL.sub(" tautan ", text)
    text = _LONG_NUMBER.sub(" nomortelepon ", text)
    if marks:
        text = _QUESTION.sub(f" {QUESTION_MARK} ", text)
        text = _EXCLAMATION.sub(f" {EXCLAMATION_MARK} ", text)
    text = _REDUPLICATION.sub(r"\1 \1", text)
    text = _REPEATS.sub(r"\1", text)
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(SLANG.get(word, word) for word in words)


def normalise_many(texts: Iterable[str]) -> list[str]:
    """The first pipelines' FunctionTransformer step (models stored before marks were kept)."""
    return [normalise(text) for text in texts]


def normalise_marked(texts: Iterable[str]) -> list[str]:
    """The classifier pipeline's FunctionTransformer step: `normalise` keeping "?" and "!"."""
    return [normalise(text, marks=True) for text in texts]
