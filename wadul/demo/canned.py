"""Canned answers for every unit that answers citizens (not desa, not outside institutions):
the same three for all, and the demo scenarios' own answers for the units that have them."""

from __future__ import annotations

from wadul.demo.cases import SCENARIOS
from wadul.inbox.models import CannedAnswer
from wadul.organisation.models import Unit

COMMON = [
    (
        "Diterima, sedang dicek",
        "Terima kasih {nama}, laporan {nomor_tiket} sudah kami terima di {unit}. Petugas kami "
        "sedang memeriksanya dan akan mengabari Anda.",
    ),
    (
        "Minta lokasi dan foto",
        "Mohon kirim titik lokasi (bagikan lokasi di WhatsApp) dan foto kondisi terkini agar "
        "petugas {unit} mudah menemukannya.",
    ),
    (
        "Sudah ditindaklanjuti",
        "Laporan {nomor_tiket} sudah ditindaklanjuti oleh {unit}. Bila masih ada kendala, "
        "balas pesan ini.",
    ),
]


def load_canned_answers(units: dict[str, Unit]) -> int:
    """Create the missing canned answers (idempotent); returns how many were created."""
    own: dict[str, list[str]] = {}
    for scenario in SCENARIOS:
        if scenario.unit:
            own.setdefault(scenario.unit, []).extend(scenario.answers)
    existing = set(CannedAnswer.objects.values_list("unit__code", "title"))
    new = []
    for code, unit in units.items():
        if unit.kind in {Unit.Kind.DESA, Unit.Kind.EXTERNAL, Unit.Kind.REGENCY}:
            continue
        answers = list(COMMON)
        answers += [(f"Jawaban {n}", text) for n, text in enumerate(own.get(code, []), 1)]
        new += [
            CannedAnswer(unit=unit, title=title, body=body)
            for title, body in answers
            if (code, title) not in existing
        ]
    CannedAnswer.objects.bulk_create(new)
    return len(new)
