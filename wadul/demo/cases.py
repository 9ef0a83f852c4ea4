"""A few hundred realistic cases over the past 30 days, in every status: a well-run regency.

Most cases are taken by an official, answered within the 2-hour standard, resolved and
rated; a few are late (so the escalation ladder and the notifications show), a few are still
open from the last day or two.

Generated with a fixed seed and written through the case services (with historical times),
so the event log, and every statistic derived from it, is as real as live traffic. Each demo
case is keyed by its first message's external id ("demo-N"): loading twice adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from wadul.cases import services
from wadul.cases.models import (
    CaseType,
    Channel,
    Contact,
    ContactIdentity,
    Message,
    Status,
    Via,
    Visibility,
)
from wadul.organisation.models import Official, Region, Unit

CASE_COUNT = 320
SEED = 3510
HISTORY_DAYS = 30
# Minutes between steps: mostly well inside the 2-hour standard, now and then a slow one.
DELAYS = [(12, 14), (20, 16), (30, 16), (45, 14), (60, 12), (90, 10), (240, 6), (1500, 2)]
# Share of the open cases older than two days that stay open (late: the ladder shows).
LATE_SHARE = 0.12


@dataclass(frozen=True)
class Scenario:
    unit: str  # unit code; "" = the central desk decides (triage)
    type: str
    texts: tuple[str, ...]
    answers: tuple[str, ...]
    external: str = ""  # referral target, for outside-authority matters
    weight: int = 10


C, S, INFO, L = (
    CaseType.COMPLAINT,
    CaseType.SUGGESTION,
    CaseType.INFORMATION_REQUEST,
    CaseType.SERVICE_REQUEST,
)

SCENARIOS: list[Scenario] = [
    Scenario(
        "DPU-CK-BM",
        C,
        (
            "Jalan depan SD {desa} berlubang parah, sudah 2 bulan belum ditambal. Tolong segera "
            "diperbaiki sebelum ada korban.",
            "jln di dusun krajan {desa} rusak berat pak, kalo hujan jd kubangan. mohon diaspal",
            "Jembatan kecil di {desa} papannya sudah lapuk, anak sekolah takut lewat.",
            "Aspal jalan kabupaten arah {desa} mengelupas, banyak pemotor jatuh malam hari.",
        ),
        (
            "Terima kasih laporannya. Tim Bina Marga sudah survei lokasi dan penambalan "
            "dijadwalkan minggu ini.",
            "Laporan sudah kami teruskan ke UPTD Jalan wilayah selatan, perbaikan masuk daftar "
            "pemeliharaan rutin bulan ini.",
        ),
    ),
    Scenario(
        "DPU-CK-CK",
        C,
        (
            "Lampu PJU di perempatan {desa} mati sudah seminggu, gelap sekali kalau malam.",
            "PJU mati 3 titik di jalan raya {desa}, rawan begal.",
            "Selokan di {desa} mampet, air meluber ke jalan tiap hujan.",
        ),
        (
            "Petugas PJU sudah mengganti lampu yang mati. Mohon kabari bila masih padam.",
            "Normalisasi saluran drainase di lokasi sudah dijadwalkan, terima kasih infonya.",
        ),
    ),
    Scenario(
        "DINKES-YANKES",
        C,
        (
            "Pelayanan di Puskesmas {desa} lama sekali, antre dari jam 7 baru dipanggil jam 11.",
            "Bidan desa di {desa} jarang ada di tempat, ibu hamil bingung mau periksa kemana.",
            "Obat di puskesmas kosong terus, disuruh beli sendiri di apotek.",
        ),
        (
            "Mohon maaf atas ketidaknyamanannya. Kepala Puskesmas sudah kami minta menambah loket "
            "pendaftaran pagi.",
            "Kami sudah berkoordinasi dengan puskesmas terkait jadwal bidan desa. Jadwal akan "
            "ditempel di polindes.",
        ),
    ),
    Scenario(
        "DINKES-P2P",
        L,
        (
            "Di {desa} banyak warga kena demam berdarah, mohon fogging.",
            "Minta pemeriksaan jentik nyamuk di lingkungan RT 3 {desa}, sudah 2 anak kena DBD.",
        ),
        (
            "Tim P2P akan melakukan penyelidikan epidemiologi lebih dulu; fogging dilakukan bila "
            "memenuhi kriteria. Mohon tetap 3M plus.",
        ),
    ),
    Scenario(
        "DISPENDUKCAPIL",
        INFO,
        (
            "Bagaimana cara mengurus KTP yang hilang? Apa saja syaratnya?",
            "Akta kelahiran anak saya salah nama, prosedur pembetulannya bagaimana ya?",
            "KK saya belum jadi padahal sudah 3 minggu, bagaimana statusnya?",
            "Apakah bisa cetak KTP-el di kecamatan {kecamatan} atau harus ke kabupaten?",
        ),
        (
            "Untuk KTP hilang: bawa surat kehilangan dari kepolisian dan fotokopi KK ke Mal "
            "Pelayanan Publik atau kecamatan. Bisa juga lewat aplikasi Smart Kampung.",
            "Pembetulan akta cukup membawa akta asli, KK, dan dokumen pendukung ke Dispendukcapil. "
            "Layanan gratis.",
        ),
    ),
    Scenario(
        "DISHUB",
        C,
        (
            "Parkir liar di depan pasar {desa} bikin macet tiap pagi.",
            "Lampu lalu lintas di simpang {desa} mati, banyak kendaraan hampir tabrakan.",
            "Angkot jurusan Genteng sering ngetem lama di bahu jalan.",
        ),
        (
            "Petugas Dishub sudah diterjunkan untuk penertiban parkir. Terima kasih laporannya.",
            "APILL di lokasi sudah diperbaiki oleh tim Dishub pagi ini.",
        ),
    ),
    Scenario(
        "DLH-SAMPAH",
        C,
        (
            "Sampah di TPS {desa} menumpuk sudah 5 hari tidak diangkut, bau sekali.",
            "Ada yang buang sampah di sungai {desa} setiap malam, mohon ditindak.",
            "Truk sampah tidak lewat lagi di perumahan kami di {desa}.",
        ),
        (
            "Armada pengangkut sudah dijadwalkan ulang; TPS akan diangkut besok pagi.",
            "Kami akan memasang papan larangan dan berkoordinasi dengan pemerintah desa.",
        ),
    ),
    Scenario(
        "KEC-GENTENG",
        L,
        (
            "Mau tanya pengurusan surat keterangan usaha di kecamatan Genteng syaratnya apa?",
            "Pelayanan di kantor kecamatan Genteng tutup jam berapa hari Jumat?",
            "Minta tolong legalisir dokumen di kecamatan, apakah bisa diwakilkan?",
        ),
        (
            "SKU cukup membawa KTP, KK, dan surat pengantar desa. Layanan gratis, selesai di hari "
            "yang sama.",
            "Pada hari Jumat pelayanan kecamatan buka 07.30–11.00 WIB.",
        ),
    ),
    Scenario(
        "DISPENDIK",
        C,
        (
            "Sekolah SD negeri di {desa} minta uang seragam Rp 500 ribu, katanya wajib. Apa benar?",
            "Atap kelas SDN {desa} bocor, anak-anak belajar pakai payung.",
        ),
        (
            "Pungutan wajib tidak dibenarkan di sekolah negeri. Kami sudah memanggil kepala "
            "sekolah untuk klarifikasi.",
        ),
    ),
    Scenario(
        "DINSOS",
        INFO,
        (
            "Saya warga {desa} belum dapat bansos padahal termasuk tidak mampu, cara daftar DTKS?",
            "Ada ODGJ berkeliaran di pasar {desa}, mohon ditangani.",
        ),
        (
            "Pendaftaran DTKS melalui musyawarah desa/kelurahan; silakan lapor ke operator SIKS-NG "
            "di kantor desa.",
        ),
    ),
    Scenario(
        "SATPOLPP",
        C,
        (
            "Warung remang-remang di {desa} buka sampai subuh, meresahkan warga.",
            "PKL berjualan di trotoar alun-alun, pejalan kaki turun ke jalan.",
        ),
        ("Satpol PP sudah melakukan penertiban dan pembinaan kepada pemilik usaha.",),
    ),
    Scenario(
        "",
        S,
        (
            "Usul: tambahkan taman bermain anak di ruang terbuka {desa}.",
            "Saran agar jam pelayanan Mal Pelayanan Publik ditambah sampai sore.",
            "Tolong adakan pelatihan UMKM untuk ibu-ibu di {desa}.",
        ),
        ("Terima kasih sarannya, sudah kami sampaikan ke perangkat daerah terkait.",),
    ),
    Scenario(
        "",
        C,
        (
            "Listrik di {desa} padam sejak tadi malam, kapan menyala?",
            "Tiang listrik miring di depan rumah saya di {desa}, takut roboh.",
        ),
        (),
        external="PLN",
        weight=3,
    ),
    Scenario(
        "",
        C,
        ("Tanah saya diserobot tetangga, patoknya dipindah. Mohon bantuan.",),
        (),
        external="BPN",
        weight=3,
    ),
    Scenario(
        "",
        C,
        ("Jalan nasional Banyuwangi–Situbondo di Wongsorejo berlubang besar.",),
        (),
        external="BBPJN",
        weight=3,
    ),
    Scenario(
        "",
        C,
        ("Air PDAM di perumahan {desa} mati 3 hari.",),
        (),
        external="PDAM",
        weight=3,
    ),
]

FIRST_NAMES = [
    "Ahmad",
    "Siti",
    "Budi",
    "Dewi",
    "Slamet",
    "Wahyu",
    "Nurul",
    "Rizki",
    "Indah",
    "Fajar",
    "Lilis",
    "Joko",
    "Ratna",
    "Hendra",
    "Yuli",
    "Agus",
    "Sri",
    "Eko",
    "Tri",
    "Anisa",
]
LAST_NAMES = [
    "Santoso",
    "Rahayu",
    "Hidayat",
    "Lestari",
    "Wibowo",
    "Susanti",
    "Saputra",
    "Handayani",
    "Kurniawan",
    "Wati",
    "Prasetyo",
    "Fitriani",
    "Setiawan",
    "Maulana",
]

# Final statuses and how often they occur (older cases are more often finished).
OUTCOMES = [
    ("closed", 30),
    ("resolved", 16),
    ("answered", 10),
    ("in_progress", 8),
    ("waiting", 5),
    ("assigned", 8),
    ("triage", 5),
    ("reopened", 3),
    ("rejected", 3),
    ("merged", 3),
]


def _working_time(rng: random.Random, day: datetime) -> datetime:
    hour = rng.choices([6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 21], k=1)[0]
    return day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))


def load_cases(units: dict[str, Unit], count: int = CASE_COUNT) -> int:
    """Create the demo cases not yet present; returns how many were created."""
    done = set(
        Message.objects.filter(external_id__startswith="demo-").values_list(
            "external_id", flat=True
        )
    )
    rng = random.Random(SEED)
    officials = {o.username: o for o in Official.objects.all()}
    operator = officials["operator"]
    desas = list(Region.objects.filter(level=Region.Level.DESA, code__startswith="35.10."))
    contacts = [_demo_contact(rng, n) for n in range(140)]
    now = timezone.localtime()
    created = 0
    with services.historical_import(), transaction.atomic():
        survivors = []
        for n in range(count):
            # Draw every random number even for cases already loaded, so that case N is the
            # same case on every run.
            plan = _plan(rng, n, now, desas, contacts)
            key = f"demo-{n}"
            if key in done:
                continue
            case = _play(plan, key, units, officials, operator, survivors)
            if case.status not in {Status.MERGED, Status.REJECTED}:
                survivors.append(case)
            created += 1
    return created


def _demo_contact(rng: random.Random, n: int) -> Contact:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    phone = f"628{rng.choice(['12', '13', '52', '57', '77', '56'])}{rng.randrange(10**7, 10**8)}"
    identity = ContactIdentity.objects.filter(kind=ContactIdentity.Kind.WA_ID, value=phone).first()
    if identity:
        return identity.contact
    contact = Contact.objects.create(display_name=name)
    ContactIdentity.objects.create(contact=contact, kind=ContactIdentity.Kind.WA_ID, value=phone)
    return contact


@dataclass
class Plan:
    scenario: Scenario
    text: str
    answer: str
    desa: Region
    contact: Contact
    opened_at: datetime
    outcome: str
    visibility: str
    channel: str
    delays: list[int]  # minutes between steps
    rating: int


def _plan(rng, n, now, desas, contacts) -> Plan:
    scenario = rng.choices(SCENARIOS, weights=[s.weight for s in SCENARIOS], k=1)[0]
    desa = rng.choice(desas)
    text = rng.choice(scenario.texts).format(desa=desa.name, kecamatan=desa.parent.name)
    answer = rng.choice(scenario.answers) if scenario.answers else ""
    age_days = rng.random() ** 1.3 * HISTORY_DAYS
    day = now - timedelta(days=age_days)
    opened_at = _working_time(rng, day)
    if opened_at > now - timedelta(minutes=30):
        opened_at = now - timedelta(minutes=30 + rng.randrange(120))
    outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES], k=1)[0]
    if age_days < 2 and outcome in {"closed", "resolved"}:
        outcome = "answered"
    late = rng.random() < LATE_SHARE
    if age_days > 2 and outcome in {"triage", "assigned", "in_progress", "waiting"} and not late:
        outcome = "closed"
    if age_days > 7 and outcome in {"answered", "reopened"} and not late:
        outcome = "closed"
    if scenario.external:
        outcome = "referred"
    visibility = rng.choices(
        [Visibility.PUBLIC, Visibility.PRIVATE, Visibility.ANONYMOUS, Visibility.CONFIDENTIAL],
        weights=[70, 15, 10, 5],
        k=1,
    )[0]
    channel = rng.choices([Channel.WHATSAPP, Channel.WEB], weights=[85, 15], k=1)[0]
    delays = rng.choices([d for d, _ in DELAYS], weights=[w for _, w in DELAYS], k=6)
    return Plan(
        scenario,
        text,
        answer,
        desa,
        rng.choice(contacts),
        opened_at,
        outcome,
        visibility,
        channel,
        delays,
        rng.choices([5, 4, 3, 2, 1], weights=[40, 30, 15, 10, 5], k=1)[0],
    )


def _play(plan: Plan, key, units, officials, operator, survivors):
    """Walk one case through the services to its planned outcome, at historical times."""
    now = timezone.now()
    t = plan.opened_at

    def later(step: int) -> datetime:
        nonlocal t
        t = min(t + timedelta(minutes=plan.delays[step % len(plan.delays)]), now)
        return t

    direct_unit = units.get(plan.scenario.unit) if plan.scenario.unit else None
    if plan.outcome == "triage":
        direct_unit = None
    case = services.open_case(
        channel=plan.channel,
        text=plan.text,
        via=Via.WHATSAPP if plan.channel == Channel.WHATSAPP else Via.WEB,
        contact=plan.contact,
        type=plan.scenario.type,
        unit=direct_unit,
        visibility=plan.visibility,
        region=plan.desa,
        at=t,
        external_id=key,
    )
    if plan.outcome == "triage":
        return case
    if plan.outcome == "rejected":
        return services.reject(case, reason="spam", actor=operator, via=Via.INBOX, at=later(0))
    if plan.outcome == "merged" and survivors:
        return services.mark_duplicate(
            case, of=survivors[-1], actor=operator, via=Via.INBOX, at=later(0)
        )
    if plan.scenario.external:
        return services.refer_outside(
            case,
            institution=units[plan.scenario.external],
            actor=operator,
            via=Via.INBOX,
            at=later(0),
        )
    if case.unit is None:
        unit = units[plan.scenario.unit] if plan.scenario.unit else _suggestion_unit(units, plan)
        services.assign(case, unit=unit, actor=operator, via=Via.INBOX, at=later(0))
    if plan.outcome == "assigned":
        return case
    official = _official_for(case.unit, officials)
    if official is not None and official.role in {"staff", "head"}:
        # The official takes the case (the inbox's "assign to me").
        t = min(t + timedelta(minutes=2), now)
        services.assign(case, official=official, actor=official, via=Via.INBOX, at=t)
    if plan.outcome == "in_progress":
        return services.start_work(case, actor=official, via=Via.INBOX, at=later(1))
    if plan.outcome == "waiting":
        services.request_clarification(
            case,
            text="Mohon kirim foto dan titik lokasi (share location) agar petugas mudah menemukan.",
            actor=official,
            via=Via.INBOX,
            at=later(1),
        )
        return case
    services.answer(
        case,
        text=plan.answer or "Terima kasih, laporan Anda sedang kami tindak lanjuti.",
        actor=official,
        via=Via.INBOX,
        at=later(1),
    )
    if plan.outcome == "answered":
        return case
    services.resolve(case, actor=official, via=Via.INBOX, at=later(2))
    if plan.outcome == "reopened":
        return services.reopen(
            case, actor=None, via=Via.WHATSAPP, reason="belum beres", at=later(3)
        )
    services.rate(case, rating=plan.rating, via=Via.WHATSAPP, at=later(3))
    if plan.outcome == "closed":
        services.close(case, actor=None, via=Via.SYSTEM, at=later(4))
    return case


def _suggestion_unit(units: dict[str, Unit], plan: Plan) -> Unit:
    from wadul.demo.organisation import kecamatan_unit_code

    return units[kecamatan_unit_code(plan.desa.parent)]


def _official_for(unit: Unit, officials: dict[str, Official]) -> Official | None:
    for official in officials.values():
        if official.unit_id == unit.pk and official.role in {"staff", "head"}:
            return official
    for official in officials.values():
        if (
            official.unit_id
            and unit.path.startswith(official.unit.path)
            and official.role
            in {
                "staff",
                "head",
            }
        ):
            return official
    return officials.get("operator")
