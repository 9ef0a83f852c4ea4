"""The first-contact menu: what a greeting, a lone sticker or a short unclear first message
gets instead of a case. Built from the registered request kinds, so a new kind with a menu
entry appears in it by itself."""

from __future__ import annotations

from wadul.cases import kinds
from wadul.cases.channels import Button, Notice, Purpose
from wadul.conversation import notices
from wadul.conversation.messages import Inbound, Outcome
from wadul.routing.intent import Intent, IntentDecision

STATUS_CHOICE = "menu:status"
# A message this short with no sign of a complaint is unclear: better to ask.
UNCLEAR_MAX_WORDS = 3


def wanted(decision: IntentDecision, text: str) -> bool:
    """Whether a first message should get the menu rather than open a case."""
    if decision.kind == Intent.GREETING and decision.is_sure:
        return True
    unclear = not decision.is_sure and decision.complaint_evidence <= 0
    return unclear and decision.kind != Intent.SPAM and len(text.split()) <= UNCLEAR_MAX_WORDS


def offer(inbound: Inbound) -> Outcome:
    choices = [
        Button(f"kind:{kind.code}", str(kind.menu_title)[:24], str(kind.menu_description)[:72])
        for kind in kinds.menu_kinds()
        if kind.offered_at(inbound.entry.unit)
    ]
    choices.append(Button(STATUS_CHOICE, "Cek status laporan", "Ketik juga: status NOMOR"))
    where = inbound.entry.unit.name if inbound.entry.unit else "Pemerintah Kabupaten"
    text = (
        f"Halo! Ini layanan pengaduan dan permohonan {where}. Pilih yang Anda perlukan, "
        "atau langsung tuliskan laporan Anda (boleh dengan foto dan lokasi)."
    )
    notice = Notice(purpose=Purpose.NOTICE, choices=choices, choices_label="Pilih layanan")
    notices.send(inbound, text, notice)
    return Outcome("menu")
