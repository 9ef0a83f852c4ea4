"""The product's message templates: their words, their submission to Meta, their approval.

Outside the 24-hour window only an approved template may be sent. The templates are the
purposes of WHATSAPP_TEMPLATES (answer, status_update, rating_request, notice), in
WHATSAPP_LANGUAGE, category UTILITY, each with example values as Meta requires.
`wadul whatsapp_templates push` submits those Meta does not have yet; Meta's verdict comes
back as a `message_template_status_update` webhook (or with `sync`). The sender asks
`is_approved` before each template: a row whose template is not approved is held (queued,
`held_for_template`) with an admin alert, and released the moment the template is approved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wadul.conversation.notices import RATING_BUTTONS
from wadul.whatsapp import nudge
from wadul.whatsapp.alerts import raise_alert
from wadul.whatsapp.models import Alert, MessageTemplate, OutboundMessage
from wadul.whatsapp.outbound import graph

logger = logging.getLogger(__name__)

Status = MessageTemplate.Status
CATEGORY = "UTILITY"
# A held row is looked at again after this long even if no webhook releases it (a missed
# webhook, or a status changed by `sync`).
HOLD_RECHECK = timedelta(hours=1)
LIST_FIELDS = "id,name,language,status,category,rejected_reason"
PAGE_LIMIT = 100


@dataclass(frozen=True)
class Words:
    """A purpose's template: body with {{1}}, {{2}} …, one example value per variable, and
    quick-reply button titles. Meta refuses a body that starts or ends with a variable."""

    body: str
    example: tuple[str, ...]
    buttons: tuple[str, ...] = ()


WORDS: dict[str, Words] = {
    "answer": Words(
        "Jawaban atas laporan Anda {{1}}:\n\n{{2}}\n\n"
        "Balas pesan ini bila masih ada yang ingin ditanyakan.",
        ("K7PM-2XRQ", "Lampu PJU di Jalan Ahmad Yani sudah diganti hari ini."),
    ),
    "status_update": Words(
        "Laporan Anda {{1}} kini berstatus: {{2}}. Terima kasih telah melapor.",
        ("K7PM-2XRQ", "sedang ditangani"),
    ),
    "rating_request": Words(
        "Laporan {{1}} sudah selesai ditangani. Bagaimana pelayanan kami? Pilih salah satu.",
        ("K7PM-2XRQ",),
        tuple(title for _score, title in RATING_BUTTONS),
    ),
    "notice": Words(
        "Pemberitahuan dari layanan pengaduan:\n\n{{1}}\n\nTerima kasih.",
        ("Laporan K7PM-2XRQ menunggu jawaban Anda.",),
    ),
    # Serta merta announcements to subscribers (UU 14/2008 Pasal 10).
    "serta_merta": Words(
        "Informasi serta merta:\n\n{{1}}\n\nSelengkapnya: {{2}}\n\n"
        "Ketik berhenti info untuk berhenti berlangganan.",
        (
            "Banjir di Kecamatan Genteng: warga di bantaran sungai diminta mengungsi.",
            "https://wadul.banyuwangikab.go.id/informasi/?kategori=serta_merta",
        ),
    ),
}


@dataclass(frozen=True)
class Spec:
    purpose: str
    name: str
    language: str
    words: Words

    def request(self) -> dict[str, Any]:
        """The body of `POST /<WABA_ID>/message_templates`."""
        components: list[dict[str, Any]] = [
            {
                "type": "BODY",
                "text": self.words.body,
                "example": {"body_text": [list(self.words.example)]},
            }
        ]
        if self.words.buttons:
            components.append(
                {
                    "type": "BUTTONS",
                    "buttons": [{"type": "QUICK_REPLY", "text": t} for t in self.words.buttons],
                }
            )
        return {
            "name": self.name,
            "language": self.language,
            "category": CATEGORY,
            "components": components,
        }


class TemplateNotApproved(Exception):
    def __init__(self, name: str, language: str, status: str):
        super().__init__(f"Template {name!r} ({language}) is {status or 'unknown to Meta'}.")
        self.name, self.language, self.status = name, language, status


class AccountError(Exception):
    """A call to the business account failed; the message says why (for the command)."""


def product_templates() -> list[Spec]:
    """The templates the product sends, as configured (purposes without words are skipped:
    an installation's own template for a purpose is submitted by hand)."""
    language = settings.WHATSAPP_LANGUAGE
    specs = []
    for purpose, names in (settings.WHATSAPP_TEMPLATES or {}).items():
        name = (names or {}).get(language) if isinstance(names, dict) else None
        if name and purpose in WORDS:
            specs.append(Spec(purpose, name, language, WORDS[purpose]))
    return specs


# --- the sender's question -------------------------------------------------------------------


def status_of(name: str, language: str) -> str:
    found = MessageTemplate.objects.filter(name=name, language=language)
    return found.values_list("status", flat=True).first() or ""


def check_approved(name: str, language: str) -> None:
    """Raise TemplateNotApproved unless Meta approved this template."""
    status = status_of(name, language)
    if status != Status.APPROVED:
        raise TemplateNotApproved(name, language, status)


def hold(row: OutboundMessage, error: TemplateNotApproved) -> None:
    """Put a claimed row back in the queue until its template is approved (the claim's
    attempt is not counted) and tell an administrator."""
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=row.pk, state=OutboundMessage.State.SENDING).update(
            state=OutboundMessage.State.QUEUED,
            held_for_template=error.name,
            next_attempt_at=timezone.now() + HOLD_RECHECK,
            attempts=F("attempts") - 1,
            error_detail=str(error)[:500],
        )
        raise_alert(
            Alert.Kind.TEMPLATE,
            f"Messages held: template {error.name} is not approved",
            number=row.number,
            reference=error.name,
            detail=f"{error} Messages that need it wait in the outbox and go out once Meta "
            "approves it (`wadul whatsapp_templates sync` shows its status).",
        )


def release_held(name: str) -> int:
    """Send the rows waiting for this template now."""
    released = OutboundMessage.objects.filter(
        state=OutboundMessage.State.QUEUED, held_for_template=name
    ).update(held_for_template="", next_attempt_at=timezone.now())
    if released:
        nudge.kick_on_commit("send_outbox")
    return released


# --- the state change ------------------------------------------------------------------------


def record_status(
    *,
    name: str,
    language: str,
    status: str,
    via: str,
    reason: str = "",
    category: str = "",
    meta_id: str = "",
    at: datetime | None = None,
) -> MessageTemplate:
    """What Meta says of a template (via push, sync or webhook): store it; an approval
    releases the messages waiting for it, a rejection, pause or disablement alerts."""
    now = at or timezone.now()
    status = status.strip().lower()[:30]
    reason = "" if reason.strip().upper() == "NONE" else reason.strip()
    with transaction.atomic():
        template, _created = MessageTemplate.objects.select_for_update().get_or_create(
            name=name[:512], language=language[:15]
        )
        before = template.status if not _created else ""
        template.status = status
        template.reason = reason[:500]
        template.category = (category or template.category).upper()[:20]
        template.meta_id = str(meta_id or template.meta_id)[:64]
        template.updated_at = now
        if via in ("sync", "push"):
            template.last_synced_at = now
        template.save()
        if status == before:
            return template
        logger.info("template %s (%s): %s → %s via %s", name, language, before, status, via)
        if status == Status.APPROVED:
            release_held(template.name)
        elif status != Status.PENDING:
            raise_alert(
                Alert.Kind.TEMPLATE,
                f"Template {name} is {status}",
                reference=name,
                detail=f"Meta says template {name} ({language}) is {status}"
                + (f": {reason}" if reason else ".")
                + " Outside the 24-hour window messages that need it wait in the outbox.",
            )
    return template


# --- the business account --------------------------------------------------------------------


def _waba_id() -> str:
    if not settings.WHATSAPP_WABA_ID:
        raise AccountError("WHATSAPP_WABA_ID is not set (the WhatsApp Business Account ID).")
    return settings.WHATSAPP_WABA_ID


def _answer(result: graph.GraphResult, doing: str) -> dict[str, Any]:
    if not result.ok:
        code = f" (error {result.error_code})" if result.error_code else ""
        raise AccountError(f"{doing} failed{code}: {result.error_detail or result.outcome}")
    return result.data if isinstance(result.data, dict) else {}


def fetch() -> list[dict[str, Any]]:
    """Every template of the account, as Meta lists them (following the pages)."""
    waba_id = _waba_id()
    params = {"fields": LIST_FIELDS, "limit": str(PAGE_LIMIT)}
    found: list[dict[str, Any]] = []
    while True:
        data = _answer(
            graph.account_call("GET", f"{waba_id}/message_templates", params=params),
            "Listing the templates",
        )
        found.extend(t for t in data.get("data") or [] if isinstance(t, dict))
        paging = data.get("paging") if isinstance(data.get("paging"), dict) else {}
        after = (paging.get("cursors") or {}).get("after")
        if not paging.get("next") or not after:
            return found
        params = {**params, "after": str(after)}


def _record_listed(template: dict[str, Any], via: str) -> MessageTemplate:
    return record_status(
        name=str(template.get("name") or ""),
        language=str(template.get("language") or ""),
        status=str(template.get("status") or ""),
        reason=str(template.get("rejected_reason") or ""),
        category=str(template.get("category") or ""),
        meta_id=str(template.get("id") or ""),
        via=via,
    )


def sync() -> list[MessageTemplate]:
    """Record the status of every template Meta lists for the account."""
    return [_record_listed(t, "sync") for t in fetch() if t.get("name") and t.get("language")]


def push() -> list[tuple[Spec, str]]:
    """Submit the product's templates Meta does not have; record the status of all of them.
    Returns (template, what happened) for each."""
    listed = {(str(t.get("name")), str(t.get("language"))): t for t in fetch()}
    outcomes = []
    for spec in product_templates():
        known = listed.get((spec.name, spec.language))
        if known is not None:
            template = _record_listed(known, "push")
            outcomes.append((spec, f"already submitted: {template.status}"))
            continue
        data = _answer(
            graph.account_call("POST", f"{_waba_id()}/message_templates", json_body=spec.request()),
            f"Submitting {spec.name}",
        )
        template = record_status(
            name=spec.name,
            language=spec.language,
            status=str(data.get("status") or Status.PENDING),
            category=str(data.get("category") or CATEGORY),
            meta_id=str(data.get("id") or ""),
            via="push",
        )
        outcomes.append((spec, f"submitted: {template.status}"))
    return outcomes
