"""Canned answers: which a case may use, and their placeholders filled in."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from wadul.cases.models import Case, Visibility
from wadul.inbox.models import CannedAnswer
from wadul.organisation.models import Unit

_PLACEHOLDER = re.compile(r"\{(nama|nomor_tiket|unit)\}")


def for_case(case: Case) -> QuerySet[CannedAnswer]:
    """Answers of the case's unit and of the units above it."""
    if case.unit_id is None:
        return CannedAnswer.objects.none()
    path = case.unit.path
    prefixes = [path[: end + 1] for end in range(len(path)) if path[end] == "/"]
    return CannedAnswer.objects.filter(unit__path__in=prefixes).select_related("unit")


def citizen_name(case: Case) -> str:
    # A confidential or anonymous reporter is never named in a message drafted by staff.
    anonymous = case.visibility == Visibility.ANONYMOUS
    if case.hides_identity or anonymous or case.contact is None or not case.contact.display_name:
        return "Bapak/Ibu"  # words for citizens are Indonesian whatever the staff language
    return case.contact.display_name


def render(answer: CannedAnswer, case: Case) -> str:
    values = {
        "nama": citizen_name(case),
        "nomor_tiket": case.tracking_number,
        "unit": str(case.unit or answer.unit),
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], answer.body)


def units_editable_by(official) -> QuerySet[Unit]:
    if official.role == official.Role.ADMIN or official.role == official.Role.OPERATOR:
        return Unit.objects.exclude(kind=Unit.Kind.EXTERNAL)
    if official.role == official.Role.HEAD and official.unit_id:
        return official.unit.subtree()
    return Unit.objects.none()
