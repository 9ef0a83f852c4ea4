"""The only code that changes a PPID request's state. Every verb writes the case's event
log (through the case services it calls, and `events.record` for the PPID's own steps),
takes a keyword-only actor and the surface it came through, and checks the stage it
starts from under a row lock (compare-and-set, as the case services do)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import access, events
from wadul.cases import services as case_services
from wadul.cases.channels import Notice, Purpose
from wadul.cases.models import Case, CaseEvent, Contact, Message, Status
from wadul.organisation.models import Official, Unit
from wadul.ppid import kind as ppid_kind
from wadul.ppid import letters
from wadul.ppid.models import Desk, DipItem, Letter, PpidRequest, Sequence, Subscriber
from wadul.sla import calendar as cal
from wadul.sla import config as clock_config
from wadul.sla import services as clock

log = logging.getLogger(__name__)
Stage, Decision = PpidRequest.Stage, PpidRequest.Decision
E = CaseEvent.Kind
# Before the written notice: the stages a request can still be withdrawn in, and in which
# its escalation goes to the PPID Utama.
UNDECIDED = (Stage.RECEIVED, Stage.FORWARDED, Stage.COMPLETION)
RENDER_ATTEMPTS = 3

# Pasal 17 UU 14/2008: the only grounds for refusing information.
EXEMPTIONS = {
    "17a": "Pasal 17 huruf a — menghambat proses penegakan hukum",
    "17b": "Pasal 17 huruf b — hak kekayaan intelektual dan persaingan usaha tidak sehat",
    "17c": "Pasal 17 huruf c — pertahanan dan keamanan negara",
    "17d": "Pasal 17 huruf d — kekayaan alam Indonesia",
    "17e": "Pasal 17 huruf e — ketahanan ekonomi nasional",
    "17f": "Pasal 17 huruf f — hubungan luar negeri",
    "17g": "Pasal 17 huruf g — isi akta otentik pribadi dan wasiat",
    "17h": "Pasal 17 huruf h — rahasia pribadi",
    "17i": "Pasal 17 huruf i — memorandum atau surat antar badan publik yang dirahasiakan",
    "17j": "Pasal 17 huruf j — informasi yang tidak boleh diungkap berdasarkan undang-undang",
}
OBJECTION_GROUNDS = ppid_kind.OBJECTION_GROUNDS
DECISION_WORDS = {
    Decision.GRANTED: "permohonan dikabulkan seluruhnya",
    Decision.PARTLY: "permohonan dikabulkan sebagian",
    Decision.REFUSED: "permohonan ditolak (informasi dikecualikan)",
    Decision.NOT_HELD: "informasi tidak dikuasai",
}
OUTCOME_WORDS = {
    PpidRequest.Outcome.UPHELD: "keberatan diterima; informasi diberikan",
    PpidRequest.Outcome.PARTLY: "keberatan diterima sebagian",
    PpidRequest.Outcome.DISMISSED: "keberatan ditolak; keputusan PPID dikuatkan",
}


class PpidError(Exception):
    """A step the law or the request's stage does not allow; safe to show to staff."""


# --- working days ---------------------------------------------------------------------------


def add_working_days(start: datetime, days: int, unit_id: int | None = None) -> datetime:
    """The end of the unit's working hours on the `days`-th working day after the day of
    `start` (UU 14/2008 counts whole days; the day of receipt is not counted, so day 1 is
    the next working day). Working days are the unit's calendar: weekends, holidays, cuti
    bersama and local closures are skipped."""
    return cal.add_days(clock_config.current().calendar(unit_id), start, days)


def working_days_between(start: datetime, end: datetime, unit_id: int | None = None) -> int:
    """The working day (counted as the deadlines are) on which `end` falls after `start`."""
    return cal.working_days(clock_config.current().calendar(unit_id), start, end)


def when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    local = timezone.localtime(moment)
    months = (
        "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
    )
    return f"{local.day} {months.split()[local.month - 1]} {local.year}"


# --- registration -------------------------------------------------------------------------------


def on_event(case: Case, event: CaseEvent) -> None:
    """The hook run inside every case event's transaction: an information request gets its
    registration number with its first hooked event (opening records `opened`, then its
    assignment or triage)."""
    if case.type != ppid_kind.CODE:
        return
    if event.kind == E.MESSAGE_RECEIVED and event.to_status == Status.IN_PROGRESS:
        # The requester's reply to a completion request: the request is handled again.
        # The clock ran on from the reply (the waiting days not counted): the written
        # notice is due when the case's resolution is (the clock's hook ran before this).
        due = Case.objects.filter(pk=case.pk).values_list("resolution_due_at", flat=True).first()
        PpidRequest.objects.filter(case_id=case.pk, stage=Stage.COMPLETION).update(
            stage=Stage.FORWARDED, **({"notice_due_at": due} if due else {})
        )
    elif event.kind in (E.ASSIGNED, E.TRIAGED, E.TRANSFERRED):
        if event.kind != E.TRANSFERRED and not PpidRequest.objects.filter(case_id=case.pk).exists():
            register(case, at=case.created_at)
        if event.to_unit_id is not None:
            _handled_by(case, event.to_unit_id)


def _handled_by(case: Case, unit_id: int) -> None:
    """The unit a request moved to handles it — until its written notice: an objection's
    move to the atasan PPID (or anything after the notice) leaves the handling OPD as it was."""
    if Desk.objects.filter(unit_id=unit_id, role=Desk.Role.ATASAN).exists():
        return
    PpidRequest.objects.filter(case_id=case.pk, stage__in=UNDECIDED).update(
        handling_unit_id=unit_id
    )


def take_number(name: str, year: int) -> int:
    """The next number of a per-year sequence (inside the caller's transaction; the row
    lock makes concurrent takers wait, so no number is given twice)."""
    Sequence.objects.get_or_create(name=name, year=year)
    row = Sequence.objects.select_for_update().get(name=name, year=year)
    Sequence.objects.filter(pk=row.pk).update(last=F("last") + 1)
    return row.last + 1


def register(case: Case, *, at: datetime | None = None) -> PpidRequest:
    """Give a new information request its registration number (per year, sequential) and
    its legal deadline, and send the requester both with the receipt letter."""
    now = at or timezone.now()
    details = case.details or {}
    year = timezone.localtime(now).year
    number = f"{take_number('registration', year):05d}/PPID/{year}"
    requester_type = details.get("pemohon")
    if requester_type not in dict(ppid_kind.REQUESTER_TYPES):
        requester_type = "perorangan"
    body_name = str(details.get("nama_badan", ""))[:200]
    proxy = details.get("bertindak") == ppid_kind.PROXY
    request = PpidRequest.objects.create(
        case=case,
        registration_number=number,
        year=year,
        name=str(details.get("nama") or (case.contact.display_name if case.contact else ""))[:200],
        nik=str(details.get("nik", ""))[:16],
        address=str(details.get("alamat", "")),
        contact=str(details.get("kontak", ""))[:200],
        requester_type=requester_type,
        body_name=body_name,
        proxy=proxy,
        # A body's proxy acts for the body.
        principal=str(details.get("pemberi_kuasa") or body_name)[:200] if proxy else "",
        information=str(details.get("informasi") or case.description),
        purpose=str(details.get("tujuan", "")),
        obtain=str(details.get("cara_memperoleh", "")),
        receive=str(details.get("cara_menerima", "")),
        subject_public=bool(details.get("subjek_publik", False)),
        received_at=now,
        notice_due_at=add_working_days(now, ppid_kind.NOTICE_DAYS, case.unit_id),
        handling_unit_id=case.unit_id,
    )
    text = (
        f"Permohonan informasi publik Anda tercatat dengan *nomor registrasi "
        f"{number}*. Pemberitahuan tertulis paling lambat *{when(request.notice_due_at)}* "
        "(10 hari kerja, UU 14/2008 Pasal 22). Tanda bukti penerimaan terlampir."
    )
    issue_letter(request, "receipt", message=text, at=now, due=when(request.notice_due_at))
    # A request nobody's desk holds yet (the central number's triage) goes to the PPID Utama,
    # who triages information requests.
    utama = desk_unit(Desk.Role.UTAMA)
    if case.status in (Status.RECEIVED, Status.TRIAGE) and utama is not None:
        case_services.assign(case, unit=utama, actor=None, via="system", at=now)
    return request


# --- letters ----------------------------------------------------------------------------------


def _context(request: PpidRequest, **extra) -> dict:
    unit = request.case.unit
    return {
        "registration_number": request.registration_number,
        "received": when(request.received_at),
        "name": request.name,
        "requester": request.acting_as,
        "address": request.address,
        "information": request.information,
        "purpose": request.purpose,
        "obtain": dict(ppid_kind.OBTAIN).get(request.obtain, request.obtain),
        "receive": dict(ppid_kind.RECEIVE).get(request.receive, request.receive),
        "desk": f"PPID {unit.name}" if unit else "PPID Utama",
        **extra,
    }


def issue_letter(
    request: PpidRequest, code: str, *, message: str, at: datetime | None = None, **context
) -> Letter:
    """Number a letter (the number is kept whatever happens to the PDF), render it and send
    it to the requester with `message` on the case's channel."""
    at = at or timezone.now()
    year = timezone.localtime(at).year
    sequence = take_number("letter", year)
    letter = Letter.objects.create(
        request=request,
        code=code,
        number=f"{sequence:04d}/PPID/{year}",
        year=year,
        sequence=sequence,
        title=letters.title_of(code),
        context={
            **_context(request, **context),
            "message": message,
            "date": when(at),
            "place": settings.REGENCY_NAME.removeprefix("Kabupaten ").removeprefix("Kota "),
        },
        created_at=at,
    )
    render_letter(letter, at=at)
    return letter


def render_letter(
    letter: Letter, *, actor: Official | None = None, at: datetime | None = None
) -> Letter:
    """Render the PDF (a few attempts); on success store it on the case and send it, else
    mark the letter failed and record the failure for the PPID (who can retry it)."""
    case = letter.request.case
    at = at or timezone.now()
    error = ""
    for _attempt in range(RENDER_ATTEMPTS):
        letter.attempts += 1
        try:
            with transaction.atomic():
                pdf = letters.render_pdf(
                    code=letter.code,
                    number=letter.number,
                    title=letter.title,
                    context=letter.context,
                )
            break
        except Exception as exc:  # noqa: BLE001 (any template or PDF error is surfaced)
            error = f"{type(exc).__name__}: {exc}"[:1000]
            pdf = None
    if pdf is None:
        letter.state, letter.error = Letter.State.FAILED, error
        letter.save(update_fields=["state", "error", "attempts"])
        log.warning("PPID letter %s failed to render: %s", letter.number, error)
        events.record(
            case,
            "ppid_letter_failed",
            actor=actor,
            via="system",
            at=at,
            letter=letter.number,
            error=error,
        )
        # The requester still gets the words (and the number) without the PDF.
        if not letter.sent:
            case_services.notify_citizen(
                case, text=letter.context.get("message", letter.title), at=at
            )
            letter.sent = True
            letter.save(update_fields=["sent"])
        return letter
    filename = f"{letter.code}-{letter.number.replace('/', '-')}.pdf"
    attachment = case_services.add_attachment(
        case,
        file=ContentFile(pdf, name=filename),
        content_type="application/pdf",
        actor=actor,
        via="system",
        original_name=filename,
    )
    letter.state, letter.error, letter.attachment = Letter.State.READY, "", attachment
    letter.save(update_fields=["state", "error", "attempts", "attachment"])
    events.record(
        case,
        "ppid_letter",
        actor=actor,
        via="system",
        at=at,
        letter=letter.number,
        code=letter.code,
    )
    if not letter.sent:
        send_file(case, attachment, letter.context.get("message", letter.title), at=at)
        letter.sent = True
        letter.save(update_fields=["sent"])
    return letter


def send_file(case: Case, attachment, text: str, at: datetime | None = None):
    """A file to the requester on their channel (a WhatsApp document; on the web it stays
    on the private page)."""
    return case_services.notify_citizen(
        case, text=text, at=at, notice=Notice(purpose=Purpose.NOTICE, attachment=attachment)
    )


@transaction.atomic
def retry_letter(letter: Letter, *, actor: Official, via: str) -> Letter:
    _check(actor, letter.request.case)
    if letter.state != Letter.State.FAILED:
        raise PpidError(_("Only a failed letter can be rendered again."))
    return render_letter(letter, actor=actor)


# --- the steps -----------------------------------------------------------------------------


def _check(actor: Official | None, case: Case) -> None:
    if actor is not None and not access.can_act(actor, case):
        raise PermissionDenied(_("You may not change this case."))


def _lock(request: PpidRequest, *allowed: str) -> PpidRequest:
    locked = PpidRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    if locked.stage not in allowed:
        raise PpidError(
            _("Not possible at this stage (%(stage)s).") % {"stage": locked.get_stage_display()}
        )
    return locked


def _set(request: PpidRequest, **fields) -> None:
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=list(fields))


@transaction.atomic
def forward(
    request: PpidRequest,
    *,
    to_unit: Unit,
    actor: Official,
    via: str,
    note: str = "",
    at: datetime | None = None,
) -> PpidRequest:
    """The PPID Utama hands the request to the PPID Pelaksana of the OPD that holds it."""
    request = _lock(request, Stage.RECEIVED, Stage.FORWARDED)
    _check(actor, request.case)
    case = request.case
    if case.status in (Status.RECEIVED, Status.TRIAGE):
        case_services.assign(case, unit=to_unit, actor=actor, via=via, at=at)
    else:
        reason = note or _("Forwarded to the PPID Pelaksana")
        case_services.transfer(case, to_unit=to_unit, reason=reason, actor=actor, via=via, at=at)
    _set(request, stage=Stage.FORWARDED)
    events.record(case, "ppid_forwarded", actor=actor, via=via, at=at, to_unit=to_unit, note=note)
    return request


@transaction.atomic
def ask_completion(
    request: PpidRequest, *, text: str, actor: Official, via: str, at: datetime | None = None
) -> PpidRequest:
    """Return an incomplete request for completion: the clock pauses until the reply."""
    request = _lock(request, Stage.RECEIVED, Stage.FORWARDED)
    _check(actor, request.case)
    if not text.strip():
        raise PpidError(_("Say what is missing."))
    case_services.request_clarification(request.case, text=text, actor=actor, via=via, at=at)
    _set(request, stage=Stage.COMPLETION, completion_asked=text.strip())
    issue_letter(
        request,
        "completion",
        message=f"Surat permintaan kelengkapan {request.registration_number}.",
        at=at,
        body=text.strip(),
    )
    return request


@transaction.atomic
def extend(
    request: PpidRequest, *, reason: str, actor: Official, via: str, at: datetime | None = None
) -> PpidRequest:
    """The one extension (≤ 7 working days, in writing, with reasons)."""
    request = _lock(request, Stage.RECEIVED, Stage.FORWARDED)
    _check(actor, request.case)
    if request.extended_at is not None:
        raise PpidError(_("This request has already been extended once."))
    try:
        clock.extend_information_request(request.case, actor=actor, via=via, reason=reason, at=at)
    except clock.ClockError as error:
        raise PpidError(str(error)) from error
    case = Case.objects.get(pk=request.case_id)
    now = at or timezone.now()
    # The clock's own date (it knows the pauses); the same calendar either way.
    due = case.resolution_due_at or add_working_days(
        request.notice_due_at, ppid_kind.EXTENSION_DAYS, case.unit_id
    )
    _set(request, extended_at=now, extension_reason=reason.strip(), notice_due_at=due)
    issue_letter(
        request,
        "extension",
        message=f"Surat pemberitahuan perpanjangan {request.registration_number}.",
        at=now,
        days=ppid_kind.EXTENSION_DAYS,
        due=when(due),
        reason=reason.strip(),
    )
    return request


@transaction.atomic
def decide(
    request: PpidRequest,
    *,
    decision: str,
    actor: Official,
    via: str,
    text: str = "",
    exemption_basis: str = "",
    consequence_test: str = "",
    redactions: str = "",
    holding_body: str = "",
    cost: str = "",
    file=None,
    at: datetime | None = None,
) -> PpidRequest:
    """The written notice: granted, partly granted (with redactions), refused (Pasal 17 basis
    and consequence test) or not held (naming the body that holds it). A file given with
    it (the information, redacted where needed) goes to the requester too."""
    request = _lock(request, Stage.RECEIVED, Stage.FORWARDED)
    _check(actor, request.case)
    if decision not in Decision.values:
        raise PpidError(_("Choose a decision."))
    if decision in (Decision.REFUSED, Decision.PARTLY):
        if exemption_basis not in EXEMPTIONS:
            raise PpidError(_("A refusal needs its Pasal 17 basis."))
        if len(consequence_test.strip()) < 20:
            raise PpidError(
                _(
                    "Write the consequence test: the document, what is exempt, the basis "
                    "and the harm."
                )
            )
    if decision == Decision.PARTLY and not redactions.strip():
        raise PpidError(_("Say which parts are blacked out and why."))
    if decision == Decision.NOT_HELD and not holding_body.strip():
        raise PpidError(_("Name the public body that holds the information."))
    case = request.case
    now = at or timezone.now()
    objection_until = add_working_days(now, ppid_kind.OBJECTION_WINDOW_DAYS, case.unit_id)
    _set(
        request,
        stage=Stage.DECIDED,
        decision=decision,
        decided_at=now,
        decision_text=text.strip(),
        exemption_basis=exemption_basis if decision in (Decision.REFUSED, Decision.PARTLY) else "",
        consequence_test=consequence_test.strip(),
        redactions=redactions.strip(),
        holding_body=holding_body.strip(),
        cost=cost.strip(),
        working_days=working_days_between(request.received_at, now, case.unit_id),
        objection_until=objection_until,
        on_time=request.notice_due_at is None or now <= request.notice_due_at,
    )
    summary = (
        f"Pemberitahuan tertulis permohonan {request.registration_number}: "
        f"{DECISION_WORDS[decision]}. Keberatan dapat diajukan sampai {when(objection_until)} "
        "(ketik *keberatan* untuk mengajukan)."
    )
    case_services.answer(case, text=summary, actor=actor, via=via, at=now)
    events.record(
        case,
        "ppid_decided",
        actor=actor,
        via=via,
        at=now,
        decision=decision,
        exemption_basis=request.exemption_basis,
    )
    issue_letter(
        request,
        "notice",
        message=f"Surat pemberitahuan tertulis {request.registration_number}.",
        at=now,
        decision=decision,
        decision_label=DECISION_WORDS[decision],
        exemption_label=EXEMPTIONS.get(request.exemption_basis, ""),
        consequence_test=request.consequence_test,
        redactions=request.redactions,
        holding_body=request.holding_body,
        cost=request.cost,
        body=request.decision_text,
        objection_until=when(objection_until),
    )
    if file is not None:
        attachment = case_services.add_attachment(
            case,
            file=file,
            content_type=getattr(file, "content_type", "") or "application/pdf",
            actor=actor,
            via=via,
            original_name=getattr(file, "name", "") or "informasi.pdf",
        )
        send_file(
            case, attachment, f"Informasi yang Anda minta ({request.registration_number}).", now
        )
    case_services.resolve(case, actor=actor, via=via, note=DECISION_WORDS[decision], at=now)
    return request


@transaction.atomic
def deliver(
    request: PpidRequest, *, actor: Official, via: str, at: datetime | None = None
) -> PpidRequest:
    """The information was handed over (or the notice says there is none to give): close."""
    request = _lock(request, Stage.DECIDED)
    _check(actor, request.case)
    now = at or timezone.now()
    _set(request, stage=Stage.DELIVERED, delivered_at=now)
    case_services.close(request.case, actor=actor, via=via, at=now)
    events.record(request.case, "ppid_delivered", actor=actor, via=via, at=now)
    return request


@transaction.atomic
def lodge_objection(
    request: PpidRequest,
    *,
    grounds: list[str],
    text: str,
    via: str,
    actor: Official | None = None,
    at: datetime | None = None,
) -> PpidRequest:
    """The requester objects (Pasal 35 grounds) within 30 working days: the atasan PPID must
    decide within 30 working days. The case reopens on the atasan's desk; its resolution
    clock gets the 20 working days the atasan has beyond the PPID's 10."""
    request = _lock(request, Stage.RECEIVED, Stage.FORWARDED, Stage.DECIDED, Stage.DELIVERED)
    grounds = [g for g in grounds if g in OBJECTION_GROUNDS]
    if not grounds:
        raise PpidError(_("Choose at least one ground of objection (Pasal 35)."))
    now = at or timezone.now()
    case = request.case
    if request.decided_at is not None:
        window = add_working_days(request.decided_at, ppid_kind.OBJECTION_WINDOW_DAYS, case.unit_id)
        if now > window:
            raise PpidError(_("The 30 working days for an objection have passed."))
    atasan = Desk.objects.filter(role=Desk.Role.ATASAN).select_related("unit").first()
    if case.status not in (Status.RESOLVED, Status.CLOSED, Status.REFERRED):
        # Unanswered requests (ground c, g): the case ends its first cycle here.
        case_services.resolve(case, actor=None, via=via, note="keberatan", at=now)
    case_services.reopen(case, actor=None, via=via, reason="keberatan", at=now)
    if atasan is not None and case.unit_id != atasan.unit_id:
        case_services.transfer(
            case,
            to_unit=atasan.unit,
            reason="keberatan kepada atasan PPID",
            actor=None,
            via=via,
            at=now,
        )
    extra = ppid_kind.OBJECTION_DECISION_DAYS - ppid_kind.NOTICE_DAYS
    events.record(
        case,
        E.DEADLINE_EXTENDED,
        actor=None,
        via=via,
        at=now,
        days=extra,
        reason="keberatan (Pasal 36)",
    )
    due = add_working_days(now, ppid_kind.OBJECTION_DECISION_DAYS, case.unit_id)
    _set(
        request,
        stage=Stage.OBJECTED,
        objected_at=now,
        objection_grounds=grounds,
        objection_text=text.strip(),
        objection_due_at=due,
    )
    events.record(case, "ppid_objected", actor=actor, via=via, at=now, grounds=grounds)
    issue_letter(
        request,
        "objection_receipt",
        message=(
            f"Keberatan Anda atas permohonan {request.registration_number} diterima. Tanggapan "
            f"atasan PPID paling lambat *{when(due)}* (30 hari kerja)."
        ),
        at=now,
        grounds="\n".join(f"{g}. {OBJECTION_GROUNDS[g]}" for g in grounds),
        body=text.strip(),
        due=when(due),
    )
    return request


@transaction.atomic
def decide_objection(
    request: PpidRequest,
    *,
    outcome: str,
    text: str,
    actor: Official,
    via: str,
    at: datetime | None = None,
) -> PpidRequest:
    """The atasan PPID's written decision; the requester then has 14 working days to take
    the dispute to the Komisi Informasi."""
    request = _lock(request, Stage.OBJECTED)
    _check(actor, request.case)
    if outcome not in PpidRequest.Outcome.values:
        raise PpidError(_("Choose the decision on the objection."))
    if not text.strip():
        raise PpidError(_("Write the reasons of the decision."))
    now = at or timezone.now()
    case = request.case
    dispute_until = add_working_days(now, ppid_kind.DISPUTE_WINDOW_DAYS, case.unit_id)
    _set(
        request,
        dispute_until=dispute_until,
        stage=Stage.OBJECTION_DECIDED,
        outcome=outcome,
        outcome_text=text.strip(),
        outcome_at=now,
    )
    case_services.answer(
        case,
        text=(
            f"Tanggapan atasan PPID atas keberatan {request.registration_number}: "
            f"{OUTCOME_WORDS[outcome]}. Sengketa dapat diajukan ke Komisi Informasi sampai "
            f"{when(dispute_until)} (14 hari kerja)."
        ),
        actor=actor,
        via=via,
        at=now,
    )
    events.record(case, "ppid_objection_decided", actor=actor, via=via, at=now, outcome=outcome)
    issue_letter(
        request,
        "atasan_decision",
        message=f"Surat tanggapan atasan PPID {request.registration_number}.",
        at=now,
        outcome_label=OUTCOME_WORDS[outcome],
        body=text.strip(),
        dispute_until=when(dispute_until),
    )
    case_services.resolve(case, actor=actor, via=via, note=OUTCOME_WORDS[outcome], at=now)
    return request


@transaction.atomic
def withdraw(
    request: PpidRequest,
    *,
    via: str,
    actor: Official | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> PpidRequest:
    """The requester withdraws a request before its written notice (themselves on WhatsApp
    or the private page, or through staff who heard it at the counter or by letter): the
    case closes, the clock stops, and the year's report counts it as withdrawn."""
    request = _lock(request, *UNDECIDED)
    _check(actor, request.case)
    now = at or timezone.now()
    case = request.case
    _set(request, stage=Stage.WITHDRAWN)
    events.record(case, "ppid_withdrawn", actor=actor, via=via, at=now, reason=reason.strip())
    if actor is not None:
        # Staff recorded it: the requester hears it on their channel (their own withdrawal
        # is confirmed by the surface they used).
        case_services.notify_citizen(case, text=withdrawn_text(request), at=now)
    if case.status not in (Status.RESOLVED, Status.CLOSED):
        case_services.resolve(case, actor=None, via=via, note="permohonan dicabut", at=now)
    case_services.close(case, actor=None, via=via, at=now)
    return request


@transaction.atomic
def record_dispute(
    request: PpidRequest,
    *,
    number: str,
    note: str = "",
    actor: Official,
    via: str,
    at: datetime | None = None,
) -> PpidRequest:
    """The requester took the objection to the Komisi Informasi (sengketa, Pasal 37): after
    the atasan's decision, or without one when it came late or not at all."""
    request = _lock(request, Stage.OBJECTED, Stage.OBJECTION_DECIDED)
    _check(actor, request.case)
    if request.dispute_at is not None:
        raise PpidError(_("A dispute is already recorded for this request."))
    if not number.strip():
        raise PpidError(_("Give the Komisi Informasi's register number of the dispute."))
    now = at or timezone.now()
    _set(request, dispute_at=now, dispute_number=number.strip()[:100], dispute_note=note.strip())
    events.record(
        request.case, "ppid_disputed", actor=actor, via=via, at=now, number=request.dispute_number
    )
    return request


@transaction.atomic
def record_dispute_outcome(
    request: PpidRequest,
    *,
    outcome: str,
    note: str = "",
    actor: Official,
    via: str,
    at: datetime | None = None,
) -> PpidRequest:
    """The Komisi Informasi's decision (or mediation) on a recorded dispute."""
    request = _lock(request, Stage.OBJECTED, Stage.OBJECTION_DECIDED)
    _check(actor, request.case)
    if request.dispute_at is None or request.dispute_outcome:
        raise PpidError(_("There is no open dispute on this request."))
    if outcome not in PpidRequest.DisputeOutcome.values:
        raise PpidError(_("Choose the outcome of the dispute."))
    now = at or timezone.now()
    notes = "\n".join(n for n in (request.dispute_note, note.strip()) if n)
    _set(request, dispute_outcome=outcome, dispute_outcome_at=now, dispute_note=notes)
    events.record(
        request.case, "ppid_dispute_decided", actor=actor, via=via, at=now, outcome=outcome
    )
    return request


def withdrawn_text(request: PpidRequest) -> str:
    return (
        f"Permohonan informasi {request.registration_number} telah dicabut atas permintaan "
        "Anda dan ditutup."
    )


# --- desks and the DIP -------------------------------------------------------------------------


@transaction.atomic
def designate(unit: Unit, *, role: str) -> Desk:
    desk, _created = Desk.objects.update_or_create(unit=unit, defaults={"role": role})
    return desk


@transaction.atomic
def publish_dip_item(**fields) -> DipItem:
    """Add or update a DIP entry (by number). An exempt item needs its consequence test; a
    serta merta item is announced to the subscribers at once (once)."""
    if fields.get("category") == DipItem.Category.DIKECUALIKAN and not fields.get(
        "consequence_test_ref"
    ):
        raise PpidError(_("An exempt item needs its consequence test reference."))
    item, _created = DipItem.objects.update_or_create(number=fields.pop("number"), defaults=fields)
    if item.category == DipItem.Category.SERTA_MERTA and item.announced_at is None:
        announce(item)
    return item


# --- serta merta announcements -----------------------------------------------------------------

# channel code -> announcer(item, subscribers) -> how many were queued. The WhatsApp app
# fills it (an approved template to each subscriber); the PPID app sends nothing itself.
ANNOUNCERS: dict[str, Callable[[DipItem, list[Subscriber]], int]] = {}


def announce(item: DipItem, *, at: datetime | None = None) -> int:
    """Send a serta merta item to every active subscriber through their channel's announcer."""
    subscribers = list(Subscriber.objects.filter(active=True).select_related("contact", "number"))
    sent = 0
    for channel, announcer in ANNOUNCERS.items():
        sent += announcer(item, [s for s in subscribers if s.channel == channel])
    DipItem.objects.filter(pk=item.pk).update(announced_at=at or timezone.now())
    log.info("serta merta %s announced to %d subscribers", item.number, sent)
    return sent


@transaction.atomic
def subscribe(
    contact: Contact, *, channel: str, number=None, at: datetime | None = None
) -> Subscriber:
    subscriber, _created = Subscriber.objects.update_or_create(
        contact=contact,
        defaults={
            "channel": channel,
            "number": number,
            "active": True,
            "subscribed_at": at or timezone.now(),
        },
    )
    return subscriber


@transaction.atomic
def unsubscribe(contact: Contact) -> bool:
    """End a subscription; False if there was none."""
    return bool(Subscriber.objects.filter(contact=contact, active=True).update(active=False))


def desk_unit(role: str) -> Unit | None:
    """The unit holding a PPID role (the first, for the Utama and the atasan)."""
    desk = Desk.objects.filter(role=role).select_related("unit").order_by("pk").first()
    return desk.unit if desk else None


def escalation_units(cases: list[Case]) -> dict[int, int]:
    """Whom a late request escalates to besides its OPD's line (`sla.services.ESCALATION_UNITS`):
    the PPID Utama while the written notice is due, the atasan PPID while an objection
    waits for his decision."""
    utama, atasan = desk_unit(Desk.Role.UTAMA), desk_unit(Desk.Role.ATASAN)
    stages = dict(
        PpidRequest.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
            "case_id", "stage"
        )
    )
    units: dict[int, int] = {}
    for case in cases:
        stage = stages.get(case.pk, Stage.RECEIVED)
        desk = atasan if stage == Stage.OBJECTED else utama
        if desk is not None and stage in (*UNDECIDED, Stage.OBJECTED):
            units[case.pk] = desk.pk
    return units


@transaction.atomic
def register_at_counter(
    *,
    channel: str,
    actor: Official,
    via: str,
    name: str,
    nik: str,
    address: str,
    contact: str,
    information: str,
    purpose: str,
    obtain: str,
    receive: str,
    requester: dict[str, str] | None = None,
    documents: dict[str, File] | None = None,
    at: datetime | None = None,
) -> PpidRequest:
    """A walk-in, telephone, letter or e-mail request typed in by PPID staff: the same
    record, number and deadline as one made on WhatsApp or the web. `requester` holds who
    asks as the intake stores it (`pemohon`, `bertindak`, `nama_badan`, `pemberi_kuasa`),
    `documents` the scanned papers (a legal body's, a power of attorney) by file name."""
    case = case_services.open_case(
        channel=channel,
        text=f"Permohonan informasi publik\n{information}",
        via=via,
        type=ppid_kind.CODE,
        unit=actor.unit,
        visibility="private",
        actor=actor,
        at=at,
        details={
            "nama": name,
            "nik": nik,
            "alamat": address,
            "kontak": contact,
            "informasi": information,
            "tujuan": purpose,
            "cara_memperoleh": obtain,
            "cara_menerima": receive,
            **(requester or {}),
        },
    )
    request = PpidRequest.objects.get(case=case)
    attach_documents(request, documents or {}, actor=actor, via=via)
    return request


def attach_documents(
    request: PpidRequest, documents: dict[str, File], *, actor: Official | None, via: str
) -> None:
    """The requester's papers (a legal body's registration, a power of attorney) from a form:
    files of the request's opening message, as a photo sent on WhatsApp is."""
    case = request.case
    opening = case.messages.filter(direction=Message.Direction.INBOUND).order_by("pk").first()
    for name, upload in documents.items():
        case_services.add_attachment(
            case,
            file=upload,
            content_type=getattr(upload, "content_type", ""),
            actor=actor,
            via=via,
            message=opening,
            original_name=name,
        )


def requester_documents(request: PpidRequest):
    """The files the requester sent with the request (not the PPID's letters and files)."""
    return request.case.attachments.filter(message__direction=Message.Direction.INBOUND).order_by(
        "pk"
    )
