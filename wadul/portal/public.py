"""What the public may see: the publication rule, published answers and photos, maskers.

The rule (also written on the portal's "about the data" page):

- a case is published when the reporter chose *public* or *anonymous* visibility, and a
  unit has taken it up (not waiting in triage), and it is not spam or a merged duplicate;
- *private* and *confidential* cases are never listed; their tracking page by number shows
  only the status, and only the reporter's private link shows the thread;
- nothing public ever names the reporter: text is masked (`wadul.portal.masking`) and
  anonymous cases additionally show no channel details;
- published answers are the officials' messages to the citizen: the messages the event log
  records as an answer, a referral or a question (never internal notes, nor automatic
  notices such as acknowledgements and rating requests), except those an operator kept
  private (`PrivateAnswer`);
- photos are shown only after an operator approved them (`Attachment.approved_for_public`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from wadul.cases import kinds
from wadul.cases.models import Attachment, Case, CaseEvent, Contact, Message, Status, Visibility
from wadul.cases.services import subject_from
from wadul.portal.masking import Masker, name_terms
from wadul.portal.models import PersonalTerm
from wadul.privacy.services import is_restricted, unrestricted

PUBLISHED_VISIBILITIES = (Visibility.PUBLIC, Visibility.ANONYMOUS)
PUBLISHED_STATUSES = (
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING,
    Status.ANSWERED,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REOPENED,
    Status.REFERRED,
)
PUBLIC_DIRECTIONS = (Message.Direction.OUTBOUND,)
ANSWER_EVENTS = (
    CaseEvent.Kind.ANSWERED,
    CaseEvent.Kind.REFERRED,
    CaseEvent.Kind.CLARIFICATION_REQUESTED,
)


def is_answer() -> Exists:
    """A message filter: the message is an answer in the event log. Automatic notices to the
    citizen are outbound too, but no event records them as an answer (as the clock does not
    count them as a first response)."""
    return Exists(CaseEvent.objects.filter(message=OuterRef("pk"), kind__in=ANSWER_EVENTS))


def published_cases(*, open_data: bool = False) -> QuerySet[Case]:
    """Every published case (see the module docstring for the rule), of the request kinds
    whose publication policy allows it (on the portal, or in open data)."""
    cases = Case.objects.filter(
        visibility__in=PUBLISHED_VISIBILITIES, status__in=PUBLISHED_STATUSES
    )
    codes = kinds.published_codes(open_data=open_data)
    if len(codes) < len(kinds.all_kinds()):  # no filter (and the same plan) when all are
        cases = cases.filter(type__in=codes)
    # A person who restricted processing (UU 27/2022): their cases are not published, even masked.
    return unrestricted(cases)


def is_published(case: Case, *, restricted: set[int] | None = None) -> bool:
    """`restricted`: the contacts among many cases' who restricted processing, read once
    by the caller (`restricted_among`); else one query for this case, when it matters."""
    if not (
        case.visibility in PUBLISHED_VISIBILITIES
        and case.status in PUBLISHED_STATUSES
        and kinds.get(case.type).publication.on_portal
    ):
        return False
    if restricted is not None:
        return case.contact_id not in restricted
    return not is_restricted(case.contact_id)


def published_answers(case: Case) -> QuerySet[Message]:
    return case.messages.filter(
        is_answer(), direction__in=PUBLIC_DIRECTIONS, private_mark__isnull=True
    )


def reporter_messages(case: Case) -> QuerySet[Message]:
    """The reporter's own view: their messages and every answer, never notes."""
    return case.messages.filter(
        direction__in=(Message.Direction.INBOUND, Message.Direction.OUTBOUND)
    )


def public_photos(case: Case) -> QuerySet[Attachment]:
    return case.attachments.filter(approved_for_public=True, kind=Attachment.Kind.IMAGE)


def public_text(case: Case, masker: Masker) -> tuple[str, str]:
    """The masked subject and description of a case.

    A subject cut from the report's first line (the default) is cut again from the masked
    report: cut first, a number split over two lines or at the cut ("NIK 3510 0123" +
    newline + "4567 8901") is no longer whole, and the masker would let its first half
    through.
    """
    description = masker(case.description)
    if case.subject == subject_from(case.description):
        return subject_from(description), description
    return masker(case.subject), description


def global_terms() -> list[str]:
    return list(PersonalTerm.objects.filter(case__isnull=True).values_list("term", flat=True))


def masker_for(case: Case, *, terms: list[str] | None = None) -> Masker:
    """The masker for one case: its reporter's name, its marked terms and global terms."""
    names = list(global_terms() if terms is None else terms)
    if case.contact_id:
        names += name_terms(case.contact.display_name)
    names += list(case.personal_terms.values_list("term", flat=True))
    return Masker(tuple(names))


def maskers_for(cases: Iterable[Case]) -> dict[int, Masker]:
    """Maskers for many cases with three queries in all (lists, exports, feeds)."""
    cases = list(cases)
    shared = global_terms()
    per_case: dict[int, list[str]] = {c.pk: list(shared) for c in cases}
    contact_ids = {c.contact_id for c in cases if c.contact_id}
    if contact_ids:
        names = dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "display_name"))
        for c in cases:
            if c.contact_id:
                per_case[c.pk] += name_terms(names.get(c.contact_id))
    for case_id, term in PersonalTerm.objects.filter(case__in=[c.pk for c in cases]).values_list(
        "case_id", "term"
    ):
        per_case[case_id].append(term)
    return {pk: Masker(tuple(names)) for pk, names in per_case.items()}
