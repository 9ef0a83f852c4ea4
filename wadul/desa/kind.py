"""The request kind `village_letter`: a letter from a desa, kelurahan or kecamatan.

Its intake depends on the unit the citizen wrote to and the service chosen: first the
service (from the unit's catalogue), then that service's data one question at a time, the
photos it needs, and a summary to confirm (`intake_for`).

    received ──► assigned ──► in_progress ──► resolved ──► closed
                    │  ▲          │  ▲
                    │  └─waiting◄─┘  │        (a correction asked: the clock pauses)
                    └──► rejected ◄──┘
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wadul.cases.kinds import (
    ClockTargets,
    DocumentSpec,
    IntakeField,
    InvalidAnswer,
    Publication,
    RequestKind,
)
from wadul.desa import checks
from wadul.desa.models import DOCUMENTS, Service

CODE = "village_letter"
SERVICE_FIELD = "layanan"
CONFIRM_FIELD = "konfirmasi"

TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"assigned", "triage", "rejected"}),
    "triage": frozenset({"assigned", "rejected"}),
    "assigned": frozenset({"in_progress", "waiting", "rejected", "resolved"}),
    "in_progress": frozenset({"waiting", "resolved", "rejected"}),
    "waiting": frozenset({"in_progress", "rejected"}),
    "resolved": frozenset({"closed"}),
    "closed": frozenset(),
    "rejected": frozenset(),
}
OPEN = frozenset({"received", "triage", "assigned", "in_progress", "waiting"})


def services_of(unit) -> list[Service]:
    if unit is None:
        return []
    return list(Service.objects.filter(unit=unit, is_active=True).order_by("name"))


def intake_for(unit, answers: dict[str, str]) -> tuple[IntakeField, ...]:
    """The service, then its data, its documents and the confirmation."""
    offered = services_of(unit)
    choose = IntakeField(
        SERVICE_FIELD,
        "Surat apa yang Anda perlukan?",
        type="choice",
        choices=tuple((service.code, service.name[:24]) for service in offered),
        check=_nothing_offered,
    )
    service = next((s for s in offered if s.code == answers.get(SERVICE_FIELD)), None)
    if service is None:
        return (choose,)
    fields = [choose]
    for field in service.fields:
        fields.append(
            IntakeField(
                field["name"],
                f"{field['label']}?" if not field["label"].endswith("?") else field["label"],
                check=checks.CHECKS[field["type"]],
            )
        )
    for code in service.documents:
        fields.append(
            IntakeField(
                f"foto_{code}",
                f"Kirim {DOCUMENTS[code]} (foto yang jelas).",
                "document",
                accept=("image/",),
            )
        )
    fields.append(
        IntakeField(
            CONFIRM_FIELD,
            summary(service, answers),
            type="choice",
            choices=(("ya", "Ya, kirim"),),
        )
    )
    return tuple(fields)


def _nothing_offered(text: str) -> str:
    # Only reached when the unit offers no letters (no choices to pick from).
    raise InvalidAnswer(
        "Nomor ini tidak melayani permohonan surat. Hubungi nomor WhatsApp desa/kelurahan Anda."
    )


def resolution_minutes(case) -> int | None:
    """A request's resolution target: its service's, in working hours (None: the service
    is gone from the catalogue, the kind's default applies)."""
    hours = (
        Service.objects.filter(unit_id=case.unit_id, code=(case.details or {}).get(SERVICE_FIELD))
        .values_list("target_hours", flat=True)
        .first()
    )
    return None if hours is None else hours * 60


def summary(service: Service, answers: dict[str, str]) -> str:
    lines = [f"Periksa permohonan *{service.name}* Anda:"]
    for field in service.fields:
        lines.append(f"- {field['label']}: {answers.get(field['name'], '…')}")
    for code in service.documents:
        lines.append(f"- {DOCUMENTS[code]}: terkirim" if f"foto_{code}" in answers else "")
    lines.append(f"Biaya: {service.fee_note}")
    lines.append(f"Target selesai: {service.target_hours} jam kerja.")
    lines.append("Balas *ya* untuk mengirim, atau *batal* untuk membatalkan.")
    return "\n".join(line for line in lines if line)


# The events the letter services record (wadul.desa.services), as the inbox's log shows them.
EVENT_LABELS = {
    "letter_details_corrected": "data permohonan diperbaiki",
    "letter_prepared": "draf surat disiapkan",
    "letter_sent_for_signature": "surat dikirim ke penandatangan",
    "letter_signed_by_head": "surat ditandatangani kepala desa/lurah, menunggu camat",
    "letter_signed": "surat ditandatangani",
    "letter_rejected": "surat ditolak penandatangan",
    "letter_revoked": "surat dicabut",
    "identity_photos_deleted": "foto KTP/KK dihapus (masa simpan habis)",
}

VILLAGE_LETTER = RequestKind(
    code=CODE,
    label=_("village letter (layanan desa)"),
    transitions=TRANSITIONS,
    open_statuses=OPEN,
    clock=ClockTargets(
        first_response_minutes=120,
        next_response_days=1,
        resolution_days=2,
        resolution_minutes_of=resolution_minutes,
    ),
    intake_for=intake_for,
    offered=lambda unit: (
        unit is not None and Service.objects.filter(unit=unit, is_active=True).exists()
    ),
    publication=Publication(on_portal=False, in_open_data=False),
    documents=(DocumentSpec("letter", "Surat keterangan"),),
    menu_title="Surat dari desa",
    menu_description="Surat domisili, SKTM, pengantar SKCK, SKU …",
    noun="permohonan surat",
)
