"""A request collected one question at a time, before its case exists.

A kind that declares `intake` fields is asked for them in order: each answer is checked by
its field (a wrong one is explained and asked again), `batal` stops, and the conversation
resumes where it stopped after hours of silence (a week at most). With the last answer the
case opens with the answers as its details, and the citizen gets the tracking number.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from wadul.cases import kinds
from wadul.cases.channels import Button, Notice, Purpose
from wadul.conversation import notices, requests
from wadul.conversation.messages import Inbound, Outcome
from wadul.conversation.models import IntakeSession
from wadul.core import compiled

CANCEL_WORDS = frozenset({"batal", "cancel", "stop", "berhenti"})
# An intake left this long is forgotten: the next message starts afresh.
RESUMABLE_FOR = timedelta(days=7)
State = IntakeSession.State


def open_session(inbound: Inbound) -> IntakeSession | None:
    """The citizen's intake in progress on this channel, if any (a stale one is ended)."""
    # Asked of every message, while few citizens are ever in an intake: compiled once.
    # At most one is open per contact and channel (a unique constraint).
    sessions = compiled.rows(
        IntakeSession,
        _open_session_of,
        ("", 0, State.OPEN),
        [inbound.entry.channel, inbound.contact.pk, State.OPEN],
    )
    if not sessions:
        return None
    session = sessions[0]
    if inbound.at - session.updated_at > RESUMABLE_FOR:
        _end(session, State.CANCELLED, inbound)
        return None
    return session


def _open_session_of() -> QuerySet[IntakeSession]:
    return IntakeSession.objects.filter(contact_id=0, channel="", state=State.OPEN)


def start(inbound: Inbound, kind: kinds.RequestKind) -> Outcome:
    """Begin the intake of `kind` (replacing one in progress) and ask the first question."""
    entry = inbound.entry
    IntakeSession.objects.filter(
        contact=inbound.contact, channel=entry.channel, state=State.OPEN
    ).update(state=State.CANCELLED, updated_at=inbound.at)
    try:
        with transaction.atomic():
            session = IntakeSession.objects.create(
                contact=inbound.contact,
                channel=entry.channel,
                number=entry.number,
                unit=entry.unit,
                kind=kind.code,
                started_at=inbound.at,
                updated_at=inbound.at,
            )
    except IntegrityError:  # the same tap twice at once: the other one asks
        return Outcome("duplicate")
    if not kind.has_intake:
        # Nothing to collect first: the next message is the request itself.
        notices.send(inbound, _first_words(kind), Notice(purpose=Purpose.NOTICE))
        return Outcome("kind_chosen")
    _ask(inbound, _fields(kind, session), session.step)
    return Outcome("intake_started")


def answer(session: IntakeSession, inbound: Inbound) -> Outcome:
    """Take the citizen's answer to the current question; ask the next or open the case."""
    kind = kinds.get(session.kind)
    if inbound.text.strip().casefold() in CANCEL_WORDS:
        _end(session, State.CANCELLED, inbound)
        notices.send(inbound, _cancelled(kind), Notice(purpose=Purpose.NOTICE))
        return Outcome("intake_cancelled")
    if not kind.has_intake:  # the chosen kind's request itself
        _end(session, State.COMPLETED, inbound)
        return requests.open_from_message(inbound, kind)
    fields = _fields(kind, session)
    if session.step >= len(fields):  # the kind lost a field since: finish
        return _complete(session, kind, fields, inbound)
    field = fields[session.step]
    try:
        value = field.clean(
            inbound.reply_id.split(":", 1)[-1] if inbound.reply_id else inbound.text,
            has_file=inbound.has_file,
            file_type=inbound.file_type,
            has_location=inbound.location is not None,
        )
    except kinds.InvalidAnswer as error:
        notices.send(inbound, f"{error}\n\n{field.question}", Notice(purpose=Purpose.NOTICE))
        session.updated_at = inbound.at
        session.save(update_fields=["updated_at"])
        return Outcome("intake_invalid")
    session.answers = {**session.answers, field.name: value}
    session.step += 1
    session.updated_at = inbound.at
    session.save(update_fields=["answers", "step", "updated_at"])
    fields = _fields(kind, session)  # an answer may decide the next questions
    if session.step < len(fields):
        _ask(inbound, fields, session.step)
        return Outcome("intake_answered")
    return _complete(session, kind, fields, inbound)


def _complete(
    session: IntakeSession,
    kind: kinds.RequestKind,
    fields: tuple[kinds.IntakeField, ...],
    inbound: Inbound,
) -> Outcome:
    lines = [f"{kind.label}".capitalize()]
    for field in fields:
        value = session.answers.get(field.name, "")
        if value:
            lines.append(f"{field.name}: {value}")
    case = requests.open_request(
        inbound,
        kind=kind,
        text="\n".join(lines),
        unit=session.unit,
        details=dict(session.answers),
    )
    session.case = case
    _end(session, State.COMPLETED, inbound)
    message = case.messages.filter(external_id=inbound.external_id).first()
    return Outcome("opened", case, message)


def _end(session: IntakeSession, state: str, inbound: Inbound) -> None:
    session.state = state
    session.updated_at = inbound.at
    session.save(update_fields=["state", "updated_at", "case"])


def _fields(kind: kinds.RequestKind, session: IntakeSession) -> tuple[kinds.IntakeField, ...]:
    return kind.intake_fields(session.unit, session.answers)


def _ask(inbound: Inbound, fields: tuple[kinds.IntakeField, ...], step: int) -> None:
    field = fields[step]
    text = f"{field.question}\n\n(Ketik *batal* untuk berhenti.)"
    choices = [Button(f"answer:{value}", str(title)) for value, title in field.choices]
    notices.send(inbound, text, Notice(purpose=Purpose.NOTICE, choices=choices))


def _first_words(kind: kinds.RequestKind) -> str:
    return f"Silakan tuliskan {kind.noun} Anda dalam satu pesan."


def _cancelled(kind: kinds.RequestKind) -> str:
    return f"Baik, {kind.noun} dibatalkan. Kirim pesan kapan saja untuk memulai lagi."
