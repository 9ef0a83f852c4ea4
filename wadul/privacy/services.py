"""The verbs of personal-data protection: log a look, hold a case, anonymise a person.

Anonymising keeps cases, their events and every statistic: it empties the contact (name,
identities), masks the person's name, numbers and NIK in every text of their cases (with the
portal's masker, `set_text_masker`), drops what the intake collected, deletes the files they
sent and blurs the case's coordinates to about a kilometre.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import events, kinds
from wadul.cases.models import Attachment, Case, Contact, Message
from wadul.organisation.models import Official
from wadul.privacy.models import AccessLog, Erasure, LegalHold, Restriction

# An event kind of its own, outside cases' fixed choices (the log shows it as written).
ANONYMISED = "personal_data_anonymised"
MASKED = "[disamarkan]"
_NIK = re.compile(r"\b\d{16}\b")


def log_access(
    official: Official,
    case: Case | None,
    surface: str,
    detail: str = "",
    *,
    once_per_minutes: int | None = None,
) -> None:
    """Record one look at personal data: a single INSERT from what the caller already has.

    `once_per_minutes`: a look repeated by the same official on the same case and surface is
    recorded once per window of that many minutes (the inbox's live refresh polls every few
    seconds); still one INSERT and no read — the window's duplicate is ignored by a unique
    index (ON CONFLICT DO NOTHING)."""
    window = None
    if once_per_minutes:
        window = int(timezone.now().timestamp() // (once_per_minutes * 60))
    _insert([_entry(official, case, surface, detail, window)])


def log_access_many(official: Official, cases: Iterable[Case], surface: str, detail: str) -> None:
    """Record a look at many cases at once (the API's case list): one multi-row INSERT."""
    _insert([_entry(official, case, surface, detail, None) for case in cases])


def _entry(
    official: Official, case: Case | None, surface: str, detail: str, window: int | None
) -> AccessLog:
    return AccessLog(
        official_id=official.pk,
        case_id=case.pk if case else None,
        case_unit_id=case.unit_id if case else None,
        confidential=bool(case and case.hides_identity),
        surface=surface,
        detail=detail[:300],
        window=window,
    )


# The columns one log row fills, in the order of the INSERT's values.
_FIELDS = ("at", "official", "case", "case_unit_id", "confidential", "surface", "detail", "window")


def _insert(entries: list[AccessLog]) -> None:
    """One INSERT statement, nothing around it: outside a transaction (the inbox's pages) it
    is one round trip that commits itself, where `bulk_create` would add a BEGIN and a
    COMMIT. (Committing without waiting for the WAL flush was tried and made the case page's
    p95 worse: the flush then competes with the page — bench/README, issue 20.)"""
    if not entries:
        return
    quote = connection.ops.quote_name
    fields = [AccessLog._meta.get_field(name) for name in _FIELDS]
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only windowed rows can conflict (the live refresh's once-a-window rule).
    ignore = any(entry.window is not None for entry in entries)
    # Names from the model's own metadata, values as parameters.
    sql = (
        f"INSERT INTO {quote(AccessLog._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(entries))}"
        f"{' ON CONFLICT DO NOTHING' if ignore else ''}"
    )
    params = [
        field.get_db_prep_save(getattr(entry, field.attname), connection)
        for entry in entries
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def is_dpo(official: Official) -> bool:
    """The data protection officer: whoever holds the `privacy.act_as_dpo` permission
    (given in the admin, usually through a group), and superusers."""
    return official.is_active and official.has_perm("privacy.act_as_dpo")


# --- Legal holds -------------------------------------------------------------------------


def place_legal_hold(case: Case, *, reason: str, actor: Official | None) -> LegalHold:
    reason = reason.strip()
    if not reason:
        raise ErasureRefused([_("A legal hold needs a reason.")])
    hold = LegalHold.objects.filter(case=case, released_at__isnull=True).first()
    return hold or LegalHold.objects.create(case=case, reason=reason, placed_by=actor)


def release_legal_hold(case: Case, *, actor: Official | None) -> int:
    return LegalHold.objects.filter(case=case, released_at__isnull=True).update(
        released_at=timezone.now()
    )


def held_cases() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True)


# --- Anonymisation -----------------------------------------------------------------------


class ErasureRefused(Exception):
    """The law requires keeping the data for now; `reasons` says why, in the citizen's words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _plain_masker(names: Sequence[str]) -> Callable[[str], str]:
    patterns = [re.escape(name) for name in sorted(set(names), key=len, reverse=True) if name]
    names_re = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def mask(text: str) -> str:
        text = _NIK.sub(MASKED, text or "")
        return names_re.sub(MASKED, text) if names_re else text

    return mask


# The portal's masker (numbers, NIK, e-mail, names) once the portal app is ready; a plain
# name/NIK replacement until then (scripts that load only the domain).
_masker_factory: Callable[[Sequence[str]], Callable[[str], str]] = _plain_masker
_name_terms: Callable[[str], list[str]] = lambda name: [name] if name else []  # noqa: E731
# The terms staff marked as personal in a case (a neighbour's name), and everywhere.
_case_terms: Callable[[Case], list[str]] = lambda case: []  # noqa: E731


def set_text_masker(
    factory: Callable[[Sequence[str]], Callable[[str], str]],
    name_terms: Callable[[str], list[str]],
    case_terms: Callable[[Case], list[str]],
) -> None:
    global _masker_factory, _name_terms, _case_terms
    _masker_factory, _name_terms, _case_terms = factory, name_terms, case_terms


def masker(names: Sequence[str]) -> Callable[[str], str]:
    return _masker_factory(names)


def name_terms(name: str) -> list[str]:
    return _name_terms(name)


def case_terms(case: Case) -> list[str]:
    return _case_terms(case)


def refusals(contact: Contact, *, except_kind: str = "") -> list[str]:
    """Why this person's data cannot be erased now (empty: it can). `except_kind`: the
    kind of the erasure request itself, open while it is answered."""
    reasons = []
    for case in contact.cases.exclude(type=except_kind):
        if kinds.get(case.type).is_open(case.status):
            reasons.append(
                _("Case %(number)s is still being handled; it can be erased once it is closed.")
                % {"number": case.tracking_number}
            )
    held = LegalHold.objects.filter(case__contact=contact, released_at__isnull=True)
    for hold in held.select_related("case"):
        reasons.append(
            _("Case %(number)s must be kept by law (legal hold): %(reason)s")
            % {"number": hold.case.tracking_number, "reason": hold.reason}
        )
    return reasons


@dataclass
class ErasureResult:
    contact_id: int
    cases: list[str]
    attachments_deleted: int


def anonymise_contact(
    contact: Contact,
    *,
    actor: Official | None,
    via: str,
    reason: str = Erasure.Reason.REQUEST,
    except_kind: str = "",
) -> ErasureResult:
    """Anonymise one person across every case they reported; refused (ErasureRefused) while
    a case is open or held."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        reasons = refusals(contact, except_kind=except_kind)
        if reasons:
            raise ErasureRefused(reasons)
        names = _person_terms(contact)
        cases = list(contact.cases.prefetch_related("messages"))
        _anonymise_cases(
            cases, {case.pk: names for case in cases}, actor=actor, via=via, reason=reason
        )
        files = _delete_files(Attachment.objects.filter(case__contact=contact))
        for hook in ERASURE_HOOKS:
            hook(contact.pk)
        contact.identities.all().delete()
        contact.display_name = ""
        contact.save(update_fields=["display_name"])
        Erasure.objects.create(contact_id=contact.pk, reason=reason)
    numbers = [case.tracking_number for case in cases]
    return ErasureResult(contact_id=contact.pk, cases=numbers, attachments_deleted=files)


def anonymise_cases(cases: list[Case], *, actor: Official | None, via: str, reason: str) -> None:
    """Anonymise cases (their reporters' mentions, intake answers, files), leaving the
    contacts themselves to their own rule. A few queries for the whole batch."""
    names = {
        case.pk: _person_terms(case.contact) if case.contact is not None else [] for case in cases
    }
    _anonymise_cases(cases, names, actor=actor, via=via, reason=reason)
    _delete_files(Attachment.objects.filter(case__in=[case.pk for case in cases]))


# Channels keep their own copies of a person's messages and numbers (raw payloads, the
# outbox); each registers a function(contact_id) that empties them when the person is erased.
ERASURE_HOOKS: list[Callable[[int], None]] = []


def _person_terms(contact: Contact) -> list[str]:
    terms = _name_terms(contact.display_name)
    terms += [identity.value for identity in contact.identities.all()]
    return terms


def _details_terms(case: Case) -> list[str]:
    return [str(value) for value in (case.details or {}).values() if value and len(str(value)) > 2]


CASE_FIELDS = ["subject", "description", "rating_comment", "details", "latitude", "longitude"]


def _anonymise_cases(
    cases: list[Case],
    names: dict[int, list[str]],
    *,
    actor: Official | None,
    via: str,
    reason: str,
) -> None:
    """Mask every text of these cases (prefetched messages) with each case's names."""
    changed: list[Message] = []
    for case in cases:
        mask = _masker_factory(names[case.pk] + _details_terms(case))
        case.subject = mask(case.subject)[:200]
        case.description = mask(case.description)
        case.rating_comment = mask(case.rating_comment)
        if case.details:
            case.details = dict.fromkeys(case.details, MASKED)
        # Where a home is: kept to about a kilometre, enough for maps and statistics.
        if case.latitude is not None and case.longitude is not None:
            case.latitude, case.longitude = round(case.latitude, 2), round(case.longitude, 2)
        for message in case.messages.all():
            masked = mask(message.text)
            if masked != message.text:
                message.text = masked
                changed.append(message)
    Case.objects.bulk_update(cases, CASE_FIELDS, batch_size=500)
    Message.objects.bulk_update(changed, ["text"], batch_size=500)
    Erasure.objects.filter(case__in=cases).delete()  # a contact's erasure after the case's
    Erasure.objects.bulk_create([Erasure(case=case, reason=reason) for case in cases])
    # One INSERT each, without the clock's hook: anonymising changes no deadline, and a
    # replay per case would cost a retention batch its speed.
    for case in cases:
        events.record(case, ANONYMISED, actor=actor, via=via, hooks=False, reason=reason)


def _delete_files(attachments: QuerySet[Attachment]) -> int:
    files = [item.file for item in attachments.only("pk", "file")]
    count = attachments.delete()[1].get("cases.Attachment", 0)

    def remove() -> None:
        for file in files:
            file.delete(save=False)

    transaction.on_commit(remove)
    return count


# --- Correction ------------------------------------------------------------------------

CORRECTED = "personal_data_corrected"
# What a correction may change: the person's own record. A case's messages, events and the
# report as it was made are its history: they are never rewritten (a correction there is
# refused with reasons, and the unit may add a note instead).
CORRECTABLE = {"display_name"}


def correct_contact(contact: Contact, field: str, value: str, *, actor: Official, via: str) -> None:
    """Correct a person's data, recorded in the event log of each of their cases (which
    field changed, not the values: the log must not become a copy of the data)."""
    if field not in CORRECTABLE:
        raise ErasureRefused(
            [
                _(
                    "The report as it was made, its messages and its history cannot be "
                    "changed; the unit can add a note with the correction instead."
                )
            ]
        )
    value = " ".join(value.split())[:200]
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        setattr(contact, field, value)
        contact.save(update_fields=[field])
        for case in contact.cases.all():
            events.record(case, CORRECTED, actor=actor, via=via, hooks=False, field=field)


# --- Restriction of processing ------------------------------------------------------------

RESTRICTED = "personal_data_restricted"
RESTRICTION_LIFTED = "personal_data_restriction_lifted"


def restrict_contact(
    contact: Contact, *, reason: str, actor: Official | None, via: str
) -> Restriction:
    """Restrict the processing of a person's data to storage: from now on their cases are
    left out of the published cases, open data and the API (see `unrestricted`). Recorded
    in the event log of each of their cases. Restricting twice keeps the first."""
    reason = reason.strip()
    if not reason:
        raise ErasureRefused([_("A restriction needs a reason.")])
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        active = Restriction.objects.filter(contact=contact, lifted_at__isnull=True).first()
        if active is not None:
            return active
        restriction = Restriction.objects.create(
            contact=contact, reason=reason[:300], placed_by=actor
        )
        for case in contact.cases.all():
            events.record(case, RESTRICTED, actor=actor, via=via, hooks=False)
    return restriction


def lift_restriction(contact: Contact, *, actor: Official | None, via: str) -> bool:
    """End a person's restriction (they asked, or the reason is gone), recorded in each
    of their cases. False when none was active."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        lifted = Restriction.objects.filter(contact=contact, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=actor
        )
        if lifted:
            for case in contact.cases.all():
                events.record(case, RESTRICTION_LIFTED, actor=actor, via=via, hooks=False)
    return bool(lifted)


def is_restricted(contact_id: int | None) -> bool:
    return (
        contact_id is not None
        and Restriction.objects.filter(contact_id=contact_id, lifted_at__isnull=True).exists()
    )


def restricted_among(contact_ids: Iterable[int | None]) -> set[int]:
    """Which of these contacts restricted processing (one query for many)."""
    ids = {pk for pk in contact_ids if pk is not None}
    if not ids:
        return set()
    active = Restriction.objects.filter(contact_id__in=ids, lifted_at__isnull=True)
    return set(active.values_list("contact_id", flat=True))


def unrestricted(rows: QuerySet, contact_field: str = "contact_id") -> QuerySet:
    """These rows (cases, or e.g. messages with "case__contact_id") without those of people
    who restricted processing (one NOT EXISTS)."""
    active = Restriction.objects.filter(contact_id=OuterRef(contact_field), lifted_at__isnull=True)
    return rows.exclude(Exists(active))


# --- What retention finds ----------------------------------------------------------------


def _open_statuses() -> set[str]:
    return {status for kind in kinds.all_kinds() for status in kind.open_statuses}


def closed_cases_due(cutoff) -> QuerySet[Case]:
    """Cases closed before the cutoff, not yet anonymised, not under a legal hold."""
    return (
        Case.objects.filter(closed_at__lt=cutoff)
        .exclude(status__in=_open_statuses())
        .filter(erasure__isnull=True)
        .exclude(Exists(held_cases()))
    )


def inactive_contacts_due(cutoff) -> QuerySet[Contact]:
    """Contacts with no case since the cutoff, none open or held, not yet erased."""
    recent_or_kept = Case.objects.filter(contact=OuterRef("pk")).filter(
        Q(created_at__gte=cutoff)
        | Q(status__in=_open_statuses())
        | Exists(LegalHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True))
    )
    erased = Erasure.objects.filter(contact_id=OuterRef("pk"))
    return (
        Contact.objects.filter(created_at__lt=cutoff)
        .exclude(Exists(recent_or_kept))
        .exclude(Exists(erased))
    )


def anonymise_due_cases(cutoff, limit: int) -> int:
    batch = list(
        closed_cases_due(cutoff)
        .select_related("contact")
        .prefetch_related("contact__identities", "messages")
        .order_by("pk")[:limit]
    )
    anonymise_cases(batch, actor=None, via="system", reason=Erasure.Reason.RETENTION)
    return len(batch)


def anonymise_due_contacts(cutoff, limit: int) -> int:
    batch = list(inactive_contacts_due(cutoff).order_by("pk")[:limit])
    for contact in batch:
        anonymise_contact(contact, actor=None, via="system", reason=Erasure.Reason.RETENTION)
    return len(batch)


def officials_named(ids: Iterable[int]) -> dict[int, Official]:
    return {o.pk: o for o in Official.objects.filter(pk__in=set(ids)).select_related("unit")}
